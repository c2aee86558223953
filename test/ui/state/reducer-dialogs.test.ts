import {describe, expect, it} from 'vitest';
import type {Question} from '../../../source/engine/api/engine-api.js';
import {Command} from '../../../source/ui/keys/keymap.js';
import type {AppState} from '../../../source/ui/state/app-state.js';
import {dialogButtons} from '../../../source/ui/state/dialog.js';
import {dialogText} from '../../../source/ui/view/dialog-text.js';
import {files, press, reduce, run, stateWith} from './helpers.js';

const esc = '\u001B';
const f10 = `${esc}[21~`;

/** Local pane listing /home/u, remote connected and listing /pub. */
function connectedState(): AppState {
	let state = stateWith(files(['a.txt', 'b.txt']));
	state = reduce(state, {type: 'connected', path: '/pub'});
	return reduce(state, {type: 'listing-loaded', side: 'remote', path: '/pub', entries: files(['r.bin'])}, {type: 'effects-taken', upTo: 99});
}

const conflict: Question = {type: 'conflict', path: '/pub/a.txt', side: 'remote', existingSize: 10, newSize: 20};

describe('reducer: copy', () => {
	it('refuses while not connected', () => {
		const state = press(stateWith(files(['a.txt'])), `${esc}[B${esc}[15~`);
		expect(state.dialog).toBeNull();
		expect(state.message).toBe('Not connected: press F2 or Ctrl-O to connect.');
		// F7 in the remote pane while not connected says the same.
		expect(press(stateWith([]), `\t${esc}[18~`).message).toBe('Not connected: press F2 or Ctrl-O to connect.');
	});

	it('opens with the other pane as destination (F5 and Esc 5 alike) and queues the copy', () => {
		const base = press(connectedState(), `${esc}[B`);
		for (const key of [`${esc}[15~`, `${esc}5`]) {
			const state = press(base, key);
			expect(state.dialog).toMatchObject({type: 'confirm-copy', from: 'local', value: '/pub'});
		}

		const confirmed = press(press(base, `${esc}[15~`), '\r');
		expect(confirmed.dialog).toBeNull();
		expect(confirmed.outbox.at(-1)).toMatchObject({type: 'copy', from: 'local', sourceDir: '/home/u', targetDir: '/pub', entries: [{name: 'a.txt'}]});
	});

	it('copies the marked entries and clears the marks', () => {
		let state = press(connectedState(), '*');
		state = press(state, `${esc}[15~`);
		state = reduce(state, {type: 'text-changed', field: 'value', value: 'incoming'});
		state = press(state, '\r');
		expect(state.outbox.at(-1)).toMatchObject({type: 'copy', targetDir: '/pub/incoming', entries: [{name: 'a.txt'}, {name: 'b.txt'}]});
		expect(state.panes.local.marked.size).toBe(0);
	});

	it('says why on .. with nothing marked (F5, F6, F8), and the next key clears the line', () => {
		for (const key of [`${esc}[15~`, `${esc}[17~`, `${esc}[19~`]) {
			const state = press(connectedState(), key);
			expect(state.dialog).toBeNull();
			expect(state.outbox).toEqual([]);
			expect(state.message).toBe('Nothing to act on: ".." is the parent directory. Move to a file or mark some (Insert).');
			expect(press(state, `${esc}[B`).message).toBeUndefined();
		}
	});

	it('reads the target as mc does: one entry may get a new name, a trailing slash or several entries mean a directory', () => {
		const base = press(connectedState(), `${esc}[B${esc}[15~`);
		const named = press(reduce(base, {type: 'text-changed', field: 'value', value: '/pub/renamed.txt'}), '\r');
		expect(named.outbox.at(-1)).toMatchObject({type: 'copy', targetDir: '/pub/renamed.txt', targetIs: 'dir-or-name'});
		const slash = press(reduce(base, {type: 'text-changed', field: 'value', value: '/pub/incoming/'}), '\r');
		expect(slash.outbox.at(-1)).toMatchObject({type: 'copy', targetDir: '/pub/incoming', targetIs: 'dir'});
		const marked = press(press(press(connectedState(), '*'), `${esc}[15~`), '\r');
		expect(marked.outbox.at(-1)).toMatchObject({type: 'copy', targetDir: '/pub', targetIs: 'dir'});
	});
});

describe('reducer: delete, mkdir, rename', () => {
	it('asks before deleting; n and Esc Esc cancel, y deletes', () => {
		const base = press(stateWith(files(['a.txt'])), `${esc}[B${esc}[19~`);
		expect(base.dialog).toMatchObject({type: 'confirm-delete', entries: [{name: 'a.txt'}]});
		expect(press(base, 'n').dialog).toBeNull();
		expect(press(base, `${esc}${esc}`).outbox).toEqual([]);
		const deleted = press(base, 'y');
		expect(deleted.outbox.at(-1)).toMatchObject({type: 'delete', side: 'local', dir: '/home/u', entries: [{name: 'a.txt'}]});
	});

	it('moves between buttons and presses the focused one', () => {
		const state = press(stateWith(files(['a.txt'])), `${esc}[B${esc}[19~${esc}[C\r`);
		expect(state.dialog).toBeNull();
		expect(state.outbox).toEqual([]);
	});

	it('makes a directory relative to the pane', () => {
		let state = press(stateWith(files(['a'])), `${esc}[18~`);
		expect(state.dialog).toMatchObject({type: 'mkdir', value: ''});
		state = press(reduce(state, {type: 'text-changed', field: 'value', value: 'new dir'}), '\r');
		expect(state.outbox.at(-1)).toMatchObject({type: 'mkdir', side: 'local', path: '/home/u/new dir'});
	});

	it('renames one entry and moves several into a directory', () => {
		let state = press(stateWith(files(['a', 'b'])), `${esc}[B${esc}[17~`);
		expect(state.dialog).toMatchObject({type: 'rename', value: 'a'});
		state = press(reduce(state, {type: 'text-changed', field: 'value', value: 'z'}), '\r');
		expect(state.outbox.at(-1)).toEqual(expect.objectContaining({type: 'rename', side: 'local', dir: '/home/u', names: ['a'], target: '/home/u/z', mayName: true}));

		state = press(press(stateWith(files(['a', 'b'])), '*'), `${esc}[17~`);
		state = press(reduce(state, {type: 'text-changed', field: 'value', value: 'sub'}), '\r');
		expect(state.outbox.at(-1)).toEqual(expect.objectContaining({type: 'rename', names: ['a', 'b'], target: '/home/u/sub', mayName: false}));
	});

	it('F6 to `notes/` means the directory: never a new name for the file, as in mc', () => {
		let state = press(stateWith([{name: 'notes', type: 'dir'}, ...files(['a'])]), `${esc}[B${esc}[B${esc}[17~`);
		state = press(reduce(state, {type: 'text-changed', field: 'value', value: 'notes/'}), '\r');
		expect(state.outbox.at(-1)).toEqual(expect.objectContaining({type: 'rename', names: ['a'], target: '/home/u/notes', mayName: false}));
	});

	it('F6 with the name unchanged does nothing', () => {
		const state = press(stateWith(files(['a'])), `${esc}[B${esc}[17~\r`);
		expect(state.dialog).toBeNull();
		expect(state.outbox).toEqual([]);
	});

	it('strips control characters from typed text', () => {
		const state = reduce(press(stateWith([]), `${esc}[18~`), {type: 'text-changed', field: 'value', value: 'a\r\nb\u001B[31m'});
		expect(state.dialog).toMatchObject({value: 'ab[31m'});
	});
});

describe('reducer: connect', () => {
	it('fills the dialog from defaults and validates', () => {
		let state = press(stateWith([]), '\u000F');
		expect(state.dialog).toMatchObject({type: 'connect', host: '', port: '21', user: 'anonymous', tls: 'explicit', focus: 0});
		state = press(state, '\r');
		expect(state.dialog).toMatchObject({type: 'connect', problem: 'Host is required.'});
		state = reduce(state, {type: 'text-changed', field: 'host', value: 'ftp.example.org'}, {type: 'text-changed', field: 'port', value: 'x'});
		state = press(state, '\r');
		expect(state.dialog).toMatchObject({focus: 1, problem: expect.stringContaining('Port')});
	});

	it('cycles the protocol with Space on its field (implicit FTPS takes its port 990), and connects', () => {
		let state = press(stateWith([]), `${esc}OQ`);
		state = reduce(state, {type: 'text-changed', field: 'host', value: 'h'}, {type: 'text-changed', field: 'password', value: 'pw'});
		state = press(state, '\t\t\t\t');
		expect(state.dialog).toMatchObject({focus: 4});
		state = press(state, ' ');
		expect(state.dialog).toMatchObject({protocol: 'ftp', tls: 'implicit', port: '990'});
		state = press(state, '\r');
		expect(state.dialog).toBeNull();
		expect(state.outbox.at(-1)).toMatchObject({type: 'connect', options: {host: 'h', port: 990, user: 'anonymous', password: 'pw', tls: 'implicit'}});
		expect(state.panes.remote.status).toBe('loading');
		expect(state.connectDefaults.host).toBe('h');
	});

	it('lists the remote directory once connected, and shows a failure once', () => {
		let state = reduce(stateWith([]), {type: 'connected', path: '/pub'});
		expect(state.connected).toBe(true);
		expect(state.outbox.at(-1)).toMatchObject({type: 'list', side: 'remote', path: '/pub'});

		state = reduce(state, {type: 'disconnected', error: {kind: 'connection', message: 'reset'}});
		expect(state.dialog).toMatchObject({type: 'error'});
		// It lists /pub once more, which reconnects (see reducer-reconnect.test.ts); that failing too says nothing new.
		expect(state.outbox.at(-1)).toMatchObject({type: 'list', side: 'remote', path: '/pub'});
		const again = reduce(press(state, '\r'), {type: 'disconnected', error: {kind: 'connection', message: 'reset'}});
		expect(again.dialog).toBeNull();
		expect(again.panes.remote.status).toBe('disconnected');
	});

	it('ignores a late remote listing after disconnecting', () => {
		const state = reduce(stateWith([]), {type: 'listing-loaded', side: 'remote', path: '/', entries: files(['x'])});
		expect(state.panes.remote.entries).toEqual([]);
	});
});

describe('reducer: engine questions and notices', () => {
	it('asks conflict questions and answers with the chosen button', () => {
		let state = reduce(connectedState(), {type: 'question', id: 7, question: conflict});
		expect(state.dialog).toMatchObject({type: 'conflict', questionId: 7});
		state = press(state, 'a');
		expect(state.outbox.at(-1)).toMatchObject({type: 'answer', questionId: 7, answer: 'overwrite-all'});
		expect(state.dialog).toBeNull();
	});

	it('offers mc\'s Older and Size differs, by letter or by moving to the button, and shows what they decide on', () => {
		const dated: Question = {...conflict, existingModified: new Date(2024, 0, 2, 3, 4), newModified: new Date(2025, 5, 6, 7, 8)};
		const asked = reduce(connectedState(), {type: 'question', id: 4, question: dated});
		expect(dialogButtons(asked.dialog!).map(button => button.label)).toEqual(['Overwrite', 'All', 'Older', 'Size differs', 'Skip', 'Skip all', 'Resume', 'Rename', 'Abort']);
		expect(dialogText(asked.dialog!).lines).toEqual(['/pub/a.txt', 'already exists on the remote side.', 'Existing: 10 B, 2024-01-02 03:04', 'New:      20 B, 2025-06-06 07:08']);
		expect(press(asked, 'd').outbox.at(-1)).toMatchObject({type: 'answer', questionId: 4, answer: 'older'});
		expect(press(asked, 'Z').outbox.at(-1)).toMatchObject({type: 'answer', questionId: 4, answer: 'size-differs'});
		expect(press(asked, `${esc}[C${esc}[C\r`).outbox.at(-1)).toMatchObject({answer: 'older'});
		expect(press(asked, `${esc}[C${esc}[C${esc}[C\r`).outbox.at(-1)).toMatchObject({answer: 'size-differs'});
	});

	it('answers abort on Esc, and cancel for a certificate', () => {
		const aborted = press(reduce(connectedState(), {type: 'question', id: 1, question: conflict}), `${esc}${esc}`);
		expect(aborted.outbox.at(-1)).toMatchObject({type: 'answer', questionId: 1, answer: 'abort'});
		const certificate = {host: 'h', port: 21, subject: 's', issuer: 'i', validFrom: 'a', validTo: 'b', fingerprint256: 'AB:CD', reason: 'self-signed'};
		let state = reduce(connectedState(), {type: 'question', id: 2, question: {type: 'trust-certificate', certificate}});
		expect(state.dialog).toMatchObject({type: 'trust-certificate', focus: 2});
		state = press(state, '\r');
		expect(state.outbox.at(-1)).toMatchObject({type: 'answer', questionId: 2, answer: 'cancel'});
		state = reduce(state, {type: 'question', id: 3, question: {type: 'trust-certificate', certificate}});
		expect(press(state, 'o').outbox.at(-1)).toMatchObject({answer: 'once'});
	});

	it('queues questions that arrive while a dialog is open', () => {
		let state = press(connectedState(), `${esc}[18~`);
		state = reduce(state, {type: 'question', id: 1, question: conflict}, {type: 'operation-failed', error: {kind: 'remote', message: 'nope', code: 550}});
		expect(state.dialog?.type).toBe('mkdir');
		state = press(state, `${esc}[21~`);
		expect(state.dialog?.type).toBe('conflict');
		state = press(state, 's');
		expect(state.dialog).toMatchObject({type: 'error', error: {code: 550}});
		expect(press(state, '\r').dialog).toBeNull();
	});

	it('shows a virus verdict and a failed scan as their own dialogs', () => {
		expect(reduce(stateWith([]), {type: 'operation-failed', error: {kind: 'infected', message: 'eicar.com: Eicar-Signature FOUND'}}).dialog).toMatchObject({type: 'infected'});
		expect(reduce(stateWith([]), {type: 'operation-failed', error: {kind: 'scan', message: 'scanner unreachable'}}).dialog).toMatchObject({type: 'scan-failed'});
	});
});

describe('reducer: help, options, viewer, quit', () => {
	it('scrolls the help and closes it', () => {
		let state = reduce(stateWith([]), {type: 'resize', rows: {list: 10, scroll: 5}});
		state = press(state, `${esc}OP`);
		expect(state.dialog).toMatchObject({type: 'help', scrollTop: 0});
		state = press(state, `${esc}[B${esc}[6~`);
		expect(state.dialog).toMatchObject({scrollTop: 6});
		state = press(state, 'q');
		expect(state.dialog).toBeNull();
	});

	it('edits options in a draft and saves them on Enter', () => {
		let state = press(stateWith([]), `${esc}[20~`);
		state = press(state, ` ${esc}[B `);
		expect(state.options.active).toBe(false);
		state = press(state, '\r');
		expect(state.options).toEqual({mode: 'binary', active: true, scanDownloads: false});
		expect(state.outbox.at(-1)).toMatchObject({type: 'set-options', options: state.options});
		const cancelled = press(press(state, `${esc}[20~ `), `${esc}${esc}`);
		expect(cancelled.options).toEqual(state.options);
	});

	it('sets TLS and the idle timeout for the next connection from the options', () => {
		let state = press(stateWith([]), `${esc}[20~`);
		expect(state.dialog).toMatchObject({type: 'options', connection: {tls: state.connectDefaults.tls, timeoutSeconds: 30}});
		// Down to TLS (fourth item) and the timeout (fifth), one step each.
		state = press(state, `${esc}[B${esc}[B${esc}[B `);
		state = press(state, `${esc}[B `);
		state = press(state, '\r');
		expect(state.dialog).toBeNull();
		expect(state.connectDefaults.timeoutMs).toBe(60_000);
		expect(state.connectDefaults.tls).not.toBe(stateWith([]).connectDefaults.tls);
	});

	it('sets Parallel transfers (1 to 16, 3 unless told) for the next copy', () => {
		let state = press(connectedState(), `${esc}[20~`);
		expect(state.dialog).toMatchObject({type: 'options', parallel: 3});
		// Up from the first item wraps to the last; three more up, past the pane's sort items: Parallel transfers.
		state = press(state, `${`${esc}[A`.repeat(4)} `);
		expect(state.dialog).toMatchObject({parallel: 4});
		state = press(state, '\r');
		expect(state.parallel).toBe(4);
		state = press(press(state, `${esc}[B${esc}[15~`), '\r');
		expect(state.outbox.at(-1)).toMatchObject({type: 'copy', parallel: 4});

		let wrapped = press(connectedState(), `${esc}[20~${`${esc}[A`.repeat(4)}`);
		for (let step = 0; step < 13; step++) {
			wrapped = press(wrapped, ' ');
		}

		expect(wrapped.dialog).toMatchObject({parallel: 16});
		expect(press(wrapped, ' ').dialog).toMatchObject({parallel: 1});
	});

	it('opens the viewer on a file and asks for its first window only', () => {
		let state = press(stateWith(files(['a.txt'])), `${esc}[B${esc}OR`);
		expect(state.dialog).toMatchObject({type: 'viewer', title: '/home/u/a.txt', viewer: {top: 0, chunks: []}});
		expect(state.outbox.filter(effect => effect.type === 'viewer-read')).toEqual([expect.objectContaining({side: 'local', path: '/home/u/a.txt', offset: 0})]);
		const {session} = state.outbox.at(-1) as {session: number};
		state = reduce(state, {type: 'viewer-bytes', session, offset: 0, bytes: new Uint8Array(Buffer.from('hello')), asked: 65_536});
		expect(state.dialog).toMatchObject({viewer: {size: 5, chunks: [{offset: 0}]}});
	});

	it('quits at once when idle, and asks first while a transfer runs', () => {
		const idle = press(stateWith([]), f10);
		expect(idle.dialog).toBeNull();
		expect(idle.outbox.at(-1)).toMatchObject({type: 'quit'});

		const busy = reduce(stateWith([]), {type: 'jobs-changed', jobs: [{id: 7, label: 'big.iso', state: 'running', direction: 'upload'}]});
		const state = press(busy, f10);
		expect(state.dialog).toMatchObject({type: 'quit-confirm', running: 1});
		expect(press(state, 'y').outbox.at(-1)).toMatchObject({type: 'quit'});
		expect(press(state, `${esc}0`).outbox).toEqual([]);
	});

	it('asks before quitting while a copy is being planned', () => {
		let state = reduce(stateWith(files(['a.txt'])), {type: 'connected', path: '/pub'}, {type: 'listing-loaded', side: 'remote', path: '/pub', entries: []}, {type: 'effects-taken', upTo: 99});
		state = press(state, `${esc}[B${esc}[15~\r`);
		expect(state.batches).toBe(1);
		expect(press(state, f10).dialog).toMatchObject({type: 'quit-confirm', running: 0});
		expect(press(reduce(state, {type: 'batch-done'}), f10).dialog).toBeNull();
	});

	it('drops effects once taken', () => {
		const state = run(stateWith(files(['a'])), Command.Refresh, Command.Refresh);
		expect(state.outbox.map(effect => effect.id)).toEqual([2, 3]);
		expect(reduce(state, {type: 'effects-taken', upTo: 2}).outbox.map(effect => effect.id)).toEqual([3]);
	});
});
