import {describe, expect, it} from 'vitest';
import type {FileEntry} from '../../../source/engine/api/file-entry.js';
import {functionKeyLabels} from '../../../source/ui/keys/keymap.js';
import {helpLines} from '../../../source/ui/keys/help-lines.js';
import {files, press, reduce, stateWith} from './helpers.js';

const esc = '\u001B';
const f4 = `${esc}OS`;
const ctrlX = '\u0018';

const listed: FileEntry[] = [{name: 'docs', type: 'dir'}, ...files(['a.txt'])];

describe('reducer: F4 edits (mc)', () => {
	it('queues an edit of the local file under the cursor (F4 and Esc 4 alike)', () => {
		const onFile = press(stateWith(listed), `${esc}[B${esc}[B`);
		for (const key of [f4, `${esc}4`]) {
			const state = press(onFile, key);
			expect(state.dialog).toBeNull();
			expect(state.outbox.at(-1)).toEqual({type: 'edit', side: 'local', path: '/home/u/a.txt', id: expect.any(Number)});
		}
	});

	it('queues an edit of a remote file, and says why it cannot while not connected', () => {
		let state = stateWith(listed);
		expect(press(state, `\t${f4}`).message).toBe('Not connected: press F2 or Ctrl-O to connect.');
		state = reduce(state, {type: 'connected', path: '/pub'});
		state = reduce(state, {type: 'listing-loaded', side: 'remote', path: '/pub', entries: files(['r.txt'])}, {type: 'effects-taken', upTo: 99});
		state = press(state, `\t${esc}[B${f4}`);
		expect(state.outbox.at(-1)).toMatchObject({type: 'edit', side: 'remote', path: '/pub/r.txt'});
	});

	it('says why on a directory or on .., and queues nothing', () => {
		const onDir = press(press(stateWith(listed), `${esc}[B`), f4);
		expect(onDir.message).toBe('Cannot edit "docs": it is a directory.');
		expect(onDir.outbox).toEqual([]);
		const onParent = press(stateWith(listed), f4);
		expect(onParent.message).toBe('Nothing to edit: move the cursor to a file.');
		expect(onParent.outbox).toEqual([]);
	});

	it('no longer stops transfers from the panes: Stop is the queue view\'s `s`', () => {
		const running = reduce(stateWith(listed), {type: 'jobs-changed', jobs: [{id: 7, direction: 'download', label: 'big.iso', state: 'running'}]});
		expect(press(running, f4).dialog).toBeNull();
		const stop = press(running, `${ctrlX}js`);
		expect(stop.dialog).toMatchObject({type: 'cancel-job', job: {id: 7}});
		// The queue view is behind it and comes back when the question is answered.
		expect(press(stop, 'k').dialog).toMatchObject({type: 'queue'});
	});

	it('labels F4 Edit in the key bar and lists the new keys in the help', () => {
		expect(functionKeyLabels.find(([number]) => number === 4)?.[1]).toBe('Edit');
		const help = helpLines().join('\n');
		expect(help).toMatch(/F4 +Edit \(\$VISUAL\/\$EDITOR, else vi\)/);
		expect(help).toMatch(/Ctrl-X c +Permissions \(chmod\)/);
		expect(help).toMatch(/Ctrl-X d +Compare dirs/);
		expect(help).toMatch(/\ns +Stop the running file, or all transfers/);
	});
});
