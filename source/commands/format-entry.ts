import type {FileEntry} from '../engine/api/file-entry.js';
import {escapeTerminal} from '../engine/paths/names.js';

const typeLetter: Record<FileEntry['type'], string> = {file: '-', dir: 'd', link: 'l', unknown: '?'};

/** One `ftpane ls` line: type, size, modification time (UTC), name last; remote text escaped. */
export function formatEntryLine(entry: FileEntry): string {
	const size = entry.size === undefined ? '-' : String(entry.size);
	const time = entry.modified ? entry.modified.toISOString().slice(0, 16).replace('T', ' ') : '-               ';
	const name = escapeTerminal(entry.name);
	const target = entry.target ? ` -> ${escapeTerminal(entry.target)}` : '';
	return `${typeLetter[entry.type]} ${size.padStart(12)} ${time} ${name}${target}`;
}
