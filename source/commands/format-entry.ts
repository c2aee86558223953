import type {FileEntry} from '../engine/api/file-entry.js';
import {escapeTerminal} from '../engine/paths/names.js';

const typeLetter: Record<FileEntry['type'], string> = {file: '-', dir: 'd', link: 'l', unknown: '?'};

/** One `ftpane ls` line: type, size, modification time (UTC), name last; remote text escaped. */
export function formatEntryLine(entry: FileEntry): string {
	const size = entry.size === undefined ? '-' : String(entry.size);
	const time = entry.modified ? minuteText(entry.modified) : '-               ';
	const name = printed(entry.name);
	const target = entry.target ? ` -> ${printed(entry.target)}` : '';
	return `${typeLetter[entry.type]} ${size.padStart(12)} ${time} ${name}${target}`;
}

/** Remote text escaped for the terminal; printable ASCII, most names, needs no escaping and skips the regular expression. */
export function printed(text: string): string {
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (code < 0x20 || code > 0x7E) {
			return escapeTerminal(text);
		}
	}

	return text;
}

let lastTime = Number.NaN;
let lastText = '';

/** `YYYY-MM-DD HH:MM` (UTC); a listing's neighbours often share a minute, so the last one is remembered. */
export function minuteText(date: Date): string {
	const time = date.getTime();
	// An invalid date (NaN) is never equal, and toISOString throws on it as before.
	if (time !== lastTime) {
		lastText = date.toISOString().slice(0, 16).replace('T', ' ');
		lastTime = time;
	}

	return lastText;
}

/** One entry of `ftpane ls --json`, as rclone's lsjson gives it: every key present, null where the listing did not say. */
export type EntryJson = {
	name: string;
	type: FileEntry['type'];
	size: number | null;
	/** ISO 8601, UTC. */
	modified: string | null;
	permissions: string | null;
	/** Where a symbolic link points; present only for links that name it. */
	target?: string;
};

/** An entry as `ls --json` prints it. Names are given as received: JSON escapes control characters itself. */
export function entryJson(entry: FileEntry): EntryJson {
	return {
		name: entry.name,
		type: entry.type,
		size: entry.size ?? null,
		modified: entry.modified && Number.isFinite(entry.modified.getTime()) ? entry.modified.toISOString() : null,
		permissions: entry.permissions ?? null,
		...(entry.target === undefined ? {} : {target: entry.target}),
	};
}
