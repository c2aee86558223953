import {afterEach, describe, expect, it, vi} from 'vitest';
import {helpLines, keyLabel} from '../../source/ui/keys/help-lines.js';
import {keyBindings} from '../../source/ui/keys/keymap.js';
import {QuestionBridge} from '../../source/ui/effects/question-bridge.js';
import {FakeEngine} from '../ui/fakes/fake-engine.js';
import {MemoryTree} from '../ui/fakes/memory-tree.js';
import {renderApp, waitFor} from './helpers.js';

const esc = '\u001B';
const down = `${esc}[B`;
const apps: Array<{unmount: () => void}> = [];

afterEach(() => {
	for (const app of apps.splice(0)) {
		app.unmount();
	}
});

function start(options: Parameters<typeof renderApp>[0] = {}) {
	const app = renderApp(options);
	apps.push(app);
	return app;
}

/** The name in the row drawn with the cursor; colour is off in tests, so ask the frame which row moved. */
function lines(frame: string): string[] {
	return frame.split('\n');
}

const numbered = new MemoryTree(Object.fromEntries(Array.from({length: 60}, (_, index) => [`/home/u/file-${String(index).padStart(2, '0')}.txt`, 'x'])));

async function connect(app: ReturnType<typeof renderApp>) {
	await app.press('\u000F');
	await waitFor(() => expect(app.frame()).toContain('Connect'));
	await app.press('ftp.test', '\t', '\t', '\t', 'secret', '\r');
	await waitFor(() => expect(app.frame()).toContain('ftp.test:/'));
}

describe('App', () => {
	it('draws one row shorter than the terminal, with both panes and the key bar', async () => {
		const app = start();
		await waitFor(() => expect(app.frame()).toContain('a.txt'));
		const frame = app.frame();
		expect(lines(frame)).toHaveLength(23);
		expect(frame).toContain('/home/u');
		expect(frame).toContain('Remote: not connected');
		expect(lines(frame).at(-1)).toContain('10Quit');
	});

	it('navigates into a directory and back to it', async () => {
		const app = start({local: new MemoryTree({'/home/u/docs/inner.txt': 'i', '/home/u/z.txt': 'z'})});
		await waitFor(() => expect(app.frame()).toContain('/docs'));
		await app.press(down, '\r');
		await waitFor(() => expect(app.frame()).toContain('inner.txt'));
		expect(app.frame()).toContain('/home/u/docs');
		await app.press('\u007F');
		await waitFor(() => expect(app.frame()).toContain('z.txt'));
		expect(app.localHost.calls).toEqual(['list /home/u', 'list /home/u/docs', 'list /home/u']);
	});

	it('marks with Insert and shows the total in the footer', async () => {
		const app = start();
		await waitFor(() => expect(app.frame()).toContain('a.txt'));
		await app.press(down, down, `${esc}[2~`, `${esc}[2~`);
		await waitFor(() => expect(app.frame()).toContain('3 B in 2 marked'));
	});

	it('turns a page with PgDn at 80x24 and shows only the rows that fit', async () => {
		const app = start({local: numbered});
		await waitFor(() => expect(app.frame()).toContain('file-00.txt'));
		// 24 rows: 23 drawn, 19 for the panes, 13 entry rows: `..` and file-00 .. file-11.
		expect(app.frame()).toContain('file-11.txt');
		expect(app.frame()).not.toContain('file-12.txt');
		await app.press(`${esc}[6~`);
		await waitFor(() => expect(app.frame()).toContain('file-24.txt'));
		expect(app.frame()).not.toContain('file-11.txt');
		expect(app.frame()).toContain('file-12.txt');
		expect(lines(app.frame())).toHaveLength(23);
	});

	it('opens the copy dialog with Esc 5, in one read and in two', async () => {
		const app = start({engine: new FakeEngine(new MemoryTree({'/pub': null}))});
		await waitFor(() => expect(app.frame()).toContain('a.txt'));
		await connect(app);
		await app.press(down, down, `${esc}5`);
		await waitFor(() => expect(app.frame()).toContain('Upload "a.txt" to:'));
		await app.press(`${esc}${esc}`);
		await waitFor(() => expect(app.frame()).not.toContain('Upload'));
		await app.press(esc, '5');
		await waitFor(() => expect(app.frame()).toContain('Upload "a.txt" to:'));
		await app.press('\r');
		await waitFor(() => expect(app.engine.calls).toContain('put /home/u/a.txt /a.txt'));
		await waitFor(() => expect(app.frame()).toMatch(/a\.txt\s+│\s+8 B│/));
	});

	it('closes a dialog on a lone Esc once the Esc-digit window has passed', async () => {
		const app = start();
		await waitFor(() => expect(app.frame()).toContain('a.txt'));
		// Quitting asks only while a transfer runs.
		app.engine.setSnapshot({jobs: [{id: 1, kind: 'put', label: 'a.txt', state: 'running', direction: 'upload', bytes: 0, rate: 0}]});
		await waitFor(() => expect(app.frame()).toContain('↑ a.txt'));
		await app.press(`${esc}[21~`);
		await waitFor(() => expect(app.frame()).toContain('Do you really want to quit'));
		expect(app.frame()).toContain('A transfer is still under way');
		await app.press(esc);
		expect(app.frame()).toContain('Do you really want to quit');
		await waitFor(() => expect(app.frame()).not.toContain('Do you really want to quit'));
	});

	it('masks the password and connects with what was typed', async () => {
		const app = start({engine: new FakeEngine(new MemoryTree({'/readme': 'r'}))});
		await waitFor(() => expect(app.frame()).toContain('a.txt'));
		await app.press(`${esc}OQ`, 'host.example', '\t', '\t', '\t', 'hunter2');
		await waitFor(() => expect(app.frame()).toContain('*******'));
		expect(app.frame()).not.toContain('hunter2');
		await app.press('\r');
		await waitFor(() => expect(app.frame()).toContain('readme'));
		expect(app.engine.calls[0]).toBe('connect anonymous@host.example:21 explicit *******');
	});

	it('lists every key in the help dialog', async () => {
		// Tall enough for the whole help on one screen: the dialog's frame and the screen's last row take eight.
		const app = start({height: helpLines().length + 8, width: 100});
		await waitFor(() => expect(app.frame()).toContain('a.txt'));
		await app.press(`${esc}OP`);
		await waitFor(() => expect(app.frame()).toContain('Help'));
		const frame = app.frame();
		for (const line of helpLines().filter(text => text.trim() !== '')) {
			expect(frame).toContain(line.trimEnd());
		}

		for (const [, keys] of keyBindings.panes) {
			for (const key of keys) {
				expect(frame).toContain(keyLabel(key));
			}
		}
	});

	it('makes a directory and puts the cursor on it', async () => {
		const app = start();
		await waitFor(() => expect(app.frame()).toContain('a.txt'));
		// Name and Enter in one read, right after the key that opens the dialog: as tmux send-keys or a paste delivers them.
		await app.press(`${esc}[18~`, 'new-dir\r');
		await waitFor(() => expect(app.frame()).toContain('/new-dir'));
		expect(app.localHost.calls).toContain('mkdir /home/u/new-dir');
	});

	it('renders a 100,000-entry directory by its visible rows only', async () => {
		const tree = new MemoryTree();
		for (let index = 0; index < 100_000; index++) {
			tree.nodes.set(`/home/u/n${String(index).padStart(6, '0')}`, {name: `n${String(index).padStart(6, '0')}`, type: 'file', size: 1});
		}

		tree.nodes.set('/home', {name: 'home', type: 'dir'});
		tree.nodes.set('/home/u', {name: 'u', type: 'dir'});
		const app = start({local: tree});
		await waitFor(() => expect(app.frame()).toContain('100000 entries'), 10_000);
		await app.press(`${esc}[F`);
		await waitFor(() => expect(app.frame()).toContain('n099999'));
		expect(app.frame()).not.toContain('n099985');
		expect(lines(app.frame())).toHaveLength(23);
	});

	it('answers an engine question through a dialog', async () => {
		const questions = new QuestionBridge();
		const app = start({props: {questions}});
		await waitFor(() => expect(app.frame()).toContain('a.txt'));
		const answer = questions.ask({type: 'conflict', path: '/pub/a.txt', side: 'remote', existingSize: 1, newSize: 2});
		await waitFor(() => expect(app.frame()).toContain('already exists on the remote side'));
		expect(app.frame()).toContain('[ Overwrite ]');
		await app.press('s');
		await expect(answer).resolves.toBe('skip');
		expect(app.frame()).not.toContain('already exists');
	});

	it('shows the conflict dialog\'s Older and Size differs buttons, with both files\' sizes and times, and answers them', async () => {
		const questions = new QuestionBridge();
		const app = start({props: {questions}});
		await waitFor(() => expect(app.frame()).toContain('a.txt'));
		const question = {type: 'conflict', path: '/pub/a.txt', side: 'remote', existingSize: 1, newSize: 2, existingModified: new Date(2024, 0, 2, 3, 4), newModified: new Date(2025, 5, 6, 7, 8)} as const;
		const older = questions.ask(question);
		await waitFor(() => expect(app.frame()).toContain('[ Size differs ]'));
		expect(app.frame()).toContain('[ Older ]');
		expect(app.frame()).toContain('Existing: 1 B, 2024-01-02 03:04');
		expect(app.frame()).toContain('New:      2 B, 2025-06-06 07:08');
		await app.press('d');
		await expect(older).resolves.toBe('older');
		const sizeDiffers = questions.ask(question);
		await waitFor(() => expect(app.frame()).toContain('[ Size differs ]'));
		await app.press('z');
		await expect(sizeDiffers).resolves.toBe('size-differs');
	});

	it('shows transfers and the transcript from the engine snapshot', async () => {
		const app = start({height: 40});
		await waitFor(() => expect(app.frame()).toContain('a.txt'));
		app.engine.setSnapshot({
			jobs: [{id: 1, kind: 'put', label: 'a.txt', state: 'running', direction: 'upload', bytes: 0, rate: 0, scan: 'scanning'}],
			transcript: [{direction: 'sent', text: 'STOR a.txt'}],
		});
		await waitFor(() => expect(app.frame()).toContain('scanning'));
		expect(app.frame()).toContain('> STOR a.txt');
	});

	it('connects at start-up when given a connection', async () => {
		const app = start({
			engine: new FakeEngine(new MemoryTree({'/pub/file.zip': 'z'})),
			props: {connect: {host: 'mirror.test', port: 2121, user: 'anonymous', password: 'guest', path: '/pub', tls: 'explicit'}},
		});
		await waitFor(() => expect(app.frame()).toContain('file.zip'));
		expect(app.frame()).toContain('mirror.test:/pub');
		expect(app.engine.calls[0]).toBe('connect anonymous@mirror.test:2121 explicit *****');
	});

	it('calls onQuit at once when idle', async () => {
		const onQuit = vi.fn();
		const app = start({props: {onQuit}});
		await waitFor(() => expect(app.frame()).toContain('a.txt'));
		await app.press(`${esc}[21~`);
		await waitFor(() => expect(onQuit).toHaveBeenCalledOnce());
	});

	it('reports a dropped connection', async () => {
		const app = start({engine: new FakeEngine(new MemoryTree({'/pub': null}))});
		await waitFor(() => expect(app.frame()).toContain('a.txt'));
		await connect(app);
		await waitFor(() => expect(app.frame()).toContain('pub'));
		app.engine.emit({type: 'connection', state: 'closed', detail: '421 Timeout'});
		await waitFor(() => expect(app.frame()).toContain('421 Timeout'));
		// The pane lists the directory it showed again (the engine reconnects for it) and comes back there.
		await waitFor(() => expect(app.engine.calls.filter(call => call === 'list /')).toHaveLength(2));
		await waitFor(() => expect(app.frame()).toContain('ftp.test:/'));
	});
});
