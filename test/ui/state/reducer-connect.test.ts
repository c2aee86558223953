import {describe, expect, it} from 'vitest';
import type {Bookmark} from '../../../source/ui/state/bookmarks.js';
import {bookmarkName, parseBookmarks, withBookmark} from '../../../source/ui/state/bookmarks.js';
import {createInitialState} from '../../../source/ui/state/initial-state.js';
import {files, press, reduce, stateWith} from './helpers.js';

const esc = '\u001B';
const f2 = `${esc}OQ`;
const saved: Bookmark = {name: 'ann@ftp.test:2121/pub', host: 'ftp.test', port: 2121, user: 'ann', tls: 'none', path: '/pub'};

function withBookmarks(bookmarks: readonly Bookmark[]) {
	return reduce(stateWith(files(['a.txt'])), {type: 'bookmarks-loaded', bookmarks});
}

describe('reducer: bookmarks', () => {
	it('saves a bookmark without the password unless that is ticked too', () => {
		let state = press(stateWith([]), f2);
		state = reduce(state, {type: 'text-changed', field: 'host', value: 'h'}, {type: 'text-changed', field: 'password', value: 'pw'});
		state = press(state, '\t\t\t\t\t ');
		expect(state.dialog).toMatchObject({type: 'connect', bookmark: true, savePassword: false});
		const without = press(state, '\r');
		expect(without.outbox.find(effect => effect.type === 'save-bookmarks')).toMatchObject({bookmarks: [{name: 'anonymous@h:21', host: 'h', user: 'anonymous', tls: 'explicit'}]});
		expect(JSON.stringify(without.bookmarks)).not.toContain('pw');

		const withPassword = press(press(state, '\t '), '\r');
		expect(withPassword.bookmarks).toEqual([{name: 'anonymous@h:21', host: 'h', port: 21, user: 'anonymous', tls: 'explicit', password: 'pw'}]);
	});

	it('ticking "keep the password" ticks the bookmark; unticking the bookmark unticks it', () => {
		let state = press(press(stateWith([]), f2), '\t\t\t\t\t\t ');
		expect(state.dialog).toMatchObject({bookmark: true, savePassword: true});
		state = press(state, `${esc}[Z `);
		expect(state.dialog).toMatchObject({bookmark: false, savePassword: false});
	});

	it('lists bookmarks on F2 and fills the connect dialog from the one picked', () => {
		let state = press(withBookmarks([saved, {...saved, name: 'other', host: 'o'}]), f2);
		expect(state.dialog).toEqual({type: 'bookmarks', cursor: 0});
		state = press(state, '\r');
		expect(state.dialog).toMatchObject({type: 'connect', host: 'ftp.test', port: '2121', user: 'ann', tls: 'none', password: '', focus: 3, bookmark: true});
		expect(state.connectDefaults.path).toBe('/pub');
		state = reduce(state, {type: 'text-changed', field: 'password', value: 'pw'});
		expect(press(state, '\r').outbox.at(-1)).toMatchObject({type: 'connect', options: {host: 'ftp.test', port: 2121, user: 'ann', password: 'pw', path: '/pub'}});
	});

	it('connects at once from a bookmark that needs no typing (a saved password, or anonymous): one Enter', () => {
		const keeps = press(press(withBookmarks([{...saved, password: 'pw'}]), f2), '\r');
		expect(keeps.dialog).toBeNull();
		expect(keeps.outbox.at(-1)).toMatchObject({type: 'connect', options: {host: 'ftp.test', port: 2121, user: 'ann', password: 'pw', path: '/pub'}});
		expect(keeps.outbox.some(effect => effect.type === 'save-bookmarks')).toBe(false);
		const anonymous = press(press(withBookmarks([{...saved, user: 'anonymous'}]), f2), '\r');
		expect(anonymous.dialog).toBeNull();
		expect(anonymous.outbox.at(-1)).toMatchObject({type: 'connect', options: {host: 'ftp.test', user: 'anonymous', path: '/pub'}});
	});

	it('deletes a bookmark with Del only once confirmed, and offers a new connection on the last row', () => {
		let state = press(withBookmarks([saved]), f2);
		state = press(state, `${esc}[3~`);
		expect(state.dialog).toMatchObject({type: 'bookmarks', confirmDelete: true});
		expect(state.bookmarks).toEqual([saved]);
		state = press(state, `${esc}${esc}`);
		expect(state.dialog).toEqual({type: 'bookmarks', cursor: 0});
		expect(state.bookmarks).toEqual([saved]);
		state = press(state, `${esc}[3~\r`);
		expect(state.bookmarks).toEqual([]);
		expect(state.outbox.at(-1)).toMatchObject({type: 'save-bookmarks', bookmarks: []});
		state = press(state, '\r');
		expect(state.dialog).toMatchObject({type: 'connect', host: ''});
	});

	it('opens the connect dialog with the password focused for a URL without one, behind a start-up notice', () => {
		const state = createInitialState({
			localPath: '/home/u',
			rows: {list: 10, scroll: 10},
			connectDefaults: {host: 'ftp.test', user: 'ann', port: 21, tls: 'none'},
			startUp: {open: 'connect', notice: {title: 'Demo', lines: ['hello']}},
		});
		expect(state.dialog).toMatchObject({type: 'notice', title: 'Demo'});
		const next = press(state, '\r');
		expect(next.dialog).toMatchObject({type: 'connect', host: 'ftp.test', user: 'ann', focus: 3});
	});

	it('reads only well-formed bookmarks from a hand-edited file', () => {
		expect(parseBookmarks([{host: 'h', port: 21, user: 'u', tls: 'none'}, {host: '', port: 21}, 'junk', {host: 'h', port: 70_000, user: 'u', tls: 'none'}]))
			.toEqual([{name: 'u@h:21', host: 'h', port: 21, user: 'u', tls: 'none'}]);
		expect(parseBookmarks({not: 'a list'})).toEqual([]);
		expect(withBookmark([saved], {...saved, user: 'bob'})).toEqual([{...saved, user: 'bob'}]);
		expect(bookmarkName({host: 'h', port: 21, user: 'u', tls: 'none', path: 'pub'})).toBe('u@h:21/pub');
	});
});

// F4 edits (mc); stopping lives in the queue view (Ctrl-X j), under `s`.
describe('reducer: stopping transfers', () => {
	const running = [{id: 4, label: '/pub/big.iso', state: 'running', direction: 'download'}, {id: 5, label: '/pub/b', state: 'queued', direction: 'download'}] as const;

	it('says so when nothing runs', () => {
		expect(press(stateWith([]), '\u0018js').dialog).toMatchObject({type: 'notice', lines: ['No transfer is running.']});
	});

	it('stops the running file, or everything', () => {
		const state = press(reduce(stateWith([]), {type: 'jobs-changed', jobs: running}), '\u0018js');
		expect(state.dialog).toMatchObject({type: 'cancel-job', job: {id: 4}, others: 1});
		expect(press(state, 's').outbox.at(-1)).toMatchObject({type: 'stop-transfers', jobIds: [4], batches: false});
		expect(press(state, 'a').outbox.at(-1)).toMatchObject({type: 'stop-transfers', jobIds: [4, 5], batches: true});
		const kept = press(state, 'k');
		expect(kept.dialog).toMatchObject({type: 'queue'});
		expect(kept.outbox.filter(effect => effect.type === 'stop-transfers')).toEqual([]);
	});
});

describe('reducer: remote working directory', () => {
	it('brings the remote pane back when the engine logs in again on its own', () => {
		let state = reduce(stateWith([]), {type: 'connected', path: '/pub'}, {type: 'listing-loaded', side: 'remote', path: '/pub', entries: files(['r'])});
		state = reduce(state, {type: 'disconnected', error: {kind: 'connection', message: '421 Timeout'}}, {type: 'effects-taken', upTo: 99});
		// The drop's own attempt to list /pub again failed (see reducer-reconnect.test.ts).
		state = reduce(state, {type: 'listing-failed', side: 'remote', path: '/pub', error: {kind: 'connection', message: 'refused'}});
		state = press(press(state, '\r'), '\r');
		expect(state.connected).toBe(false);
		state = reduce(state, {type: 'remote-cwd', path: '/home/ann'});
		expect(state.connected).toBe(true);
		// Back to the directory it showed, not the login directory.
		expect(state.outbox.at(-1)).toMatchObject({type: 'list', side: 'remote', path: '/pub'});
	});

	it('only records it while connecting', () => {
		const connecting = press(reduce(press(stateWith([]), f2), {type: 'text-changed', field: 'host', value: 'h'}), '\r');
		const state = reduce(connecting, {type: 'remote-cwd', path: '/'});
		expect(state.remoteCwd).toBe('/');
		expect(state.connected).toBe(false);
	});
});

describe('reducer: a URL in the connect dialog\'s Host field', () => {
	/** F2, the Host field set to `host` (and the Password field to `password`), then Enter. */
	function enter(host: string, password = '') {
		const state = reduce(press(stateWith([]), f2), {type: 'text-changed', field: 'host', value: host}, {type: 'text-changed', field: 'password', value: password});
		return press(state, '\r');
	}

	it('connects with what the URL says: scheme, user, password, port and the directory to open', () => {
		const state = enter('ftpes://ann:s%40cret@ftp.test:2121/pub/docs');
		expect(state.dialog).toBeNull();
		expect(state.outbox.at(-1)).toMatchObject({type: 'connect', options: {host: 'ftp.test', port: 2121, user: 'ann', password: 's@cret', path: 'pub/docs', tls: 'explicit', active: false}});
		expect(state.connectDefaults).toMatchObject({host: 'ftp.test', port: 2121, user: 'ann', tls: 'explicit', path: 'pub/docs'});
		expect(JSON.stringify(state.connectDefaults)).not.toContain('s@cret');
	});

	it('reads each scheme as the command line does, with its default port', () => {
		expect(enter('ftp://ftp.test/').outbox.at(-1)).toMatchObject({options: {host: 'ftp.test', port: 21, user: 'anonymous', tls: 'none'}});
		expect(enter('FTPS://ftp.test').outbox.at(-1)).toMatchObject({options: {port: 990, tls: 'implicit'}});
		expect(enter('sftp://ann@[::1]/~/').outbox.at(-1)).toMatchObject({options: {protocol: 'sftp', host: '::1', port: 22, user: 'ann', ssh: {userGiven: true, portGiven: true}}});
	});

	it('takes the Password field\'s password for a URL without one, and else fills the fields and asks for it', () => {
		expect(enter('ftp://ann@ftp.test/', 'typed').outbox.at(-1)).toMatchObject({options: {user: 'ann', password: 'typed'}});
		const asking = enter('ftp://ann@ftp.test:2121/pub');
		expect(asking.dialog).toMatchObject({type: 'connect', host: 'ftp.test', port: '2121', user: 'ann', password: '', protocol: 'ftp', tls: 'none', focus: 3});
		expect(asking.outbox.some(effect => effect.type === 'connect')).toBe(false);
		const connected = press(reduce(asking, {type: 'text-changed', field: 'password', value: 'pw'}), '\r');
		expect(connected.outbox.at(-1)).toMatchObject({type: 'connect', options: {host: 'ftp.test', port: 2121, user: 'ann', password: 'pw', path: 'pub'}});
	});

	it('refuses a URL it cannot read in one line on the Host field, its password masked', () => {
		const state = enter('gopher://ann:hunter22@ftp.test/');
		expect(state.dialog).toMatchObject({type: 'connect', focus: 0, problem: expect.stringContaining("unknown scheme 'gopher'") as string});
		expect((state.dialog as {problem: string}).problem).not.toContain('hunter22');
		expect(state.outbox.some(effect => effect.type === 'connect')).toBe(false);
	});

	it('saves the bookmark the URL describes when that is ticked, without the password', () => {
		let state = reduce(press(stateWith([]), f2), {type: 'text-changed', field: 'host', value: 'ftp://ann:pw@ftp.test:2121/pub'});
		state = press(state, '\t\t\t\t\t ');
		expect(state.dialog).toMatchObject({bookmark: true});
		state = press(state, '\r');
		expect(state.bookmarks).toEqual([{name: 'ann@ftp.test:2121/pub', host: 'ftp.test', port: 2121, user: 'ann', tls: 'none', path: 'pub'}]);
	});
});
