import {describe, expect, it} from 'vitest';
import type {HostKeyInfo, Question} from '../../../source/engine/api/engine-api.js';
import type {AppState} from '../../../source/ui/state/app-state.js';
import {bookmarkName, parseBookmarks, type Bookmark} from '../../../source/ui/state/bookmarks.js';
import {dialogButtons} from '../../../source/ui/state/dialog.js';
import {createInitialState} from '../../../source/ui/state/initial-state.js';
import {files, press, reduce, stateWith} from './helpers.js';

const esc = '\u001B';
const f2 = `${esc}OQ`;
const hostKey: HostKeyInfo = {host: '127.0.0.1', port: 2222, keyType: 'ssh-ed25519', fingerprint256: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU', reason: 'unknown'};
const passphrase: Question = {type: 'secret', secret: 'passphrase', prompt: 'Passphrase for /home/u/.ssh/id_ed25519:'};

function asked(question: Question, id = 5): AppState {
	return reduce(stateWith(files(['a.txt'])), {type: 'question', id, question}, {type: 'effects-taken', upTo: 99});
}

/** The connect dialog with a host typed, the protocol choice focused. */
function onProtocol(host = 'h'): AppState {
	return press(reduce(press(stateWith([]), f2), {type: 'text-changed', field: 'host', value: host}), '\t\t\t\t');
}

describe('reducer: the SSH host key question', () => {
	it('opens with Cancel focused, so an Enter typed ahead refuses the key', () => {
		const state = asked({type: 'trust-host-key', hostKey});
		expect(state.dialog).toMatchObject({type: 'trust-host-key', questionId: 5, hostKey, focus: 2});
		expect(dialogButtons(state.dialog!).map(button => button.label)).toEqual(['Once', 'Always', 'Cancel']);
		const entered = press(state, '\r');
		expect(entered.dialog).toBeNull();
		expect(entered.outbox).toEqual([expect.objectContaining({type: 'answer', questionId: 5, answer: 'cancel'})]);
	});

	it('answers always with Enter on Always, once by its letter, and cancel on Esc', () => {
		const state = asked({type: 'trust-host-key', hostKey});
		expect(press(state, `${esc}[D\r`).outbox.at(-1)).toMatchObject({type: 'answer', questionId: 5, answer: 'always'});
		expect(press(state, 'o').outbox.at(-1)).toMatchObject({answer: 'once'});
		const escaped = press(state, `${esc}${esc}`);
		expect(escaped.dialog).toBeNull();
		expect(escaped.outbox.at(-1)).toMatchObject({type: 'answer', questionId: 5, answer: 'cancel'});
	});

	it('waits behind an open dialog like any question', () => {
		let state = press(stateWith([]), `${esc}[18~`);
		state = reduce(state, {type: 'question', id: 1, question: {type: 'trust-host-key', hostKey}});
		expect(state.dialog?.type).toBe('mkdir');
		state = press(state, `${esc}${esc}`);
		expect(state.dialog).toMatchObject({type: 'trust-host-key', questionId: 1});
	});
});

describe('reducer: the SSH secret question', () => {
	it('opens an empty field and answers the text typed on Enter, as typed, then forgets it', () => {
		let state = asked(passphrase);
		expect(state.dialog).toEqual({type: 'secret', questionId: 5, secret: 'passphrase', prompt: passphrase.prompt, value: '', cursor: 0});
		state = press(state, ' s3cret pasx\u007Fs ');
		expect(state.dialog).toMatchObject({value: ' s3cret pass ', cursor: 13});
		const answered = press(state, '\r');
		expect(answered.dialog).toBeNull();
		expect(answered.outbox).toEqual([expect.objectContaining({type: 'answer', questionId: 5, answer: ' s3cret pass '})]);
		// Once the runner has taken the answer, nothing of the secret is left in the state.
		expect(JSON.stringify(reduce(answered, {type: 'effects-taken', upTo: 99}))).not.toContain('s3cret');
	});

	it('answers undefined on Esc, and takes letters that are hotkeys elsewhere as text', () => {
		const state = press(asked({type: 'secret', secret: 'password', prompt: "ann@127.0.0.1's password:"}), 'oac');
		expect(state.dialog).toMatchObject({type: 'secret', value: 'oac'});
		const cancelled = press(state, `${esc}${esc}`);
		expect(cancelled.dialog).toBeNull();
		const answer = cancelled.outbox.at(-1);
		expect(answer).toMatchObject({type: 'answer', questionId: 5});
		expect(answer).toHaveProperty('answer', undefined);
		expect(JSON.stringify(cancelled)).not.toContain('oac');
	});

	it('answers an empty password as empty: the server may take one', () => {
		expect(press(asked(passphrase), '\r').outbox.at(-1)).toMatchObject({type: 'answer', answer: ''});
	});
});

describe('reducer: SFTP in the connect dialog', () => {
	it('steps FTPES, FTPS, FTP, SFTP; the port follows the protocol while it holds the default, and anonymous goes', () => {
		let state = onProtocol();
		expect(state.dialog).toMatchObject({type: 'connect', focus: 4, protocol: 'ftp', tls: 'explicit', port: '21', user: 'anonymous'});
		state = press(state, ' ');
		expect(state.dialog).toMatchObject({protocol: 'ftp', tls: 'implicit', port: '990'});
		state = press(state, ' ');
		expect(state.dialog).toMatchObject({protocol: 'ftp', tls: 'none', port: '21'});
		state = press(state, ' ');
		expect(state.dialog).toMatchObject({protocol: 'sftp', port: '22', user: ''});
		state = press(state, ' ');
		expect(state.dialog).toMatchObject({protocol: 'ftp', tls: 'explicit', port: '21', user: ''});
	});

	it('keeps a port the user typed', () => {
		const state = press(reduce(onProtocol(), {type: 'text-changed', field: 'port', value: '2222'}), '   ');
		expect(state.dialog).toMatchObject({protocol: 'sftp', port: '2222'});
		expect(press(state, '\r').outbox.at(-1)).toMatchObject({type: 'connect', options: {protocol: 'sftp', port: 2222}});
	});

	it('connects with protocol sftp, port 22, an empty password and no user of its own', () => {
		const state = press(press(onProtocol('lab.test'), '   '), '\r');
		expect(state.dialog).toBeNull();
		const effect = state.outbox.at(-1);
		expect(effect).toMatchObject({type: 'connect'});
		const options = effect?.type === 'connect' ? effect.options : undefined;
		expect(options).toEqual({protocol: 'sftp', host: 'lab.test', port: 22, user: '', password: '', ssh: {userGiven: false, portGiven: true}, timeoutMs: undefined});
		expect(state.connectDefaults).toMatchObject({host: 'lab.test', port: 22, protocol: 'sftp'});
		expect(state.panes.remote.status).toBe('loading');
	});

	it('says the user was given when the field holds one, and sends the password typed', () => {
		let state = press(onProtocol(), '   ');
		state = reduce(state, {type: 'text-changed', field: 'user', value: ' ann '}, {type: 'text-changed', field: 'password', value: 'pw'});
		expect(press(state, '\r').outbox.at(-1)).toMatchObject({type: 'connect', options: {protocol: 'sftp', user: 'ann', password: 'pw', ssh: {userGiven: true, portGiven: true}}});
	});

	it('opens on SFTP again after an SFTP connection, and the FTP options stay FTP', () => {
		const connected = press(press(onProtocol(), '   '), '\r');
		expect(press(connected, f2).dialog).toMatchObject({type: 'connect', protocol: 'sftp', port: '22'});
		const ftp = press(onProtocol(), '\r');
		const options = ftp.outbox.at(-1);
		expect(options).toMatchObject({type: 'connect', options: {host: 'h', port: 21, user: 'anonymous', tls: 'explicit', active: false}});
		expect(options).not.toHaveProperty('options.protocol');
		expect(options).not.toHaveProperty('options.ssh');
	});

	it('starts on SFTP from an sftp:// URL given on the command line', () => {
		const state = createInitialState({
			localPath: '/home/u',
			rows: {list: 10, scroll: 10},
			connect: {protocol: 'sftp', host: 'lab.test', port: 2222, user: 'ann', password: '', ssh: {userGiven: true, portGiven: true}},
		});
		expect(state.connectDefaults).toMatchObject({host: 'lab.test', port: 2222, user: 'ann', protocol: 'sftp', tls: 'explicit'});
		expect(state.outbox.at(-1)).toMatchObject({type: 'connect', options: {protocol: 'sftp'}});
	});
});

describe('reducer: SFTP bookmarks', () => {
	const sftp: Bookmark = {name: 'sftp://ann@lab.test:2222/srv', host: 'lab.test', port: 2222, user: 'ann', protocol: 'sftp', path: '/srv'};

	it('saves an SFTP bookmark with its protocol and no TLS, under its URL as name', () => {
		let state = press(onProtocol('lab.test'), '   ');
		state = reduce(state, {type: 'text-changed', field: 'user', value: 'ann'}, {type: 'text-changed', field: 'password', value: 'pw'});
		state = press(state, '\t ');
		state = press(state, '\r');
		expect(state.bookmarks).toEqual([{name: 'sftp://ann@lab.test:22', host: 'lab.test', port: 22, user: 'ann', protocol: 'sftp'}]);
		expect(JSON.stringify(state.bookmarks)).not.toContain('pw');
	});

	it('round-trips through the file format: what is saved parses back the same', () => {
		const saved = [sftp, {...sftp, name: 'sftp://lab.test:22', user: '', port: 22, password: 'pw', path: undefined}];
		const parsed = parseBookmarks(JSON.parse(JSON.stringify(saved)));
		expect(parsed).toEqual([sftp, {name: 'sftp://lab.test:22', host: 'lab.test', port: 22, user: '', protocol: 'sftp', password: 'pw'}]);
	});

	it('loads a bookmark written before SFTP (no protocol) as FTP, and leaves out a protocol it does not know', () => {
		const old = {name: 'ann@ftp.test:21', host: 'ftp.test', port: 21, user: 'ann', tls: 'explicit'};
		expect(parseBookmarks([old, {...old, protocol: 'ftp'}, {...old, protocol: 'gopher'}, {host: 'h', port: 22, user: 'u'}])).toEqual([old, old]);
		const picked = press(press(reduce(stateWith([]), {type: 'bookmarks-loaded', bookmarks: parseBookmarks([old])}), f2), '\r');
		expect(picked.dialog).toMatchObject({type: 'connect', protocol: 'ftp', tls: 'explicit', host: 'ftp.test', port: '21'});
	});

	it('connects from an SFTP bookmark on one Enter: keys come first, a password is asked for if needed', () => {
		const state = press(press(reduce(stateWith([]), {type: 'bookmarks-loaded', bookmarks: [sftp]}), f2), '\r');
		expect(state.dialog).toBeNull();
		expect(state.outbox.at(-1)).toMatchObject({type: 'connect', options: {protocol: 'sftp', host: 'lab.test', port: 2222, user: 'ann', password: '', path: '/srv', ssh: {userGiven: true, portGiven: true}}});
		expect(state.connectDefaults).toMatchObject({protocol: 'sftp', path: '/srv'});
	});

	it('an FTP bookmark picked after an SFTP connection is FTP again', () => {
		const ftp: Bookmark = {name: 'ann@ftp.test:21', host: 'ftp.test', port: 21, user: 'ann', tls: 'none', password: 'pw'};
		let state = press(press(onProtocol(), '   '), '\r');
		state = reduce(state, {type: 'bookmarks-loaded', bookmarks: [ftp]});
		state = press(press(state, f2), '\r');
		const effect = state.outbox.at(-1);
		expect(effect).toMatchObject({type: 'connect', options: {host: 'ftp.test', port: 21, tls: 'none'}});
		expect(effect).not.toHaveProperty('options.protocol');
	});

	it('names SFTP bookmarks as URLs, a login-relative path under /~/', () => {
		expect(bookmarkName({host: 'h', port: 22, user: 'u', protocol: 'sftp', path: 'data'})).toBe('sftp://u@h:22/~/data');
		expect(bookmarkName({host: 'h', port: 22, user: 'u', tls: 'none', path: 'data'})).toBe('u@h:22/data');
	});

	it('Ctrl-X h bookmarks the SFTP directory shown', () => {
		let state = press(press(onProtocol(), '   '), '\r');
		state = reduce(state, {type: 'connected', path: '/srv'}, {type: 'listing-loaded', side: 'remote', path: '/srv', entries: files(['x'])});
		state = press(state, '\u0018h');
		expect(state.bookmarks).toEqual([{name: 'sftp://h:22/srv', host: 'h', port: 22, user: '', protocol: 'sftp', path: '/srv'}]);
	});
});
