import path from 'node:path';
import fc from 'fast-check';
import {afterAll, describe, expect, it} from 'vitest';
import {formatHeader, headerSeparator, parseHeader} from '../../source/engine/api/scan-wire.js';
import type {FileEntry} from '../../source/engine/api/file-entry.js';
import {joinSafe, safeLocalName} from '../../source/engine/paths/names.js';
import {parseListing, parseMlsd} from '../../source/engine/protocol/listing/parse-listing.js';
import {lookupNetrc, parseNetrc} from '../../source/engine/protocol/netrc.js';
import {ReplyParser} from '../../source/engine/protocol/reply-parser.js';
import {formatFtpUrl, parseFtpUrl, type FtpUrl} from '../../source/engine/protocol/url.js';
import {joinPath} from '../../source/engine/paths/slash-path.js';
import {planTransfer} from '../../source/transfers/transfer-plan.js';
import {walkSelection} from '../../source/transfers/tree-walk.js';
import {recordFigures, runKind, sized} from './figures.js';

/*
 * The property suite of the reliability report: the parsers a server, the agent or the user feeds, and the planner
 * that decides where bytes land, each checked on generated input. Other property tests sit beside the code they test
 * (chunked listing lines, the agent's header read-back, terminal escaping); these are the ones the report counts,
 * and a full run (`npm run reliability`) gives each many more cases than `npm test` does.
 */

const numRuns = sized(20_000, 300);
const tally = {properties: 0, runs: 0, failed: 0};

/** fc.assert with this run's size, counted for the report. */
function check<T>(property: fc.IProperty<T>): void {
	tally.properties++;
	try {
		fc.assert(property, {numRuns});
		tally.runs += numRuns;
	} catch (error) {
		tally.failed++;
		throw error;
	}
}

/** The same for a property that awaits. */
async function checkAsync<T>(property: fc.IAsyncProperty<T>, runs = numRuns): Promise<void> {
	tally.properties++;
	try {
		await fc.assert(property, {numRuns: runs});
		tally.runs += runs;
	} catch (error) {
		tally.failed++;
		throw error;
	}
}

afterAll(() => {
	recordFigures({
		suite: 'properties',
		title: 'Property tests',
		what: 'fast-check: FTP replies in any chunking, Unix and MLSD listings generated and parsed back, URLs, .netrc, the agent\'s header, remote names, and the copy planner (never outside the destination, never one path twice)',
		counts: {properties: tally.properties, 'generated cases': tally.runs},
		result: tally.failed === 0 ? 'pass' : 'fail',
		command: runKind() === 'full' ? 'npm run reliability' : 'npx vitest run test/reliability/properties.test.ts',
		details: `${numRuns.toLocaleString('en-US')} cases per property; a failure prints fast-check's seed and shrunk counterexample.`,
	});
});

/** Text a server may put on a reply line: anything but CR and LF. */
const lineText = fc.string({unit: 'grapheme', maxLength: 40}).map(text => text.replaceAll(/[\r\n]/g, ' '));
const reply = fc.record({
	code: fc.integer({min: 100, max: 599}),
	lines: fc.array(lineText, {minLength: 1, maxLength: 4}),
});

/** A reply as a server writes it: `123-first`, middle lines, `123 last` (RFC 959 §4.2). */
function replyText({code, lines}: {code: number; lines: string[]}): string {
	if (lines.length === 1) {
		return `${code} ${lines[0]}\r\n`;
	}

	// A middle line that starts with the code and a blank would end the reply early: servers indent such lines.
	const middle = lines.slice(1, -1).map(line => ` ${line}`);
	return [`${code}-${lines[0]}`, ...middle, `${code} ${lines.at(-1)}`].map(line => `${line}\r\n`).join('');
}

function chunks(text: string, cuts: number[]): string[] {
	const points = [...new Set(cuts.map(cut => cut % (text.length + 1)))].sort((a, b) => a - b);
	const pieces: string[] = [];
	let from = 0;
	for (const point of points) {
		pieces.push(text.slice(from, point));
		from = point;
	}

	pieces.push(text.slice(from));
	return pieces;
}

describe('FTP replies', () => {
	it('any chunking of a valid reply stream parses to the replies sent, code and text', () => {
		check(fc.property(fc.array(reply, {minLength: 1, maxLength: 6}), fc.array(fc.nat(), {maxLength: 12}), (replies, cuts) => {
			const text = replies.map(one => replyText(one)).join('');
			const parser = new ReplyParser();
			const parsed = chunks(text, cuts).flatMap(piece => parser.feed(piece));
			expect(parsed.map(one => one.code)).toEqual(replies.map(one => one.code));
			expect(parsed.map(one => one.text.split('\n')[0])).toEqual(replies.map(one => one.lines[0]));
		}));
	});
});

const now = new Date('2024-06-15T12:00:00Z');
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Names a server may list: any text without line ends that does not start with a blank (ls pads columns with blanks,
 * so a leading one cannot be told from padding) and is not `.`, `..` or a `total` line.
 */
const listedName = fc.string({unit: 'grapheme', minLength: 1, maxLength: 30})
	.map(name => name.replaceAll(/[\r\n]/g, '_'))
	.filter(name => !/^\s/.test(name) && name !== '.' && name !== '..' && !name.includes(' -> '));

const unixEntry = fc.record({
	name: listedName,
	type: fc.constantFrom('file', 'dir'),
	size: fc.nat({max: 2 ** 40}),
	owner: fc.constantFrom('ftp', '1000', 'Domain Users', 'root'),
	month: fc.integer({min: 0, max: 11}),
	day: fc.integer({min: 1, max: 28}),
	// Within the last six months ls prints the time, else the year.
	recent: fc.boolean(),
	hour: fc.integer({min: 0, max: 23}),
	minute: fc.integer({min: 0, max: 59}),
	year: fc.integer({min: 1990, max: 2023}),
});

type UnixEntry = typeof unixEntry extends fc.Arbitrary<infer T> ? T : never;

function unixLine(entry: UnixEntry): string {
	const mode = `${entry.type === 'dir' ? 'd' : '-'}rw-r--r--`;
	const month = months[entry.recent ? 5 : entry.month]!;
	const when = entry.recent
		? `${String(entry.hour).padStart(2, '0')}:${String(entry.minute).padStart(2, '0')}`
		: ` ${entry.year}`;
	return `${mode}    1 ${entry.owner.padEnd(8)} ${'ftp'.padEnd(8)} ${String(entry.size).padStart(12)} ${month} ${String(entry.day).padStart(2)} ${when} ${entry.name}`;
}

function expectedDate(entry: UnixEntry): Date {
	// A time without a year is in the year that puts it at most six months from now; June of this year, here.
	return entry.recent
		? new Date(2024, 5, entry.day, entry.hour, entry.minute)
		: new Date(entry.year, entry.month, entry.day);
}

const mlsdEntry = fc.record({
	// MLSD names may start with blanks and hold `;` and `=`: everything after the first blank is the name.
	name: fc.string({unit: 'grapheme', minLength: 1, maxLength: 30})
		.map(name => name.replaceAll(/[\r\n]/g, '_'))
		.filter(name => name !== '.' && name !== '..'),
	type: fc.constantFrom('file', 'dir'),
	size: fc.nat({max: 2 ** 50}),
	modified: fc.date({min: new Date('1971-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true}),
});

function mlsdTime(date: Date): string {
	return date.toISOString().replaceAll(/[-:T]/g, '').replace('Z', '');
}

function fieldsOf(entry: FileEntry) {
	return {name: entry.name, type: entry.type, size: entry.size, modified: entry.modified?.getTime()};
}

describe('listings', () => {
	it('a generated Unix listing parses back to its names, types, sizes and dates', () => {
		check(fc.property(fc.array(unixEntry, {minLength: 1, maxLength: 20}), fc.boolean(), (entries, crlf) => {
			const text = ['total 42', ...entries.map(entry => unixLine(entry))].join(crlf ? '\r\n' : '\n');
			const parsed = parseListing(text, {now});
			expect(parsed.map(entry => fieldsOf(entry))).toEqual(entries.map(entry => ({
				name: entry.name,
				type: entry.type,
				size: entry.size,
				modified: expectedDate(entry).getTime(),
			})));
		}));
	});

	it('a generated MLSD listing parses back to its names, types, sizes and UTC times', () => {
		check(fc.property(fc.array(mlsdEntry, {minLength: 1, maxLength: 20}), entries => {
			const lines = entries.map(entry => `type=${entry.type};size=${entry.size};modify=${mlsdTime(entry.modified)};perm=r; ${entry.name}`);
			const parsed = parseMlsd(['type=cdir;modify=20240101000000; .', ...lines].join('\r\n'));
			expect(parsed.map(entry => fieldsOf(entry))).toEqual(entries.map(entry => ({
				name: entry.name,
				type: entry.type,
				size: entry.size,
				modified: Math.floor(entry.modified.getTime() / 1000) * 1000 + entry.modified.getMilliseconds(),
			})));
		}));
	});

	it('never throw on whole listings of any bytes, and give at most one entry a line', () => {
		check(fc.property(fc.string({unit: 'binary', maxLength: 2000}), text => {
			const lines = text.split('\n').length;
			expect(parseListing(text, {now}).length).toBeLessThanOrEqual(lines);
			expect(parseMlsd(text).length).toBeLessThanOrEqual(lines);
		}));
	});
});

const hostName = fc.oneof(
	fc.domain().map(name => name.toLowerCase()),
	fc.ipV4(),
	fc.constantFrom('::1', 'fe80::1', '2001:db8::42'),
);
const segment = fc.string({unit: 'grapheme', minLength: 1, maxLength: 12})
	.filter(text => !/[/\r\n\0]/.test(text) && !/\p{Cs}/u.test(text));
const ftpUrl: fc.Arbitrary<FtpUrl> = fc.record({
	scheme: fc.constantFrom('ftp', 'ftpes', 'ftps'),
	host: hostName,
	port: fc.integer({min: 1, max: 65_535}),
	user: fc.option(segment.filter(text => text.trim() === text), {nil: undefined}),
	absolute: fc.boolean(),
	segments: fc.array(segment, {maxLength: 4}),
}).map(({absolute, segments, user, ...rest}) => ({
	...rest,
	...(user === undefined ? {} : {user}),
	path: (absolute ? '/' : '') + segments.join('/'),
}));

describe('URLs', () => {
	it('a URL ftpane prints reads back as the same URL, user, host, port and path', () => {
		check(fc.property(ftpUrl, url => {
			const back = parseFtpUrl(formatFtpUrl(url));
			expect(back).toEqual(url);
		}));
	});

	it('any text either parses or is refused with a usage error, never anything else', () => {
		check(fc.property(fc.oneof(fc.string({maxLength: 80}), fc.webUrl().map(text => text.replace(/^https?/, 'ftp'))), text => {
			try {
				parseFtpUrl(text);
			} catch (error) {
				expect((error as {kind?: string}).kind).toBe('usage');
			}
		}));
	});
});

/** A netrc token as a file would hold it: bare when it can be, else quoted with `\` before `"` and `\`. */
function netrcToken(value: string): string {
	return /^[^\s"#\\]+$/.test(value) && !['machine', 'default', 'login', 'password', 'account', 'macdef'].includes(value)
		? value
		: `"${value.replaceAll(/["\\]/g, match => `\\${match}`)}"`;
}

const netrcValue = fc.string({unit: 'grapheme', minLength: 1, maxLength: 16}).filter(text => !/[\r\n]/.test(text));

describe('.netrc', () => {
	it('machines, logins and passwords written to a file read back, quoted or not', () => {
		const entry = fc.record({machine: fc.domain(), login: netrcValue, password: netrcValue});
		check(fc.property(fc.uniqueArray(entry, {selector: one => one.machine.toLowerCase(), minLength: 1, maxLength: 5}), entries => {
			const text = entries.map(one => `machine ${one.machine}\n\tlogin ${netrcToken(one.login)}\n\tpassword ${netrcToken(one.password)}\n`).join('');
			const parsed = parseNetrc(text);
			expect(parsed).toEqual(entries);
			for (const one of entries) {
				expect(lookupNetrc(parsed, one.machine.toUpperCase())?.password).toBe(one.password);
			}
		}));
	});

	it('never throws on any text', () => {
		check(fc.property(fc.string({unit: 'binary', maxLength: 400}), text => {
			expect(Array.isArray(parseNetrc(text))).toBe(true);
		}));
	});
});

describe('the agent\'s request header', () => {
	it('every cut short of the newline waits for more; the whole header reads back; the body is never taken as header', () => {
		check(fc.property(fc.string({unit: 'binary', maxLength: 300}), fc.nat({max: Number.MAX_SAFE_INTEGER}), fc.uint8Array({maxLength: 32}), (name, size, body) => {
			const header = Buffer.from(formatHeader(name, size));
			const received = Buffer.concat([header, body]);
			for (const cut of [0, 1, Math.floor(header.length / 2), header.length - 1]) {
				expect(parseHeader(received.subarray(0, cut)).state).toBe('incomplete');
			}

			const parsed = parseHeader(received);
			expect(parsed).toMatchObject({state: 'complete', headerLength: header.length, header: {size}});
			// The name read back is the name written (made one line), so the size is never taken from it.
			expect(parsed.state === 'complete' && `${parsed.header.name}${headerSeparator}${parsed.header.size}\n`).toBe(header.toString());
		}));
	});
});

/** Names a hostile server may send: the tricks among ordinary text. */
const remoteName = fc.oneof(
	fc.constantFrom('..', '.', '', '/', '\\', '../x', 'a/..', '..\\..\\x', '/etc/passwd', 'a\u0000b', 'a\r\nb', '\u001B[2J', '\u202Egnp.exe', 'x\u009Bz', 'ok.txt'),
	fc.string({unit: 'grapheme', maxLength: 20}),
	fc.array(fc.constantFrom('..', '/', '\\', '.', 'a', '\u0000', '\n', ' '), {maxLength: 8}).map(parts => parts.join('')),
);

describe('remote names', () => {
	it('a name is either refused or lands as one direct child of the chosen directory', () => {
		check(fc.property(remoteName, name => {
			const dir = '/srv/downloads';
			let accepted: string;
			try {
				accepted = safeLocalName(name);
			} catch {
				expect(() => joinSafe(dir, name)).toThrow();
				return;
			}

			const joined = joinSafe(dir, accepted);
			expect(path.dirname(joined)).toBe(dir);
			expect(path.basename(joined)).toBe(accepted);
		}));
	});
});

type GeneratedNode = {name: string; type: 'file' | 'dir' | 'link'; children?: GeneratedNode[]};

/** A tree whose names come from `name`, as a server (any names) or the local disk (real names only) lists it. */
function generatedTree(name: fc.Arbitrary<string>): fc.Arbitrary<GeneratedNode[]> {
	return fc.letrec<{nodes: GeneratedNode[]; node: GeneratedNode}>(tie => ({
		node: fc.oneof(
			{depthSize: 'small', withCrossShrink: true},
			fc.record({name, type: fc.constantFrom('file' as const, 'link' as const)}),
			fc.record({name, type: fc.constant('dir' as const), children: tie('nodes')}),
		),
		nodes: fc.array(tie('node'), {maxLength: 5}),
	})).nodes;
}

/** A name the local disk can hold: no `/`, no NUL, not `.` or `..`. */
const localName = fc.string({unit: 'grapheme', minLength: 1, maxLength: 20}).filter(name => !/[/\0]/.test(name) && name !== '.' && name !== '..');

function entryOf(node: GeneratedNode): FileEntry {
	return {name: node.name, type: node.type, size: 1};
}

/** Serves the generated tree as directory listings, by path, as a server would: the walk asks, the tree answers. */
function listerOf(tree: GeneratedNode[], root: string): (dir: string) => Promise<FileEntry[]> {
	const listings = new Map<string, GeneratedNode[]>();
	const add = (nodes: GeneratedNode[], dir: string) => {
		listings.set(dir, nodes);
		for (const node of nodes) {
			if (node.children) {
				add(node.children, joinPath(dir, node.name));
			}
		}
	};

	add(tree, root);
	return async dir => (listings.get(dir) ?? []).map(node => entryOf(node));
}

describe('the copy planner', () => {
	it('never writes outside the destination and never plans one target twice, whatever a server lists', async () => {
		const tree = fc.oneof(
			fc.record({from: fc.constant('remote' as const), nodes: generatedTree(remoteName)}),
			fc.record({from: fc.constant('local' as const), nodes: generatedTree(localName)}),
		);
		await checkAsync(fc.asyncProperty(
			tree,
			fc.array(fc.record({name: remoteName, type: fc.constantFrom('file' as const, 'dir' as const, 'link' as const)}), {maxLength: 6}),
			fc.option(fc.constantFrom('renamed', 'new name.txt'), {nil: undefined}),
			async ({from, nodes}, existing, asName) => {
				const sourceDir = '/src';
				const targetDir = '/dest/dir';
				const selection = await walkSelection(listerOf(nodes, sourceDir), sourceDir, nodes.map(node => entryOf(node)));
				const plan = planTransfer({
					from,
					sourceDir,
					targetDir,
					nodes: selection,
					destination: new Map([[targetDir, existing]]),
					...(asName ? {asName} : {}),
				});
				const targets = plan.flatMap(item => (item.type === 'skip' ? [] : [item.target]));
				for (const target of targets) {
					expect(path.posix.normalize(target).startsWith(`${targetDir}/`)).toBe(true);
					expect(path.posix.normalize(target)).toBe(target);
				}

				expect(new Set(targets).size).toBe(targets.length);
			},
		), Math.max(100, Math.floor(numRuns / 4)));
	});
});
