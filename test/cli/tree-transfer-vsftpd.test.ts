import {execFile} from 'node:child_process';
import {mkdir, readdir, readFile, symlink, utimes, writeFile} from 'node:fs/promises';
import {promisify} from 'node:util';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startAgent, type RunningAgent} from '../../source/agent/agent-server.js';
import {startClamd, type ClamdServer} from '../helpers/clamd.js';
import {runCli} from '../helpers/run-cli.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';

/** A file's bytes and modification time (midnight UTC: vsftpd lists files this old with the day only). */
type Spec = {content: string; modified: string};
const file = (content: string, modified: string): Spec => ({content, modified});

/** The tree being copied: one file with no counterpart, and five that meet one already there. */
const source: Record<string, Spec> = {
	'new.txt': file('new', '2022-01-01'),
	'newer.txt': file('NEWER', '2022-01-01'),
	'older.txt': file('OLDER', '2020-01-01'),
	'same.txt': file('SAME!', '2021-01-01'),
	'partial.bin': file('0123456789', '2021-01-01'),
	'sub/deep.txt': file('DEEP', '2022-01-01'),
};

/** What is at the destination before the copy: older, newer, of the same size and time, a partial copy. */
const there: Record<string, Spec> = {
	'newer.txt': file('old', '2021-01-01'),
	'older.txt': file('old', '2021-01-01'),
	'same.txt': file('same!', '2021-01-01'),
	'partial.bin': file('ABCDE', '2021-01-01'),
	'sub/deep.txt': file('old', '2021-01-01'),
};

const conflicting = ['newer.txt', 'older.txt', 'same.txt', 'partial.bin', 'sub/deep.txt'];
const copied = (name: string) => source[name]!.content;
const kept = (name: string) => there[name]!.content;

/**
 * What each --on-conflict value leaves at the destination (name -> bytes), and the reasons it skips with.
 * Every value copies new.txt and leaves the tree's other names alone.
 */
const expected: Record<string, {files: Record<string, string>; skipped: Record<string, string>}> = {
	overwrite: {files: Object.fromEntries(conflicting.map(name => [name, copied(name)])), skipped: {}},
	skip: {files: Object.fromEntries(conflicting.map(name => [name, kept(name)])), skipped: Object.fromEntries(conflicting.map(name => [name, 'already exists']))},
	resume: {
		// Only the bytes past what is there are fetched: a partial copy is completed, whatever it held.
		files: {'newer.txt': 'oldER', 'older.txt': 'oldER', 'same.txt': 'same!', 'partial.bin': 'ABCDE56789', 'sub/deep.txt': 'oldP'},
		skipped: {},
	},
	rename: {
		files: {
			...Object.fromEntries(conflicting.map(name => [name, kept(name)])),
			'newer (1).txt': 'NEWER', 'older (1).txt': 'OLDER', 'same (1).txt': 'SAME!', 'partial (1).bin': '0123456789', 'sub/deep (1).txt': 'DEEP',
		},
		skipped: {},
	},
	newer: {
		files: {'newer.txt': 'NEWER', 'older.txt': 'old', 'same.txt': 'same!', 'partial.bin': 'ABCDE', 'sub/deep.txt': 'DEEP'},
		skipped: {'older.txt': 'not newer than the existing file', 'same.txt': 'not newer than the existing file', 'partial.bin': 'not newer than the existing file'},
	},
	different: {
		files: {'newer.txt': 'NEWER', 'older.txt': 'OLDER', 'same.txt': 'same!', 'partial.bin': '0123456789', 'sub/deep.txt': 'DEEP'},
		skipped: {'same.txt': 'same size and modification time as the existing file'},
	},
};

async function writeTree(root: string, specs: Record<string, Spec>): Promise<void> {
	for (const [name, spec] of Object.entries(specs)) {
		const path = join(root, name);
		await mkdir(join(path, '..'), {recursive: true});
		await writeFile(path, spec.content);
		const time = new Date(`${spec.modified}T00:00:00Z`);
		await utimes(path, time, time);
	}
}

/** Every file under `root`, by relative path, with its bytes. */
async function readTree(root: string): Promise<Record<string, string>> {
	const files: Record<string, string> = {};
	for (const entry of await readdir(root, {recursive: true, withFileTypes: true})) {
		if (entry.isFile()) {
			const path = join(entry.parentPath, entry.name);
			files[path.slice(root.length + 1)] = await readFile(path, 'utf8');
		}
	}

	return files;
}

/** The skip lines of a run, as name -> reason, for files under `prefix`. */
function skips(stderr: string, prefix: string): Record<string, string> {
	const lines = stderr.split('\n').filter(line => line !== '');
	return Object.fromEntries(lines.map(line => {
		const match = new RegExp(`^ftpane: skipped ${prefix.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(.+?): (.+)$`).exec(line);
		return match ? [match[1], match[2]] : ['unexpected line', line];
	}));
}

describe('get -r and put -r against vsftpd: --on-conflict, and F5\'s rules', () => {
	let server: VsftpdServer;
	let clamd: ClamdServer;
	let agent: RunningAgent;
	let local: TempDir;
	let base: string;

	beforeAll(async () => {
		[server, clamd, local] = await Promise.all([startVsftpd(), startClamd(), createTempDir()]);
		agent = await startAgent({host: '127.0.0.1', port: 0, clamd: clamd.socketPath, clamscan: false, log: () => undefined});
		base = `ftp://${server.user}:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}`;
		await writeTree(join(server.root, 'tree'), source);
		await writeTree(join(local.path, 'tree'), source);
		await server.giveToUser();
	});

	afterAll(async () => {
		await agent?.close();
		await Promise.all([server?.stop(), clamd?.stop(), local?.remove()]);
	});

	it.each(Object.keys(expected))('get -r --on-conflict %s: replaces, keeps, resumes or renames as the rule says, one line per skip', async value => {
		// DEST exists, so the tree lands in DEST/tree, where some of its files already are.
		const destination = join(local.path, `get-${value}`);
		await writeTree(join(destination, 'tree'), there);
		const run = await runCli(['get', '-r', '--on-conflict', value, `${base}/tree`, destination]);
		expect(skips(run.stderr, 'tree')).toEqual(expected[value]!.skipped);
		expect(run.code).toBe(0);
		expect(await readTree(join(destination, 'tree'))).toEqual({'new.txt': 'new', ...expected[value]!.files});
	});

	it.each(Object.keys(expected))('put -r --on-conflict %s: the same rules for uploads, every upload scanned', async value => {
		const target = join(server.root, `put-${value}`);
		await writeTree(join(target, 'tree'), there);
		await server.giveToUser(target);
		const run = await runCli(['put', '-r', '--on-conflict', value, '--agent', `127.0.0.1:${agent.port}`, join(local.path, 'tree'), `${base}/put-${value}/`]);
		expect(skips(run.stderr, join(local.path, 'tree'))).toEqual(expected[value]!.skipped);
		expect(run.code).toBe(0);
		expect(await readTree(join(target, 'tree'))).toEqual({'new.txt': 'new', ...expected[value]!.files});
	});

	it('--resume is --on-conflict resume; with another value, or an unknown value, it is a usage error before connecting', async () => {
		const destination = join(local.path, 'get-resume-flag');
		await writeTree(join(destination, 'tree'), there);
		const run = await runCli(['get', '-r', '--resume', `${base}/tree`, destination]);
		expect(run).toMatchObject({code: 0, stderr: ''});
		expect(await readTree(join(destination, 'tree'))).toEqual({'new.txt': 'new', ...expected['resume']!.files});
		// Nothing listens on port 9: a usage error must come before any connection is tried.
		for (const flags of [['--resume', '--on-conflict', 'skip'], ['--on-conflict', 'sometimes']]) {
			const refused = await runCli(['get', ...flags, 'ftp://127.0.0.1:9/x', destination]);
			expect(refused.code, flags.join(' ')).toBe(2);
			expect(refused.stderr.trim().split('\n'), flags.join(' ')).toEqual([expect.stringMatching(/^ftpane: --/)]);
		}
	});

	it('refuses --on-conflict ask without a terminal to ask on: exit 2, one line, nothing copied', async () => {
		const destination = join(local.path, 'get-ask');
		for (const command of [['get', '-r'], ['put', '-r']]) {
			const args = command[0] === 'get' ? [`${base}/tree`, destination] : [join(local.path, 'tree'), `${base}/put-ask/`];
			const run = await runCli([...command, '--on-conflict', 'ask', ...args]);
			expect(run.code, command.join(' ')).toBe(2);
			expect(run.stderr.trim().split('\n'), command.join(' ')).toEqual([expect.stringMatching(/^ftpane: --on-conflict ask needs a terminal/)]);
		}

		expect(await readdir(local.path)).not.toContain('get-ask');
		expect(await readdir(server.root)).not.toContain('put-ask');
	});

	it('applies to a single get and put too: skip tells why, rename writes beside, newer compares times', async () => {
		const destination = join(local.path, 'single');
		await writeTree(destination, there);
		const skipped = await runCli(['get', '--on-conflict', 'skip', `${base}/tree/older.txt`, join(destination, 'older.txt')]);
		expect(skipped).toMatchObject({code: 0, stderr: `ftpane: skipped tree/older.txt: already exists\n`});
		const newer = await runCli(['get', '--on-conflict', 'newer', `${base}/tree/older.txt`, destination]);
		expect(newer).toMatchObject({code: 0, stderr: `ftpane: skipped tree/older.txt: not newer than the existing file\n`});
		expect(await runCli(['get', '--on-conflict', 'newer', `${base}/tree/newer.txt`, destination])).toMatchObject({code: 0, stderr: ''});
		expect(await runCli(['get', '--on-conflict', 'rename', `${base}/tree/same.txt`, destination])).toMatchObject({code: 0, stderr: ''});
		expect(await readTree(destination)).toEqual({...Object.fromEntries(Object.entries(there).map(([name, spec]) => [name, spec.content])), 'newer.txt': 'NEWER', 'same (1).txt': 'SAME!'});

		const upload = join(local.path, 'tree', 'older.txt');
		const putSkipped = await runCli(['put', '--on-conflict', 'skip', upload, `${base}/tree/`]);
		expect(putSkipped).toMatchObject({code: 0, stderr: `ftpane: skipped ${upload}: already exists\n`});
		const putRenamed = await runCli(['put', '--on-conflict', 'rename', '--agent', `127.0.0.1:${agent.port}`, upload, `${base}/tree/older.txt`]);
		expect(putRenamed).toMatchObject({code: 0, stderr: ''});
		expect(await readFile(join(server.root, 'tree', 'older (1).txt'), 'utf8')).toBe('OLDER');
		expect(await readFile(join(server.root, 'tree', 'older.txt'), 'utf8')).toBe('OLDER');
	});

	it('follows F5\'s rules for what is in the way: get -r never writes through a local link where a directory goes', async () => {
		const destination = join(local.path, 'linked');
		const outside = join(local.path, 'outside');
		await mkdir(join(destination, 'tree'), {recursive: true});
		await mkdir(outside);
		await symlink(outside, join(destination, 'tree', 'sub'));
		const run = await runCli(['get', '-r', `${base}/tree`, destination]);
		expect(run.stderr).toBe('ftpane: skipped tree/sub: a link named sub is in the way\n');
		expect(run.code).toBe(1);
		expect(await readdir(outside)).toEqual([]);
		expect(await readFile(join(destination, 'tree', 'new.txt'), 'utf8')).toBe('new');
	});

	it('follows F5\'s rules for what cannot be copied: put -r reports a FIFO and a link to a directory, and sends the rest', async () => {
		const tree = join(local.path, 'odd');
		await writeTree(tree, {'plain.txt': file('plain', '2022-01-01')});
		await promisify(execFile)('mkfifo', [join(tree, 'fifo')]);
		await symlink(local.path, join(tree, 'up'));
		const run = await runCli(['put', '-r', '--agent', `127.0.0.1:${agent.port}`, tree, `${base}/`]);
		expect(skips(run.stderr, tree)).toEqual({fifo: 'not a regular file', up: 'link to a directory (not followed)'});
		expect(run.code).toBe(0);
		expect(await readTree(join(server.root, 'odd'))).toEqual({'plain.txt': 'plain'});
	});
});
