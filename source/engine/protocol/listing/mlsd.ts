import type {FileEntry} from '../../api/file-entry.js';
import {wallClock} from './dates.js';
import type {ParsedLine} from './line-parser.js';
import {octalModeToPermissions} from './mode.js';

/*
 * RFC 3659 machine listings (MLSD lines, and the fact line of an MLST reply):
 *
 *   type=file;size=12;modify=20240101120000.123;perm=adfr;unix.mode=0644; name with spaces
 *
 * Fact names and the `type` value are case-insensitive. Facts hold no blanks, so the first space
 * (or tab, which some servers send) ends them, whether or not a ';' precedes it as drafts older
 * than mlst-07 omit it; everything after that one blank is the name, which may hold ';' and
 * spaces, leading ones included. A line that starts with a space has no facts.
 */

/** True when the line starts with an RFC 3659 fact (`name=value;`). */
export function testLine(line: string): boolean {
	return /^[^\s=;]+=[^\s;]*;/.test(line);
}

/** Parses one MLSD line; the directory itself and its parent (`cdir`, `pdir`, `.`, `..`) give null. */
export function parseLine(line: string): ParsedLine {
	const parsed = parseFactLine(line);
	if (parsed === undefined) {
		return undefined;
	}

	const {entry, kind} = parsed;
	if (kind === 'cdir' || kind === 'pdir' || entry.name === '.' || entry.name === '..') {
		return null;
	}

	return entry;
}

/**
 * Parses the fact line of an MLST reply (the one RFC 3659 starts with a space, which is skipped).
 * Unlike MLSD, `cdir` here describes the very path asked about and is returned as a directory.
 */
export function parseMlstLine(line: string): FileEntry | undefined {
	return parseFactLine(line.startsWith(' ') ? line.slice(1) : line)?.entry;
}

/** Reads RFC 3659's `YYYYMMDDHHMMSS[.sss]`, which is always UTC. */
export function parseMlsdTime(value: string): Date | undefined {
	const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,9}))?$/.exec(value);
	if (!match) {
		return undefined;
	}

	const hour = Number(match[4]);
	const minute = Number(match[5]);
	const second = Number(match[6]);
	if (hour > 23 || minute > 59 || second > 60) {
		return undefined;
	}

	const milliseconds = match[7] === undefined ? 0 : Number(match[7].slice(0, 3).padEnd(3, '0'));
	// A leap second (:60) is read as the next minute's :00.
	const date = wallClock(Number(match[1]), Number(match[2]), Number(match[3]), {hour, minute, second: 0}, milliseconds);
	if (date !== undefined) {
		date.setTime(date.getTime() + second * 1000);
	}

	return date;
}

function parseFactLine(line: string): {entry: FileEntry; kind: string | undefined} | undefined {
	const split = splitFacts(line);
	if (split === undefined || split.name === '') {
		return undefined;
	}

	const entry: FileEntry = {name: split.name, type: 'unknown'};
	let kind: string | undefined;
	let unixMode: string | undefined;
	let perm: string | undefined;
	for (const fact of split.facts.split(';')) {
		if (fact === '') {
			continue;
		}

		const equals = fact.indexOf('=');
		if (equals <= 0) {
			// Not a fact list after all, just a line with a blank in it.
			return undefined;
		}

		const value = fact.slice(equals + 1);
		switch (fact.slice(0, equals).toLowerCase()) {
			case 'type': {
				kind = value.toLowerCase();
				Object.assign(entry, readType(value));
				break;
			}

			case 'size':
			// 'sizd' is the size some servers give a directory.
			case 'sizd': {
				if (/^\d+$/.test(value)) {
					entry.size = Number(value);
				}

				break;
			}

			case 'modify': {
				const modified = parseMlsdTime(value);
				if (modified !== undefined) {
					entry.modified = modified;
				}

				break;
			}

			case 'unix.mode': {
				unixMode = value;
				break;
			}

			case 'perm': {
				perm = value;
				break;
			}

			default: {
				break;
			}
		}
	}

	// rwx bits mean more to a user than RFC 3659's command letters, so they win when both are given.
	const permissions = (unixMode === undefined ? undefined : octalModeToPermissions(unixMode)) ?? (perm || undefined);
	if (permissions !== undefined) {
		entry.permissions = permissions;
	}

	return {entry, kind};
}

/*
 * RFC 3659 has no symlink type. Servers use `OS.unix=slink:<target>` (from the RFC's examples,
 * ProFTPD with some settings) or `OS.unix=symlink` with the target given nowhere on the line.
 */
function readType(value: string): Pick<FileEntry, 'type' | 'target'> {
	const lower = value.toLowerCase();
	if (lower === 'file') {
		return {type: 'file'};
	}

	if (lower === 'dir' || lower === 'cdir' || lower === 'pdir') {
		return {type: 'dir'};
	}

	if (lower.startsWith('os.unix=slink')) {
		const colon = value.indexOf(':');
		const target = colon < 0 ? '' : value.slice(colon + 1);
		return target === '' ? {type: 'link'} : {type: 'link', target};
	}

	if (lower === 'os.unix=symlink') {
		return {type: 'link'};
	}

	return {type: 'unknown'};
}

/** Cuts the line into its facts and its name; undefined when no blank separates them. */
function splitFacts(line: string): {facts: string; name: string} | undefined {
	let blank = 0;
	while (blank < line.length && line[blank] !== ' ' && line[blank] !== '\t') {
		blank++;
	}

	return blank === line.length ? undefined : {facts: line.slice(0, blank), name: line.slice(blank + 1)};
}
