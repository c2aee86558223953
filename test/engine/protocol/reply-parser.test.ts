import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {maxReplyBytes, ReplyParser} from '../../../source/engine/protocol/reply-parser.js';

function parseAll(chunks: string[]) {
	const parser = new ReplyParser();
	return chunks.flatMap(chunk => parser.feed(chunk));
}

describe('ReplyParser', () => {
	it('parses a single-line reply', () => {
		expect(parseAll(['220 Welcome\r\n'])).toEqual([{code: 220, text: 'Welcome', lines: ['220 Welcome']}]);
	});

	it('ends a multi-line reply only at the same code followed by a space', () => {
		const text = [
			'211-Features:',
			' EPSV',
			'211-still inside',
			'200 not the end either',
			'2110 nor this',
			'211 End',
			'',
		].join('\r\n');
		const replies = parseAll([text]);
		expect(replies).toHaveLength(1);
		expect(replies[0]!.code).toBe(211);
		expect(replies[0]!.lines).toHaveLength(6);
		expect(replies[0]!.text.split('\n')[0]).toBe('Features:');
		expect(replies[0]!.text.split('\n').at(-1)).toBe('End');
	});

	it('gives the same replies however the bytes are chunked', () => {
		const text = '220-Hello\r\n220-there\r\n220 ready\r\n331 Password required\r\n230-Welcome\r\n 230 still\r\n230 Logged in\r\n';
		const whole = parseAll([text]);
		fc.assert(fc.property(fc.array(fc.integer({min: 1, max: text.length}), {maxLength: 20}), cuts => {
			const sorted = [...new Set(cuts)].sort((a, b) => a - b);
			const chunks: string[] = [];
			let last = 0;
			for (const cut of sorted) {
				chunks.push(text.slice(last, cut));
				last = cut;
			}

			chunks.push(text.slice(last));
			expect(parseAll(chunks)).toEqual(whole);
		}));
		expect(whole.map(reply => reply.code)).toEqual([220, 331, 230]);
	});

	it('parses replies fed one byte at a time', () => {
		const text = '150-Opening\r\n150 data\r\n226 Transfer complete\r\n';
		expect(parseAll([...text]).map(reply => reply.code)).toEqual([150, 226]);
	});

	it('accepts bare LF line endings and a code with no text', () => {
		expect(parseAll(['200\n', '250 ok\n']).map(reply => [reply.code, reply.text])).toEqual([[200, ''], [250, 'ok']]);
	});

	it('ignores stray text outside a reply', () => {
		expect(parseAll(['garbage line\r\n220 ok\r\n']).map(reply => reply.code)).toEqual([220]);
	});

	it('fails a reply that grows past the cap', () => {
		const parser = new ReplyParser();
		parser.feed('220-start\r\n');
		const line = `${'x'.repeat(1000)}\r\n`;
		expect(() => {
			for (let index = 0; index < (maxReplyBytes / 1000) + 2; index++) {
				parser.feed(line);
			}
		}).toThrow(/exceeds 64 KiB/);
	});

	it('fails an endless line without a newline', () => {
		const parser = new ReplyParser();
		expect(() => parser.feed('2'.repeat(maxReplyBytes + 1))).toThrow(/exceeds/);
	});

	it('is pending while a multi-line reply is open', () => {
		const parser = new ReplyParser();
		parser.feed('230-Hi\r\n');
		expect(parser.isPending).toBe(true);
		parser.feed('230 done\r\n');
		expect(parser.isPending).toBe(false);
	});
});
