import {describe, expect, it} from 'vitest';
import {decodeKey} from '../../../source/ui/keys/decode-key.js';
import {expireEscapePrefix, feedEscapePrefix, idleEscapePrefix, type EscapePrefixState} from '../../../source/ui/keys/escape-prefix.js';
import {keyId} from '../../../source/ui/keys/key.js';

/** Feeds sequences one event at a time, as they would arrive from the terminal; `null` is the timeout. */
function run(events: Array<string | null>): string[] {
	let state: EscapePrefixState = idleEscapePrefix;
	const out: string[] = [];
	for (const event of events) {
		const step = event === null ? expireEscapePrefix(state) : feedEscapePrefix(state, decodeKey(event));
		state = step.state;
		out.push(...step.keys.map(key => keyId(key)));
	}

	return out;
}

describe('EscapePrefixState', () => {
	it('turns Esc then a digit in separate events into a function key', () => {
		expect(run(['\u001B', '5'])).toEqual(['f5']);
		expect(run(['\u001B', '0'])).toEqual(['f10']);
	});

	it('holds a lone Esc until the timeout', () => {
		expect(run(['\u001B'])).toEqual([]);
		expect(run(['\u001B', null])).toEqual(['escape']);
	});

	it('closes at once on a second Esc', () => {
		expect(run(['\u001B', '\u001B'])).toEqual(['escape']);
	});

	it('makes Esc then a letter Alt-letter', () => {
		expect(run(['\u001B', 'v'])).toEqual(['alt-v']);
	});

	it('lets Esc then a non-character key through as both', () => {
		expect(run(['\u001B', '\u001B[A'])).toEqual(['escape', 'up']);
	});

	it('passes everything else straight through', () => {
		expect(run(['q', '\u001B[15~', '\u001B5', null])).toEqual(['q', 'f5', 'f5']);
	});
});
