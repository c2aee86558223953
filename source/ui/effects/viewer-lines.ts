import {toUiError} from '../../engine/api/errors.js';
import type {FileEntry} from '../../engine/api/file-entry.js';
import type {EffectPorts} from './effect-ports.js';
import {formatDate} from '../view/format.js';
import type {Effect} from '../state/effects.js';
import {sanitize} from '../view/text-width.js';

const viewerBytes = 64 * 1024;

/** F3: the first 64 KiB of a file as lines, read through its side's host; details when it cannot be read. */
export async function viewerLines(effect: Extract<Effect, {type: 'view'}>, ports: EffectPorts): Promise<string[]> {
	const details = entryDetails(effect.entry);
	const host = ports.hosts[effect.side];
	try {
		// Only the head is read, on either side: a remote file of any size opens at once.
		const text = (await host.readRange(effect.path, 0, viewerBytes)).toString('utf8');
		if (looksBinary(text)) {
			return [...details, '', 'Binary file: not shown as text.'];
		}

		return text.split(/\r?\n/).map(line => sanitize(line.replaceAll('\t', '    ')));
	} catch (error) {
		return [...details, '', `Cannot read: ${sanitize(toUiError(error).message)}`];
	}
}

function entryDetails(entry: FileEntry): string[] {
	const lines = [`Name:        ${sanitize(entry.name)}`, `Type:        ${entry.type}`];
	if (entry.size !== undefined) {
		lines.push(`Size:        ${entry.size} bytes`);
	}

	if (entry.modified) {
		lines.push(`Modified:    ${formatDate(entry.modified)}`);
	}

	if (entry.permissions) {
		lines.push(`Permissions: ${sanitize(entry.permissions)}`);
	}

	if (entry.target) {
		lines.push(`Link target: ${sanitize(entry.target)}`);
	}

	if (entry.raw) {
		lines.push(`Listing:     ${sanitize(entry.raw)}`);
	}

	return lines;
}

/** NUL bytes, or more than a few bytes that are not UTF-8: shown as text this is only noise. */
function looksBinary(text: string): boolean {
	if (text.includes('\u0000')) {
		return true;
	}

	let invalid = 0;
	for (const char of text) {
		if (char === '\uFFFD') {
			invalid++;
		}
	}

	return invalid > Math.max(4, text.length / 100);
}
