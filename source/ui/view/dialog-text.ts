import {formatBytes, formatDate} from './format.js';
import type {Dialog} from '../state/dialog.js';
import {sanitize} from './text-width.js';

/** How a dialog looks: errors and virus verdicts stand out. */
export type DialogTone = 'normal' | 'warning' | 'danger';

/** The words of a dialog, apart from its fields and buttons. */
export type DialogText = {readonly title: string; readonly lines: readonly string[]; readonly tone: DialogTone};

/** Title and message lines of any dialog, as plain text (names already made safe to print). */
export function dialogText(dialog: Dialog): DialogText {
	switch (dialog.type) {
		case 'connect': {
			return {title: 'Connect', lines: dialog.problem ? [dialog.problem] : [], tone: dialog.problem ? 'warning' : 'normal'};
		}

		case 'confirm-copy': {
			const verb = dialog.from === 'local' ? 'Upload' : 'Download';
			return {title: 'Copy', lines: [`${verb} ${what(dialog.entries)} to:`], tone: 'normal'};
		}

		case 'confirm-delete': {
			const dirs = dialog.entries.filter(entry => entry.type === 'dir').length;
			let line = `Delete ${what(dialog.entries)}?`;
			if (dirs > 0) {
				line = dialog.entries.length === 1 ? `Delete ${what(dialog.entries)} and everything in it?` : `Delete ${what(dialog.entries)}, directories with everything in them?`;
			}

			return {title: 'Delete', lines: [line], tone: 'danger'};
		}

		case 'mkdir': {
			return {title: 'Make directory', lines: ['Enter directory name:'], tone: 'normal'};
		}

		case 'rename': {
			const line = dialog.entries.length === 1 ? `Rename or move ${what(dialog.entries)} to:` : `Move ${what(dialog.entries)} into directory:`;
			return {title: 'Rename/Move', lines: [line], tone: 'normal'};
		}

		case 'conflict': {
			return {title: 'File exists', lines: conflictLines(dialog.question), tone: 'warning'};
		}

		case 'trust-certificate': {
			const certificate = dialog.certificate;
			return {
				title: 'Untrusted certificate',
				lines: [
					`${sanitize(certificate.host)}:${certificate.port}: ${sanitize(certificate.reason)}`,
					`Subject: ${sanitize(certificate.subject)}`,
					`Issuer:  ${sanitize(certificate.issuer)}`,
					`Valid:   ${sanitize(certificate.validFrom)} to ${sanitize(certificate.validTo)}`,
					`SHA-256: ${sanitize(certificate.fingerprint256)}`,
				],
				tone: 'warning',
			};
		}

		case 'infected': {
			return {title: 'Virus found', lines: [sanitize(dialog.message)], tone: 'danger'};
		}

		case 'scan-failed': {
			return {title: 'Scan failed', lines: [sanitize(dialog.message)], tone: 'danger'};
		}

		case 'error': {
			const code = dialog.error.code === undefined ? [] : [`Server reply code: ${dialog.error.code}`];
			return {title: 'Error', lines: [sanitize(dialog.error.message), ...code], tone: 'danger'};
		}

		case 'help': {
			return {title: 'Help', lines: [], tone: 'normal'};
		}

		case 'options': {
			return {title: 'Options', lines: [], tone: 'normal'};
		}

		case 'select-pattern': {
			return {title: dialog.mode === 'select' ? 'Select' : 'Unselect', lines: ['Files matching (* ? [...]):'], tone: 'normal'};
		}

		case 'filter': {
			return {title: 'Filter', lines: ['Show names containing (or matching * ?); empty shows all:'], tone: 'normal'};
		}

		case 'quit-confirm': {
			const running = {0: 'A copy or delete is', 1: 'A transfer is'}[dialog.running] ?? `${dialog.running} transfers are`;
			return {title: 'Quit', lines: [`${running} still under way; quitting stops ${dialog.running > 1 ? 'them' : 'it'}.`, 'Do you really want to quit ftpane?'], tone: 'warning'};
		}

		case 'bookmarks': {
			return {title: 'Bookmarks', lines: [], tone: 'normal'};
		}

		case 'notice': {
			return {title: sanitize(dialog.title), lines: dialog.lines.map(line => sanitize(line)), tone: 'normal'};
		}

		case 'cancel-job': {
			const job = dialog.job;
			const lines = job ? [`${job.state === 'running' ? 'Running' : 'Queued'}: ${job.direction === 'upload' ? 'upload of' : 'download of'} ${sanitize(job.label)}`] : ['A copy or delete is being prepared.'];
			if (dialog.others > 0) {
				lines.push(`${dialog.others} more queued.`);
			}

			return {title: 'Stop transfer', lines, tone: 'warning'};
		}

		case 'viewer': {
			return {title: sanitize(dialog.title), lines: [], tone: 'normal'};
		}

		case 'queue': {
			return {title: 'Transfer queue', lines: [], tone: 'normal'};
		}
	}
}

function what(entries: ReadonlyArray<{name: string; type: string}>): string {
	if (entries.length === 1) {
		const entry = entries[0]!;
		return `${entry.type === 'dir' ? 'directory ' : ''}"${sanitize(entry.name)}"`;
	}

	return `${entries.length} entries`;
}

/** What Older and Size differs are decided on: each side's size and modification time, where known. */
function conflictLines(question: Extract<Dialog, {type: 'conflict'}>['question']): string[] {
	const lines = [sanitize(question.path), `already exists on the ${question.side} side.`];
	const facts = (label: string, size: number | undefined, modified: Date | undefined) => {
		const known = [size === undefined ? '' : formatBytes(size), formatDate(modified)].filter(text => text !== '');
		return known.length > 0 ? [`${label} ${known.join(', ')}`] : [];
	};

	return [...lines, ...facts('Existing:', question.existingSize, question.existingModified), ...facts('New:     ', question.newSize, question.newModified)];
}
