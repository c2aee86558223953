import {describe, expect, it} from 'vitest';
import {decodeKey, decodeKeys} from '../../../source/ui/keys/decode-key.js';
import {keyId} from '../../../source/ui/keys/key.js';
import {splitSequences} from '../../../source/ui/keys/split-sequences.js';

const esc = '\u001B';
const id = (sequence: string) => keyId(decodeKey(sequence));
const ids = (table: Record<string, string>) => Object.fromEntries(Object.keys(table).map(sequence => [sequence, id(sequence)]));

describe('decodeKey: xterm', () => {
	it('decodes arrows in normal and application cursor mode', () => {
		const table = {
			[`${esc}[A`]: 'up', [`${esc}[B`]: 'down', [`${esc}[C`]: 'right', [`${esc}[D`]: 'left',
			[`${esc}OA`]: 'up', [`${esc}OB`]: 'down', [`${esc}OC`]: 'right', [`${esc}OD`]: 'left',
		};
		expect(ids(table)).toEqual(table);
	});

	it('decodes Home/End in every spelling', () => {
		const table = {
			[`${esc}[H`]: 'home', [`${esc}[F`]: 'end', [`${esc}OH`]: 'home', [`${esc}OF`]: 'end',
			[`${esc}[1~`]: 'home', [`${esc}[4~`]: 'end', [`${esc}[7~`]: 'home', [`${esc}[8~`]: 'end',
		};
		expect(ids(table)).toEqual(table);
	});

	it('decodes the editing keypad', () => {
		expect(ids({[`${esc}[2~`]: '', [`${esc}[3~`]: '', [`${esc}[5~`]: '', [`${esc}[6~`]: ''})).toEqual({
			[`${esc}[2~`]: 'insert', [`${esc}[3~`]: 'delete', [`${esc}[5~`]: 'pageup', [`${esc}[6~`]: 'pagedown',
		});
	});

	it('decodes F1-F12', () => {
		const table = {
			[`${esc}OP`]: 'f1', [`${esc}OQ`]: 'f2', [`${esc}OR`]: 'f3', [`${esc}OS`]: 'f4',
			[`${esc}[15~`]: 'f5', [`${esc}[17~`]: 'f6', [`${esc}[18~`]: 'f7', [`${esc}[19~`]: 'f8',
			[`${esc}[20~`]: 'f9', [`${esc}[21~`]: 'f10', [`${esc}[23~`]: 'f11', [`${esc}[24~`]: 'f12',
		};
		expect(ids(table)).toEqual(table);
	});

	it('decodes modifiers in the parameter', () => {
		const table = {
			[`${esc}[1;2P`]: 'shift-f1', [`${esc}[1;5R`]: 'ctrl-f3', [`${esc}[15;5~`]: 'ctrl-f5', [`${esc}[15;2~`]: 'shift-f5',
			[`${esc}[21;3~`]: 'alt-f10', [`${esc}[1;5A`]: 'ctrl-up', [`${esc}[1;2B`]: 'shift-down', [`${esc}[5;5~`]: 'ctrl-pageup',
			[`${esc}[1;6D`]: 'ctrl-shift-left', [`${esc}[Z`]: 'shift-tab',
		};
		expect(ids(table)).toEqual(table);
	});
});

describe('decodeKey: Linux console', () => {
	it('decodes ESC [[A..E as F1..F5 and the rest as VT220', () => {
		const table = {
			[`${esc}[[A`]: 'f1', [`${esc}[[B`]: 'f2', [`${esc}[[C`]: 'f3', [`${esc}[[D`]: 'f4', [`${esc}[[E`]: 'f5',
			[`${esc}[17~`]: 'f6', [`${esc}[1~`]: 'home', [`${esc}[4~`]: 'end',
		};
		expect(ids(table)).toEqual(table);
	});
});

describe('decodeKey: rxvt', () => {
	it('decodes ESC [11~..[14~ as F1..F4', () => {
		const table = {[`${esc}[11~`]: 'f1', [`${esc}[12~`]: 'f2', [`${esc}[13~`]: 'f3', [`${esc}[14~`]: 'f4'};
		expect(ids(table)).toEqual(table);
	});

	it('decodes rxvt modifier finals and arrows', () => {
		const table = {
			[`${esc}[15$`]: 'shift-f5', [`${esc}[15^`]: 'ctrl-f5', [`${esc}[15@`]: 'ctrl-shift-f5', [`${esc}[7~`]: 'home', [`${esc}[8~`]: 'end',
			[`${esc}[a`]: 'shift-up', [`${esc}Ob`]: 'ctrl-down', [`${esc}[25~`]: 'f13',
		};
		expect(ids(table)).toEqual(table);
	});
});

describe('decodeKey: screen and tmux', () => {
	// What tmux sends inside for TERM=screen and TERM=tmux-256color (kf1..kf4 = ESC O P..S, khome = ESC [1~).
	it('decodes the terminfo keys of screen / tmux-256color', () => {
		const table = {
			[`${esc}OP`]: 'f1', [`${esc}OQ`]: 'f2', [`${esc}OR`]: 'f3', [`${esc}OS`]: 'f4', [`${esc}[15~`]: 'f5',
			[`${esc}[1~`]: 'home', [`${esc}[4~`]: 'end', [`${esc}[1;5C`]: 'ctrl-right',
		};
		expect(ids(table)).toEqual(table);
	});

	it('decodes a chunk captured from tmux 3.3a (TERM=screen and tmux-256color alike)', () => {
		// tmux send-keys F1 F2 F3 F4 F5 F10 Home End PPage NPage IC DC Up S-F5 C-F5 Escape 5 x
		const chunk = '\u001BOP\u001BOQ\u001BOR\u001BOS\u001B[15~\u001B[21~\u001B[1~\u001B[4~\u001B[5~\u001B[6~\u001B[2~\u001B[3~\u001B[A\u001B[15;2~\u001B[15;5~\u001B5x';
		expect(decodeKeys(chunk).map(key => keyId(key))).toEqual([
			'f1', 'f2', 'f3', 'f4', 'f5', 'f10', 'home', 'end', 'pageup', 'pagedown', 'insert', 'delete', 'up', 'shift-f5', 'ctrl-f5', 'f5', 'x',
		]);
	});
});

describe('decodeKey: single bytes and text', () => {
	it('decodes Enter, Backspace, Tab, Esc', () => {
		expect([id('\r'), id('\n'), id('\u007F'), id('\b'), id('\t'), id(esc), id(`${esc}${esc}`)]).toEqual(['enter', 'enter', 'backspace', 'backspace', 'tab', 'escape', 'escape']);
	});

	it('decodes Ctrl-letters', () => {
		expect([id('\u0012'), id('\u000F'), id('\u0001'), id('\u001A'), id('\u0000'), id('\u001C')]).toEqual(['ctrl-r', 'ctrl-o', 'ctrl-a', 'ctrl-z', 'ctrl-space', 'ctrl-\\']);
	});

	it('decodes printable text, multi-byte UTF-8 included', () => {
		expect([id('q'), id('Q'), id(' '), id('+'), id('é'), id('日'), id('ệ'), id('👍')]).toEqual(['q', 'Q', 'space', '+', 'é', '日', 'ệ', '👍']);
	});

	it('decodes Esc + digit as F1..F10, Esc 0 as F10', () => {
		expect([id(`${esc}1`), id(`${esc}5`), id(`${esc}9`), id(`${esc}0`)]).toEqual(['f1', 'f5', 'f9', 'f10']);
	});

	it('decodes Esc + key as Alt', () => {
		expect([id(`${esc}v`), id(`${esc}<`), id(`${esc}${esc}[A`)]).toEqual(['alt-v', 'alt-<', 'alt-up']);
	});

	it('decodes the application keypad', () => {
		expect([id(`${esc}Ok`), id(`${esc}Om`), id(`${esc}Oj`), id(`${esc}OM`)]).toEqual(['+', '-', '*', 'enter']);
	});

	it('decodes the CSI u form', () => {
		expect([id(`${esc}[13u`), id(`${esc}[27u`), id(`${esc}[114;5u`)]).toEqual(['enter', 'escape', 'ctrl-r']);
	});

	it('reports what it does not know as unknown, with the bytes', () => {
		const key = decodeKey(`${esc}[99~`);
		expect(key.name).toBe('unknown');
		expect(key.sequence).toBe(`${esc}[99~`);
	});
});

describe('decodeKeys / splitSequences', () => {
	it('splits a run of typed text into keys', () => {
		expect(decodeKeys('jjq').map(key => keyId(key))).toEqual(['j', 'j', 'q']);
	});

	it('splits mixed escape sequences and text', () => {
		expect(splitSequences(`a${esc}[B${esc}OP${esc}[[A${esc}[15;5~${esc}5\r`)).toEqual(['a', `${esc}[B`, `${esc}OP`, `${esc}[[A`, `${esc}[15;5~`, `${esc}5`, '\r']);
	});

	it('keeps a grapheme whole', () => {
		expect(splitSequences('e\u0323\u0302x')).toEqual(['e\u0323\u0302', 'x']);
	});

	it('keeps a trailing lone Esc', () => {
		expect(splitSequences(`x${esc}`)).toEqual(['x', esc]);
	});
});
