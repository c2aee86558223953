import {chmod, readFile, rm, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {startAgent, type RunningAgent} from '../../source/agent/agent-server.js';
import {terminalEditor} from '../../source/app/terminal-editor.js';
import {eicar, startClamd, type ClamdServer} from '../helpers/clamd.js';
import {startFtpSrv, type FtpSrvServer} from '../helpers/ftp-srv.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {keys, renderTui, type TuiUnderTest} from './tui-harness.js';

// F4 through the whole app: the real engine against ftp-srv, every upload through the real scan agent and clamd,
// and $EDITOR a real process, run by the same code that runs the user's editor (app/terminal-editor.ts).
let server: FtpSrvServer;
let clamd: ClamdServer;
let agent: RunningAgent;
let scans: string[];
let work: TempDir;
let tui: TuiUnderTest | undefined;

const original = 'line one\n';
const ctrlX = '\u0018';

beforeAll(async () => {
	clamd = await startClamd();
	// The test's record of the scan gate: the agent's one line per scan.
	agent = await startAgent({host: '127.0.0.1', port: 0, clamd: clamd.socketPath, clamscan: false, log(line) {
		scans.push(line);
	}});
});

afterAll(async () => {
	await agent.close();
	await clamd.stop();
});

beforeEach(async () => {
	scans = [];
	server = await startFtpSrv();
	work = await createTempDir('ftpane-edit-test-');
	await writeFile(path.join(server.root, 'notes.txt'), original);
});

afterEach(async () => {
	await tui?.close();
	tui = undefined;
	await server.stop();
	await work.remove();
});

/**
 * The fake editor: it writes down what the server's file held and how private its copy was while it ran, then does
 * `action` to the file it was given ($1).
 */
async function fakeEditor(action: string): Promise<string> {
	const script = path.join(work.path, 'editor.sh');
	await writeFile(script, [
		'#!/bin/sh',
		'cat "$REMOTE_FILE" > "$WITNESS/server-while-editing"',
		'stat -c %a "$1" > "$WITNESS/copy-mode"',
		'stat -c %a "$(dirname "$1")" > "$WITNESS/dir-mode"',
		'printf "%s" "$1" > "$WITNESS/copy-path"',
		action,
		'',
	].join('\n'));
	await chmod(script, 0o755);
	return script;
}

async function start(script: string): Promise<TuiUnderTest> {
	const env: NodeJS.ProcessEnv = {...process.env, EDITOR: script, REMOTE_FILE: path.join(server.root, 'notes.txt'), WITNESS: work.path};
	delete env.VISUAL;
	const handoffs: string[] = [];
	tui = renderTui({
		localPath: work.path,
		agentPort: agent.port,
		connect: {host: server.host, port: server.port, user: server.user, password: server.password, tls: 'none'},
		props: {editor: terminalEditor(env, {release() {
			handoffs.push('release');
		}, reclaim() {
			handoffs.push('reclaim');
		}})},
	});
	await tui.see('127.0.0.1:/', 'notes.txt', 'editor.sh');
	await tui.press(keys.tab);
	await tui.select('notes');
	return tui;
}

const serverFile = async () => readFile(path.join(server.root, 'notes.txt'), 'utf8');
const witness = async (name: string) => readFile(path.join(work.path, name), 'utf8');

describe('F4 edits a remote file (mc\'s Edit)', () => {
	it('fetches a private copy, and uploads it through the scan gate only after the editor saved it', async () => {
		const app = await start(await fakeEditor('printf "added by the editor\\n" >> "$1"'));
		await app.press(keys.f4);
		await expect.poll(serverFile, {timeout: 15_000}).toBe(`${original}added by the editor\n`);
		// While the editor ran, the server still had the file as it was: nothing was sent before the save.
		expect(await witness('server-while-editing')).toBe(original);
		expect((await witness('copy-mode')).trim()).toBe('600');
		expect((await witness('dir-mode')).trim()).toBe('700');
		// The upload passed the scan gate: the agent scanned the edited bytes.
		await expect.poll(() => scans.filter(line => line.includes('name="notes.txt"')), {timeout: 10_000}).toEqual([expect.stringMatching(/ CLEAN name="notes\.txt" size=29 /)]);
		// The private copy is gone once the edit is on the server.
		await expect.poll(async () => readFile(await witness('copy-path')).then(() => 'kept', () => 'gone'), {timeout: 5000}).toBe('gone');
	});

	it('uploads nothing when the editor did not save', async () => {
		const app = await start(await fakeEditor('true'));
		await app.press(keys.f4);
		const copy = await expect.poll(async () => witness('copy-path').catch(() => ''), {timeout: 15_000}).not.toBe('').then(async () => witness('copy-path'));
		await expect.poll(async () => readFile(copy).then(() => 'kept', () => 'gone'), {timeout: 10_000}).toBe('gone');
		expect(await witness('server-while-editing')).toBe(original);
		expect(await serverFile()).toBe(original);
		expect(scans).toEqual([]);
	});

	it('refuses an infected edit: the server keeps its file, and the edited copy is kept and named', async () => {
		const app = await start(await fakeEditor(`printf '%s' '${eicar}' > "$1"`));
		await app.press(keys.f4);
		await app.see('Virus found');
		expect(await serverFile()).toBe(original);
		await expect.poll(() => scans.some(line => line.includes('INFECTED') && line.includes('name="notes.txt"')), {timeout: 10_000}).toBe(true);
		const copy = await witness('copy-path');
		await expect(readFile(copy, 'utf8')).resolves.toBe(eicar);
		expect(app.frame().replaceAll(/\s+/g, '')).toContain(`editedcopyiskeptin${copy}`.replaceAll(/\s+/g, ''));
		await rm(path.dirname(copy), {recursive: true, force: true});
	});

	it('asks with the conflict dialog when the server\'s file changed meanwhile: Skip keeps both, Overwrite uploads', async () => {
		const app = await start(await fakeEditor('printf "changed elsewhere\\n" >> "$REMOTE_FILE"; printf "my edit\\n" >> "$1"'));
		await app.press(keys.f4);
		await app.see('File exists', '/notes.txt', 'Existing: 27 B', '17 B');
		await app.press('s');
		await app.see('Edit not uploaded');
		expect(await serverFile()).toBe(`${original}changed elsewhere\n`);
		expect(scans).toEqual([]);
		const kept = await witness('copy-path');
		await expect(readFile(kept, 'utf8')).resolves.toBe(`${original}my edit\n`);
		await app.press(keys.enter);

		await app.press(keys.f4);
		await app.see('File exists');
		await app.press('o');
		await expect.poll(serverFile, {timeout: 15_000}).toBe(`${original}changed elsewhere\nmy edit\n`);
		await expect.poll(() => scans.filter(line => line.includes('CLEAN name="notes.txt"')), {timeout: 10_000}).toHaveLength(1);
		await rm(path.dirname(kept), {recursive: true, force: true});
	});
});

describe('F4 on a local file', () => {
	it('edits it in place', async () => {
		await writeFile(path.join(work.path, 'local.txt'), 'here\n');
		const script = await fakeEditor('printf "more\\n" >> "$1"');
		const app = await start(script);
		await app.press(keys.tab);
		await app.select('local.txt');
		await app.press(keys.f4);
		await expect.poll(async () => readFile(path.join(work.path, 'local.txt'), 'utf8'), {timeout: 10_000}).toBe('here\nmore\n');
		expect(await witness('copy-path')).toBe(path.join(work.path, 'local.txt'));
		expect(scans).toEqual([]);
	});
});

describe('chmod (Ctrl-X c) on the server', () => {
	it('sets the bits by SITE CHMOD: the mode on disk changes', async () => {
		await chmod(path.join(server.root, 'notes.txt'), 0o644);
		const app = await start(await fakeEditor('true'));
		await app.press(`${ctrlX}c`);
		await app.see('Chmod command', 'Permission (octal): 0644', 'rw-r--r--');
		await app.press('640');
		await app.see('Permission (octal): 0640', 'rw-r-----');
		await app.press(keys.enter);
		await expect.poll(async () => stat(path.join(server.root, 'notes.txt')).then(info => info.mode & 0o7777), {timeout: 10_000}).toBe(0o640);
		// The pane was listed again: the dialog opens on the new bits.
		await expect.poll(async () => {
			await app.press(`${ctrlX}c`);
			const shown = app.frame();
			await app.press(keys.esc, keys.esc);
			return shown.includes('Permission (octal): 0640');
		}, {timeout: 10_000}).toBe(true);
	});
});

describe('compare directories (Ctrl-X d) against the server', () => {
	it('marks, in both panes, the files the other side lacks or has otherwise', async () => {
		await writeFile(path.join(work.path, 'notes.txt'), original);
		await writeFile(path.join(work.path, 'only-here.txt'), 'x\n');
		await writeFile(path.join(server.root, 'only-there.txt'), 'y\n');
		const app = await start(await fakeEditor('true'));
		await app.see('only-there.txt');
		await app.press(`${ctrlX}d`);
		await app.see('Compare directories', '[ Quick ]', '[ Size only ]');
		await app.press('s');
		// Locally: the editor script and only-here.txt; notes.txt has the same size on both sides.
		await app.see('200 B in 2 marked', '2 B in 1 marked');
		await app.press(keys.f5);
		await app.see('Download "only-there.txt" to:');
	});
});
