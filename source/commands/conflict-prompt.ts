import process from 'node:process';
import type {ConflictAnswer, Question} from '../engine/api/engine-api.js';
import {FtpaneError} from '../engine/api/errors.js';
import {escapeTerminal} from '../engine/paths/names.js';
import {conflictAnswerFor, conflictAnswerKeys} from '../transfers/conflict-answers.js';

/** Refuses `--on-conflict ask` without a terminal to ask on: a script must choose its rule, not hang or guess. */
export function requireConflictTerminal(): void {
	if (!process.stdin.isTTY || !process.stderr.isTTY) {
		throw new FtpaneError('usage', '--on-conflict ask needs a terminal (standard input and error) to ask on; choose overwrite, skip, resume, rename, newer or different');
	}
}

/**
 * Asks about one existing file on the terminal, as the TUI's conflict dialog does: the same answers on the same
 * letters, one key press, nothing echoed but the answer. Esc and Ctrl-C answer Abort, as Esc does in the dialog.
 */
export async function askConflictOnTerminal(question: Extract<Question, {type: 'conflict'}>): Promise<ConflictAnswer> {
	const {stdin, stderr} = process;
	stderr.write(`${conflictPromptText(question)} `);
	stdin.setRawMode(true);
	stdin.resume();
	let answer: ConflictAnswer = 'abort';
	try {
		answer = await new Promise<ConflictAnswer>(resolve => {
			const onData = (chunk: Buffer) => {
				for (const character of chunk.toString('utf8')) {
					const given = character === '\u001B' || character === '\u0003' ? 'abort' : conflictAnswerFor(character);
					if (given) {
						stdin.off('data', onData);
						resolve(given);
						return;
					}
				}
			};

			stdin.on('data', onData);
		});
		return answer;
	} finally {
		stdin.setRawMode(false);
		stdin.pause();
		stderr.write(`${conflictAnswerKeys.find(key => key.answer === answer)?.label ?? answer}\n`);
	}
}

/** The question as the prompt shows it: the file, both sides' size and time where known, and the letters. */
export function conflictPromptText(question: Extract<Question, {type: 'conflict'}>): string {
	const facts = (label: string, size: number | undefined, modified: Date | undefined) => {
		const known = [size === undefined ? '' : `${size} bytes`, modified ? `${modified.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''].filter(text => text !== '');
		return known.length > 0 ? [`${label} ${known.join(', ')}`] : [];
	};

	const details = [...facts('existing', question.existingSize, question.existingModified), ...facts('new', question.newSize, question.newModified)];
	const letters = conflictAnswerKeys.map(key => `[${key.hotkey}] ${key.label}`).join('  ');
	return [
		`ftpane: ${escapeTerminal(question.path)} already exists on the ${question.side} side${details.length > 0 ? ` (${details.join('; ')})` : ''}.`,
		`${letters}?`,
	].join('\n');
}
