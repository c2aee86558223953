import {describe, expect, it} from 'vitest';
import type {AppState} from '../../../source/ui/state/app-state.js';
import {cursorName, files, press, reduce, stateWith} from './helpers.js';

const tab = '\t';
const down = '\u001B[B';
const dropped = {type: 'disconnected', error: {kind: 'connection', message: 'server closed the control connection'}} as const;

/** Connected, the remote pane in /pub/deep with the cursor on 'c.bin', and every effect so far taken. */
function browsingRemote(): AppState {
	let state = reduce(stateWith([]), {type: 'connected', path: '/pub/deep'});
	state = reduce(state, {type: 'listing-loaded', side: 'remote', path: '/pub/deep', entries: files(['a.bin', 'b.bin', 'c.bin'])});
	state = press(state, `${tab}${down}${down}${down}`);
	expect(cursorName(state, 'remote')).toBe('c.bin');
	return reduce(state, {type: 'effects-taken', upTo: state.nextEffectId});
}

describe('reducer: the remote pane after a dropped connection', () => {
	it('lists the directory it showed again at once, and comes back there with the cursor on the same name', () => {
		let state = reduce(browsingRemote(), dropped);
		expect(state.connected).toBe(false);
		expect(state.dialog).toMatchObject({type: 'error', error: {message: 'server closed the control connection'}});
		// The next command reconnects the engine: this listing is it.
		expect(state.outbox).toEqual([expect.objectContaining({type: 'list', side: 'remote', path: '/pub/deep', select: 'c.bin'})]);
		// The engine logged in again (its cwd is the login directory), then the listing arrives, with a file added meanwhile.
		state = reduce(state, {type: 'remote-cwd', path: '/home/ann'});
		state = reduce(state, {type: 'listing-loaded', side: 'remote', path: '/pub/deep', entries: files(['0-new.bin', 'a.bin', 'b.bin', 'c.bin']), select: 'c.bin'});
		expect(state.connected).toBe(true);
		expect(state.panes.remote).toMatchObject({path: '/pub/deep', status: 'ready'});
		expect(cursorName(state, 'remote')).toBe('c.bin');
		expect(state.remoteReturn).toBeUndefined();
	});

	it('shows "not connected" when coming back fails, and returns to that directory when the engine is connected again', () => {
		let state = reduce(browsingRemote(), dropped, {type: 'effects-taken', upTo: 99});
		const refused = {kind: 'connection', message: 'connect ECONNREFUSED 127.0.0.1:21'} as const;
		// The engine's event and the failed listing both report the refusal: one dialog for it, behind the drop's.
		const id = state.panes.remote.loadingId!;
		state = reduce(state, {type: 'disconnected', error: refused}, {type: 'listing-failed', side: 'remote', path: '/pub/deep', id, error: refused});
		expect(state.panes.remote.status).toBe('disconnected');
		expect(state.waiting).toHaveLength(1);
		state = press(press(state, '\r'), '\r');
		expect(state.dialog).toBeNull();
		state = reduce(state, {type: 'remote-cwd', path: '/home/ann'});
		expect(state.connected).toBe(true);
		expect(state.outbox.at(-1)).toMatchObject({type: 'list', side: 'remote', path: '/pub/deep', select: 'c.bin'});
	});

	it('forgets the directory when the user connects anew (F2)', () => {
		let state = reduce(browsingRemote(), dropped, {type: 'effects-taken', upTo: 99});
		const refused = {kind: 'connection', message: 'refused'} as const;
		state = reduce(state, {type: 'listing-failed', side: 'remote', path: '/pub/deep', error: refused});
		state = reduce(state, {type: 'connected', path: '/srv'});
		expect(state.remoteReturn).toBeUndefined();
		expect(state.outbox.at(-1)).toMatchObject({type: 'list', side: 'remote', path: '/srv'});
	});
});
