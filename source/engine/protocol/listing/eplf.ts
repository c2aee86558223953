import type {FileEntry} from '../../api/file-entry.js';
import type {ParsedLine} from './line-parser.js';
import {octalModeToPermissions} from './mode.js';

/*
 * EPLF (https://cr.yp.to/ftp/list/eplf.html), sent by publicfile and a few others:
 *
 *   +i8388621.29609,m824255902,/,\tdev
 *   +i8388621.44468,m839956783,r,s10376,\tRFCEPLF
 *
 * Comma-separated facts after a '+', a tab, then the name. `/` marks a directory, `r` a file one
 * may retrieve, `s` the size, `m` the modification time in seconds since the epoch (so a true UTC
 * instant), `up` an octal mode. Unknown facts are skipped, as the format asks.
 */

/** True when the line starts with '+' and has the tab that ends EPLF facts. */
export function testLine(line: string): boolean {
	return line.startsWith('+') && line.includes('\t');
}

/** Parses one EPLF line. */
export function parseLine(line: string): ParsedLine {
	const tab = line.indexOf('\t');
	if (!line.startsWith('+') || tab < 0) {
		return undefined;
	}

	const name = line.slice(tab + 1);
	if (name === '') {
		return undefined;
	}

	if (name === '.' || name === '..') {
		return null;
	}

	let isDir = false;
	let isFile = false;
	const entry: FileEntry = {name, type: 'unknown'};
	for (const fact of line.slice(1, tab).split(',')) {
		const value = fact.slice(1);
		switch (fact[0]) {
			case '/': {
				isDir = true;
				break;
			}

			case 'r': {
				isFile = true;
				break;
			}

			case 's': {
				if (/^\d+$/.test(value)) {
					entry.size = Number(value);
				}

				break;
			}

			case 'm': {
				if (/^\d+$/.test(value)) {
					const modified = new Date(Number(value) * 1000);
					if (!Number.isNaN(modified.getTime())) {
						entry.modified = modified;
					}
				}

				break;
			}

			case 'u': {
				const permissions = value.startsWith('p') ? octalModeToPermissions(value.slice(1)) : undefined;
				if (permissions !== undefined) {
					entry.permissions = permissions;
				}

				break;
			}

			default: {
				break;
			}
		}
	}

	entry.type = isDir ? 'dir' : isFile ? 'file' : 'unknown';
	return entry;
}
