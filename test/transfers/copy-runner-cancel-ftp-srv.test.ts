import {randomBytes} from 'node:crypto';
import {existsSync} from 'node:fs';
import {mkdir, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {Engine} from '../../source/engine/engine.js';
import type {TransferBatch} from '../../source/engine/api/transfer-queue.js';
import {ftpHost} from '../../source/engine/host/ftp-host.js';
import {localHost} from '../../source/engine/local/local-host.js';
import {executePlan, runCopy, type CopyPorts} from '../../source/transfers/copy-runner.js';
import {ItemCancels} from '../../source/transfers/item-cancels.js';
import {followJob} from '../../source/transfers/job-progress.js';
import {retryPlan} from '../../source/ui/state/queue-commands.js';
import {startFtpSrv, type FtpSrvServer} from '../helpers/ftp-srv.js';
import {refusingScanGate} from '../helpers/scan-gates.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';

// The copy runner as get -r runs it, over the real engine against ftp-srv: one item of the batch stopped alone while
// the others go on, and the failed ones copied again. The only thing the test holds is when each file's real transfer
// may begin (a gate in copyFile), so that which files are still waiting when the user cancels is never a matter of timing.
let server: FtpSrvServer;
let local: TempDir;
let engine: Engine;

beforeEach(async () => {
	server = await startFtpSrv();
	local = await createTempDir('ftpane-cancel-');
	engine = new Engine({scanGate: refusingScanGate, parallel: 1, keepaliveMs: 0});
	await engine.connect({host: server.host, port: server.port, user: server.user, password: server.password});
});

afterEach(async () => {
	await engine.close();
	await server.stop();
	await local.remove();
});

/** Files of a few hundred KiB under `dir` on the server, each different. */
async function serverTree(dir: string, names: readonly string[]): Promise<Map<string, Buffer>> {
	await mkdir(path.join(server.root, dir), {recursive: true});
	const contents = new Map<string, Buffer>();
	for (const name of names) {
		const bytes = randomBytes(300 * 1024);
		contents.set(name, bytes);
		await writeFile(path.join(server.root, dir, name), bytes);
	}

	return contents;
}

/** The TUI's copy ports over the engine, one file moving at a time; each transfer waits for `gate` before it begins. */
function gatedPorts(gate: Promise<void>) {
	const remote = ftpHost(engine);
	const handed: string[] = [];
	const published: TransferBatch[] = [];
	const ports: CopyPorts = {
		parallel: 1,
		ahead: 1,
		list: async (side, dir) => (side === 'local' ? localHost : remote).list(dir),
		mkdir: async (side, target) => (side === 'local' ? localHost : remote).mkdir(target),
		async copyFile(_from, source, target, {resume, onJob, signal}) {
			handed.push(source);
			await gate;
			await followJob(engine, async () => engine.get(source, target, {resume, ...(signal ? {signal} : {})}), onJob);
		},
		ask: async () => 'skip',
		onBatch(batch) {
			published.push(batch);
		},
	};
	const idOf = (source: string) => published.at(-1)!.items.find(item => item.path === source)!.id;
	return {ports, handed, published, idOf};
}

function deferred() {
	let release!: () => void;
	const promise = new Promise<void>(resolve => {
		release = resolve;
	});
	return {promise, release};
}

describe('cancelling one item of a get -r', () => {
	it('a file never started is never started, one handed over is stopped before its transfer; the rest arrive byte-identical', async () => {
		const names = ['a.bin', 'b.bin', 'c.bin', 'd.bin', 'e.bin'];
		const contents = await serverTree('tree', names);
		const gate = deferred();
		const {ports, handed, published, idOf} = gatedPorts(gate.promise);
		const cancels = new ItemCancels();
		const copying = runCopy({from: 'remote', sourceDir: '/', targetDir: local.path, entries: [{name: 'tree', type: 'dir'}]}, ports, undefined, cancels);
		// One moving and one ahead of it: two files handed over, three still queued in the runner.
		await expect.poll(() => handed.length).toBe(2);
		const waiting = handed[1]!;
		const queued = '/tree/e.bin';
		expect(handed).not.toContain(queued);
		cancels.cancel(idOf(waiting));
		cancels.cancel(idOf(queued));
		// Queued: shown cancelled at once, while nothing has moved yet.
		expect(published.at(-1)!.items[idOf(queued)]!.state).toBe('cancelled');
		gate.release();
		const outcome = await copying;

		const stopped = new Set([path.basename(waiting), 'e.bin']);
		expect(outcome.aborted).toBe(false);
		expect(outcome.failures).toEqual([]);
		expect(outcome.copied).toBe(3);
		expect(handed).not.toContain(queued);
		for (const item of outcome.batch.items.filter(item => item.kind === 'copy')) {
			expect(item.state, item.path).toBe(stopped.has(path.basename(item.path)) ? 'cancelled' : 'done');
		}

		// Nothing of the stopped files at the destination, not even a temporary file.
		expect((await readdir(path.join(local.path, 'tree'))).sort()).toEqual(names.filter(name => !stopped.has(name)));
		for (const name of names.filter(name => !stopped.has(name))) {
			expect((await readFile(path.join(local.path, 'tree', name))).equals(contents.get(name)!), name).toBe(true);
		}
	});
});

describe('retrying the failed items', () => {
	it('copies again only the files that failed, overwriting a target the failure never touched', async () => {
		const contents = await serverTree('tree', ['x.bin', 'y.bin', 'z.bin']);
		await mkdir(path.join(local.path, 'tree'));
		await writeFile(path.join(local.path, 'tree', 'y.bin'), 'old copy\n');
		const gate = deferred();
		const {ports, handed} = gatedPorts(gate.promise);
		const copying = runCopy({from: 'remote', sourceDir: '/', targetDir: local.path, entries: [{name: 'tree', type: 'dir'}], onConflict: 'overwrite'}, ports);
		await expect.poll(() => handed.length).toBeGreaterThan(0);
		// Planned with y.bin there, gone by its turn: the server answers 550.
		await rm(path.join(server.root, 'tree', 'y.bin'));
		gate.release();
		const first = await copying;
		expect(first.failures.map(failure => failure.path)).toEqual(['/tree/y.bin']);
		await expect(readFile(path.join(local.path, 'tree', 'y.bin'), 'utf8')).resolves.toBe('old copy\n');

		const plan = retryPlan(first.batch);
		expect(plan).toEqual([{type: 'copy', source: '/tree/y.bin', target: path.join(local.path, 'tree', 'y.bin'), size: 300 * 1024}]);
		// Still missing: the retry fails the same way and the batch says so.
		const again = await executePlan(plan, 'remote', gatedPorts(Promise.resolve()).ports, {onConflict: 'overwrite'});
		expect(again.batch.items.map(item => item.state)).toEqual(['failed']);

		const restored = randomBytes(123_456);
		await writeFile(path.join(server.root, 'tree', 'y.bin'), restored);
		const retried = await executePlan(retryPlan(again.batch), 'remote', gatedPorts(Promise.resolve()).ports, {onConflict: 'overwrite'});
		expect(retried.failures).toEqual([]);
		expect(retried.batch.items.map(item => item.state)).toEqual(['done']);
		expect((await readFile(path.join(local.path, 'tree', 'y.bin'))).equals(restored)).toBe(true);
		for (const name of ['x.bin', 'z.bin']) {
			expect((await readFile(path.join(local.path, 'tree', name))).equals(contents.get(name)!), name).toBe(true);
		}

		expect(existsSync(path.join(local.path, 'tree', 'y.bin'))).toBe(true);
		expect((await readdir(path.join(local.path, 'tree'))).sort()).toEqual(['x.bin', 'y.bin', 'z.bin']);
	});
});
