import {describe, expect, it} from 'vitest';
import type {AppState} from '../../../source/ui/state/app-state.js';
import {runAround, viewerCacheBytes, viewerChunkBytes, viewerSearchBytes, withChunk, type ViewerChunk} from '../../../source/ui/state/viewer-bytes.js';
import type {ViewerState} from '../../../source/ui/state/viewer-state.js';
import {viewerScreen} from '../../../source/ui/state/viewer-commands.js';
import {viewerMessage, viewerRows, viewerStatus} from '../../../source/ui/view/viewer-screen.js';
import {press, reduce, stateWith} from './helpers.js';

const esc = '\u001B';
const keys = {down: `${esc}[B`, up: `${esc}[A`, pageDown: `${esc}[6~`, pageUp: `${esc}[5~`, home: `${esc}[H`, end: `${esc}[F`, right: `${esc}[C`, left: `${esc}[D`, f2: `${esc}OQ`, f3: `${esc}OR`, f4: `${esc}OS`, f7: `${esc}[18~`};

/** A file as the viewer's reads see it: its size and the bytes at an offset, made on demand so 50 MiB costs nothing. */
type FakeFile = {size: number; bytes(offset: number, length: number): Buffer};

function fileOf(content: string | Buffer): FakeFile {
	const buffer = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
	return {size: buffer.length, bytes: (offset, length) => buffer.subarray(offset, offset + length)};
}

/** `lines` lines of 16 bytes each, `000000000000042\n`: line n holds n - 1. */
function numberedLines(lines: number): FakeFile {
	return {
		size: lines * 16,
		bytes(offset, length) {
			const end = Math.min(offset + length, lines * 16);
			const out = Buffer.alloc(Math.max(0, end - offset));
			for (let position = offset; position < end; position++) {
				const text = `${String(Math.floor(position / 16)).padStart(15, '0')}\n`;
				out[position - offset] = text.codePointAt(position % 16)!;
			}

			return out;
		},
	};
}

type Viewing = {state: AppState; reads: number[]};

/** Opens the viewer on one local file with F3, its reads answered from `file`. */
function open(file: FakeFile, name = 'f.txt', options: {scroll?: number; columns?: number} = {}): Viewing {
	let state = stateWith([{name, type: 'file', size: file.size}]);
	state = reduce(state, {type: 'resize', rows: {list: 10, scroll: options.scroll ?? 10, columns: options.columns ?? 80}});
	return serve({state: press(state, `${keys.down}${keys.f3}`), reads: []}, file);
}

/** Answers the viewer's reads as the effect runner would, until it asks for no more. */
function serve(viewing: Viewing, file: FakeFile, most = 1000): Viewing {
	let {state} = viewing;
	const reads = [...viewing.reads];
	for (let round = 0; round < most; round++) {
		const asked = state.outbox.filter(effect => effect.type === 'viewer-read');
		if (asked.length === 0) {
			break;
		}

		state = reduce(state, {type: 'effects-taken', upTo: state.outbox.at(-1)!.id});
		for (const read of asked) {
			reads.push(read.offset);
			state = reduce(state, {type: 'viewer-bytes', session: read.session, offset: read.offset, bytes: file.bytes(read.offset, read.length), asked: read.length});
		}
	}

	return {state, reads};
}

function keysOn(viewing: Viewing, file: FakeFile, input: string): Viewing {
	return serve({state: press(viewing.state, input), reads: viewing.reads}, file);
}

function viewerOf(state: AppState): ViewerState {
	if (state.dialog?.type !== 'viewer') {
		throw new Error(`no viewer open: ${state.dialog?.type}`);
	}

	return state.dialog.viewer;
}

function shown(state: AppState): string[] {
	return viewerRows(viewerOf(state), viewerScreen(state)).map(row => row.text);
}

describe('viewer: position and paging', () => {
	it('says where it is by line and percent, never "of 501" for a 500-line file', () => {
		const text = Array.from({length: 500}, (_, index) => `line ${index + 1}`).join('\n') + '\n';
		const file = fileOf(text);
		let viewing = open(file);
		// 14 text rows on a 10-row scroll area: the viewer takes the whole screen.
		expect(shown(viewing.state).slice(0, 2)).toEqual(['line 1', 'line 2']);
		expect(viewerStatus(viewerOf(viewing.state))).toMatch(/^\/home\/u\/f\.txt {3}Line 1 {3}.+ {3}\d+%$/);
		viewing = keysOn(viewing, file, keys.end);
		const status = viewerStatus(viewerOf(viewing.state));
		expect(status).toContain('Line 487');
		expect(status).toContain('100%');
		expect(status).not.toMatch(/of \d/);
		expect(shown(viewing.state).at(-1)).toBe('line 500');
		viewing = keysOn(viewing, file, keys.pageDown);
		expect(shown(viewing.state).at(-1)).toBe('line 500');
		viewing = keysOn(viewing, file, keys.home + keys.pageDown + keys.down);
		expect(shown(viewing.state)[0]).toBe('line 16');
		expect(viewerStatus(viewerOf(viewing.state))).toContain('Line 16');
	});

	it('opens a 50 MiB file with one read at its start, and End reads only its tail', () => {
		const file = numberedLines((50 * 1024 * 1024) / 16);
		let viewing = open(file, 'big.log');
		expect(viewing.reads).toEqual([0]);
		expect(shown(viewing.state)[0]).toBe('000000000000000');
		viewing = keysOn({...viewing, reads: []}, file, keys.end);
		expect(Math.min(...viewing.reads)).toBeGreaterThanOrEqual(file.size - (2 * viewerChunkBytes));
		expect(shown(viewing.state).at(-1)).toBe(String((file.size / 16) - 1).padStart(15, '0'));
		expect(viewerStatus(viewerOf(viewing.state))).toContain('100%');
		// Far from the start no line number is known: the byte offset says where it is.
		expect(viewerStatus(viewerOf(viewing.state))).toContain(`Byte ${file.size - (14 * 16)}`);
	});

	it('pages on across a window boundary and back, reading what it needs', () => {
		const file = numberedLines(20_000);
		let viewing = open(file);
		for (let page = 0; page < 300; page++) {
			viewing = keysOn(viewing, file, keys.pageDown);
		}

		// 300 pages of 14 rows: line 4201 is on top, and the lines were counted on the way.
		expect(shown(viewing.state)[0]).toBe('000000000004200');
		expect(viewerStatus(viewerOf(viewing.state))).toContain('Line 4201');
		for (let page = 0; page < 300; page++) {
			viewing = keysOn(viewing, file, keys.pageUp);
		}

		expect(shown(viewing.state)[0]).toBe('000000000000000');
		expect(viewerOf(viewing.state).chunks.length).toBeLessThanOrEqual(8);
	});
});

describe('viewer: wrap, hex and what reaches the terminal', () => {
	it('wraps long lines and, unwrapped with F2, scrolls them sideways', () => {
		const file = fileOf(`${'a'.repeat(80)}${'b'.repeat(80)}${'c'.repeat(10)}\nnext\n`);
		let viewing = open(file);
		expect(shown(viewing.state).slice(0, 4)).toEqual(['a'.repeat(80), 'b'.repeat(80), 'c'.repeat(10), 'next']);
		viewing = keysOn(viewing, file, keys.f2);
		expect(shown(viewing.state).slice(0, 2)).toEqual(['a'.repeat(80), 'next']);
		viewing = keysOn(viewing, file, keys.right.repeat(85));
		expect(shown(viewing.state).slice(0, 2)).toEqual([`${'b'.repeat(75)}${'c'.repeat(5)}`, '']);
		expect(viewerStatus(viewerOf(viewing.state))).toContain('Col 85');
		viewing = keysOn(viewing, file, keys.left + keys.f2);
		expect(shown(viewing.state)[1]).toBe('b'.repeat(80));
	});

	it('shows hex with F4 (offset, 16 bytes, characters) and pages by bytes', () => {
		const file = fileOf(`Hello, world!\n${'x'.repeat(300)}`);
		let viewing = open(file);
		viewing = keysOn(viewing, file, keys.f4);
		expect(shown(viewing.state)[0]).toBe('00000000  48 65 6C 6C 6F 2C 20 77  6F 72 6C 64 21 0A 78 78  Hello, world!.xx');
		viewing = keysOn(viewing, file, keys.down);
		expect(shown(viewing.state)[0]).toMatch(/^00000010 {2}78 /);
		expect(viewerStatus(viewerOf(viewing.state))).toContain('Offset 0x00000010');
		viewing = keysOn(viewing, file, keys.end);
		expect(shown(viewing.state).at(-1)).toMatch(/^00000130 {2}78 78 78 78 78 78 78 78  78 78 {20}x{10}$/);
		viewing = keysOn(viewing, file, keys.f4 + keys.home);
		expect(shown(viewing.state)[0]).toBe('Hello, world!');
	});

	it('opens a binary file in hex by itself', () => {
		const file = fileOf(Buffer.from([0x4D, 0x5A, 0x00, 0x01, 0x1B, 0x5B]));
		const viewing = open(file, 'x.bin');
		expect(shown(viewing.state)[0]).toBe('00000000  4D 5A 00 01 1B 5B' + ' '.repeat(31) + '  MZ...[');
	});

	it('never passes control characters or terminal escapes to the screen', () => {
		const file = fileOf('\u001B[31mred\u0007 \u009B2J \u202Egnp.exe\r\nok\tx\r\n');
		const rows = shown(open(file).state);
		expect(rows.slice(0, 2)).toEqual(['.[31mred. .2J .gnp.exe', 'ok      x']);
		expect(rows.join('')).not.toMatch(/[\u0000-\u001F\u007F-\u009F\u202E]/);
	});
});

describe('viewer: search', () => {
	const before = 'x'.repeat(viewerChunkBytes - 3);
	const file = fileOf(`start\n${before}needle here\n${'y\n'.repeat(50_000)}second needle\nend\n`);

	it('finds text across a window boundary, reading on from where it stands, and highlights it', () => {
		let viewing = open(file);
		viewing = keysOn(viewing, file, `${keys.f7}NEEDLE\r`);
		const viewer = viewerOf(viewing.state);
		expect(viewer.match).toEqual({offset: 6 + before.length, length: 6});
		const rows = viewerRows(viewer, viewerScreen(viewing.state));
		const marked = rows.find(row => row.mark);
		expect(marked?.text.slice(marked.mark!.from, marked.mark!.to)).toBe('needle');
		expect(viewerMessage(viewer)).toBeUndefined();
	});

	it('goes on with n or Shift-F7, back with N, and says when there is no more', () => {
		let viewing = keysOn(open(file), file, '/needle\r');
		viewing = keysOn(viewing, file, 'n');
		expect(shown(viewing.state)[0]).toBe('second needle');
		// Shift-F7 (xterm's sequence) is mc's other key for the next match.
		viewing = keysOn(viewing, file, `${esc}[18;2~`);
		expect(viewerMessage(viewerOf(viewing.state))).toBe('Not found: needle');
		expect(shown(viewing.state)[0]).toBe('second needle');
		viewing = keysOn(viewing, file, 'N');
		expect(viewerOf(viewing.state).match?.offset).toBe(6 + before.length);
	});

	it('searches backward with ?, reading the windows before the screen', () => {
		let viewing = keysOn(open(file), file, keys.end);
		viewing = keysOn({...viewing, reads: []}, file, '?NEEDLE\r');
		expect(viewerOf(viewing.state).match).toEqual({offset: 6 + before.length, length: 6});
		expect(shown(viewing.state)[0]).toMatch(/needle here$/);
		expect(viewing.reads.length).toBeGreaterThan(0);
	});

	it('is stopped by Esc while it still reads, and the next Esc closes the viewer', () => {
		let state = press(open(file).state, '/end\r');
		expect(viewerMessage(viewerOf(state))).toBe('Searching for "end"... (Esc stops)');
		state = press(state, `${esc}${esc}`);
		expect(viewerMessage(viewerOf(state))).toBe('Search stopped.');
		expect(press(state, 'q').dialog).toBeNull();
	});

	it('drops bytes that arrive after the viewer closed', () => {
		const state = press(open(file).state, 'q');
		expect(reduce(state, {type: 'viewer-bytes', session: 1, offset: 0, bytes: new Uint8Array(3), asked: 3})).toBe(state);
	});
});

describe('viewer: the windows it keeps', () => {
	it('keeps at most viewerCacheBytes, dropping the windows farthest from where it looks, never the newest', () => {
		let chunks: ViewerChunk[] = [];
		const window = (index: number) => ({offset: index * viewerSearchBytes, bytes: new Uint8Array(viewerSearchBytes)});
		for (let index = 0; index < 10; index++) {
			chunks = withChunk(chunks, window(index), [0, index * viewerSearchBytes]);
		}

		expect(chunks.reduce((sum, chunk) => sum + chunk.bytes.length, 0)).toBeLessThanOrEqual(viewerCacheBytes);
		// The screen's window at 0 and the search's latest windows stay.
		expect(chunks.map(chunk => chunk.offset / viewerSearchBytes)).toEqual([0, 7, 8, 9]);
	});

	it('reads overlapping windows as one run, each byte once', () => {
		const bytes = Buffer.from('abcdefghij');
		const chunks = [{offset: 0, bytes: bytes.subarray(0, 4)}, {offset: 2, bytes: bytes.subarray(2, 8)}, {offset: 8, bytes: bytes.subarray(8)}];
		const run = runAround(chunks, 5);
		expect({from: run.from, text: Buffer.from(run.bytes).toString()}).toEqual({from: 0, text: 'abcdefghij'});
		expect(runAround(chunks, 12).bytes.length).toBe(0);
	});

	it('says when a read fails, asks for nothing more until the next key, then tries again', () => {
		const file = fileOf('some text\n');
		let state = press(stateWith([{name: 'f.txt', type: 'file', size: file.size}]), `${keys.down}${keys.f3}`);
		const read = state.outbox.find(effect => effect.type === 'viewer-read')!;
		state = reduce(state, {type: 'effects-taken', upTo: read.id}, {type: 'viewer-read-failed', session: viewerOf(state).session, offset: 0, error: {kind: 'remote', message: 'permission\u001B[2J denied'}});
		expect(viewerMessage(viewerOf(state))).toBe('Cannot read: permission?[2J denied');
		expect(shown(state)[0]).toBe('Cannot read: permission?[2J denied');
		expect(state.outbox).toEqual([]);
		state = press(state, keys.down);
		expect(state.outbox).toEqual([expect.objectContaining({type: 'viewer-read', offset: 0})]);
	});

	it('reads what a taller terminal shows', () => {
		const file = numberedLines(10_000);
		let viewing = open(file, 'f.txt', {scroll: 10});
		viewing = serve({...viewing, state: reduce(viewing.state, {type: 'resize', rows: {list: 10, scroll: 5000, columns: 80}})}, file);
		expect(shown(viewing.state).at(-1)).toBe('000000000005003');
		expect(viewing.reads.length).toBeGreaterThan(1);
	});
});

describe('viewer: the status line', () => {
	it('cuts a long path at its start so where the viewer stands stays in sight', () => {
		const file = fileOf('x\n');
		const viewing = open(file, `${'deep-directory-name-'.repeat(5)}file.txt`);
		const status = viewerStatus(viewerOf(viewing.state), 60);
		expect(status).toMatch(/^….*-file\.txt {3}Line 1 {3}2 B {3}100%$/);
		expect(status.length).toBeLessThanOrEqual(60);
	});
});
