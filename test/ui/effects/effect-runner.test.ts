import {describe, expect, it, vi} from 'vitest';
import {FtpaneError} from '../../../source/engine/api/errors.js';
import {ftpHost} from '../../../source/engine/host/ftp-host.js';
import {summarizeBatch} from '../../../source/engine/api/queue-figures.js';
import type {TransferBatch} from '../../../source/engine/api/transfer-queue.js';
import {runEffect} from '../../../source/ui/effects/effect-runner.js';
import type {EffectPorts} from '../../../source/ui/effects/effect-ports.js';
import {QuestionBridge} from '../../../source/ui/effects/question-bridge.js';
import {ScreenDrawn} from '../../../source/ui/effects/screen-drawn.js';
import type {Host} from '../../../source/engine/host/host.js';
import {BatchControl} from '../../../source/ui/transfers/batch-control.js';
import type {Action} from '../../../source/ui/state/app-state.js';
import type {EffectRequest} from '../../../source/ui/state/effects.js';
import {FakeEngine} from '../fakes/fake-engine.js';
import {memoryHost} from '../fakes/memory-host.js';
import {MemoryTree} from '../fakes/memory-tree.js';

/** Runs one effect on a local memory host and the FTP host over a fake engine, unless the test brings its own. */
async function run(request: EffectRequest, options: Partial<Omit<EffectPorts, 'engine' | 'hosts'>> & {engine?: FakeEngine; local?: ReturnType<typeof memoryHost>} = {}) {
	const actions: Action[] = [];
	const {engine = new FakeEngine(new MemoryTree({'/pub/r.txt': 'remote', '/pub/sub': null})), local = memoryHost(new MemoryTree({'/home/u/a.txt': 'hello\tworld\nline 2', '/home/u/b.txt': 'b'})), ...ports} = options;
	const all: EffectPorts = {engine, hosts: {local, remote: ftpHost(engine)}, onQuit: vi.fn(), ...ports};
	await runEffect({...request, id: 1}, all, action => actions.push(action));
	return {actions, engine, local, ports: all};
}

/** The batch of the last batch-progress action: how the copy ended. */
function lastBatch(actions: readonly Action[]): TransferBatch {
	const last = actions.findLast(action => action.type === 'batch-progress');
	if (last?.type !== 'batch-progress') {
		throw new Error('no batch-progress action');
	}

	return last.batch;
}

describe('runEffect', () => {
	it('lists the local side', async () => {
		const {actions} = await run({type: 'list', side: 'local', path: '/home/u', select: 'b.txt'});
		// Read at once, it goes whole: one state update.
		expect(actions).toEqual([{type: 'listing-loaded', side: 'local', path: '/home/u', id: 1, select: 'b.txt', entries: [expect.objectContaining({name: 'a.txt'}), expect.objectContaining({name: 'b.txt'})]}]);
	});

	it('reads a server\'s listing no further until its first part is on screen', async () => {
		const screen = new ScreenDrawn();
		const seen: string[] = [];
		const engine = new FakeEngine();
		const remote: Host = {
			...ftpHost(engine),
			// Three chunks back to back, as a data connection delivers a long listing; each waits on its receiver.
			async listParts(_dir, receive) {
				for (const name of ['a', 'b', 'c']) {
					seen.push(`read ${name}`);
					// eslint-disable-next-line no-await-in-loop -- the receiver's pace is the listing's pace
					await receive([{name, type: 'file'}]);
				}
			},
		};
		const running = runEffect({type: 'list', side: 'remote', path: '/pub', id: 1}, {engine, hosts: {local: memoryHost(new MemoryTree({})), remote}, onQuit: vi.fn(), screen}, action => {
			seen.push(action.type === 'listing-part' ? `part ${action.entries.map(entry => entry.name).join(',')}` : action.type);
		});
		await vi.waitFor(() => {
			expect(seen).toContain('part a');
		});
		// The app's render runs as a task of its own: the reader must leave it the main thread until the part is drawn.
		await new Promise(resolve => setImmediate(resolve));
		expect(seen).toEqual(['read a', 'part a']);
		screen.drawn();
		await running;
		// Then it reads on without waiting; how the rest is cut into parts depends on the clock.
		expect(seen.filter(line => line.startsWith('read '))).toEqual(['read a', 'read b', 'read c']);
		expect(seen.filter(line => line.startsWith('part ')).join(',').replaceAll('part ', '')).toBe('a,b,c');
		expect(seen.at(-1)).toBe('listing-done');
	});

	it('reports a listing that fails', async () => {
		const {actions} = await run({type: 'list', side: 'local', path: '/nope'});
		expect(actions).toEqual([{type: 'listing-failed', side: 'local', path: '/nope', id: 1, error: expect.objectContaining({kind: 'local'})}]);
	});

	it('connects, then reports the remote working directory', async () => {
		const {actions, engine} = await run({type: 'connect', options: {host: 'h', port: 21, user: 'u', password: 'pw', path: '/pub'}});
		expect(engine.calls).toEqual(['connect u@h:21 none **']);
		expect(actions).toEqual([{type: 'connected', path: '/pub'}]);
	});

	it('reports a failed connect as disconnected with the error', async () => {
		const engine = new FakeEngine();
		engine.connectError = new FtpaneError('login', 'Login incorrect.', {code: 530});
		const {actions} = await run({type: 'connect', options: {host: 'h', port: 21, user: 'u', password: 'x'}}, {engine});
		expect(actions).toEqual([{type: 'disconnected', error: {kind: 'login', message: 'Login incorrect.', code: 530}}]);
	});

	it('uploads files and whole directories, directories first, then refreshes the remote pane', async () => {
		const engine = new FakeEngine(new MemoryTree({'/pub': null}));
		await engine.connect({host: 'h', port: 21, user: 'u', password: ''});
		const local = memoryHost(new MemoryTree({'/home/u/a.txt': 'a', '/home/u/dir/inner.txt': 'i', '/home/u/dir/deep/d.txt': 'd', '/home/u/b.txt': 'b'}));
		const {actions} = await run({
			type: 'copy',
			from: 'local',
			sourceDir: '/home/u',
			targetDir: '/pub',
			entries: [{name: 'a.txt', type: 'file'}, {name: 'dir', type: 'dir'}, {name: 'b.txt', type: 'file'}],
		}, {engine, local});
		expect(engine.calls.filter(call => /^(put|mkdir)/.test(call))).toEqual([
			'put /home/u/a.txt /pub/a.txt',
			'mkdir /pub/dir',
			'put /home/u/dir/inner.txt /pub/dir/inner.txt',
			'mkdir /pub/dir/deep',
			'put /home/u/dir/deep/d.txt /pub/dir/deep/d.txt',
			'put /home/u/b.txt /pub/b.txt',
		]);
		expect(actions.filter(action => action.type !== 'batch-progress')).toEqual([{type: 'refresh', side: 'remote'}, {type: 'batch-done'}]);
		expect(summarizeBatch(lastBatch(actions))).toMatchObject({files: 4, done: 4});
	});

	it('downloads into the local directory and counts the failures in the batch\'s summary, not in a dialog per file', async () => {
		const {actions, engine} = await run({type: 'copy', from: 'remote', sourceDir: '/pub', targetDir: '/home/u', entries: [{name: 'r.txt', type: 'file'}, {name: 's.txt', type: 'file'}]});
		expect(engine.calls).toEqual(['get /pub/r.txt /home/u/r.txt', 'get /pub/s.txt /home/u/s.txt']);
		expect(actions.filter(action => action.type !== 'batch-progress')).toEqual([{type: 'refresh', side: 'local'}, {type: 'batch-done'}]);
		const batch = lastBatch(actions);
		expect(summarizeBatch(batch)).toMatchObject({files: 2, failed: 2});
		expect(batch.items.map(item => item.error?.message)).toEqual(['not connected', 'not connected']);
	});

	it('asks before replacing an existing file, and skips it when told', async () => {
		const engine = new FakeEngine(new MemoryTree({'/pub/a.txt': 'old', '/pub/b.txt': 'old'}));
		await engine.connect({host: 'h', port: 21, user: 'u', password: ''});
		const questions = new QuestionBridge();
		const asked: string[] = [];
		questions.listen(pending => {
			asked.push(pending.question.type === 'conflict' ? pending.question.path : '?');
			questions.answer(pending.id, asked.length === 1 ? 'skip' : 'overwrite');
		});
		await run({type: 'copy', from: 'local', sourceDir: '/home/u', targetDir: '/pub', entries: [{name: 'a.txt', type: 'file'}, {name: 'b.txt', type: 'file'}]}, {engine, questions});
		expect(asked).toEqual(['/pub/a.txt', '/pub/b.txt']);
		expect(engine.calls.filter(call => call.startsWith('put'))).toEqual(['put /home/u/b.txt /pub/b.txt']);
	});

	it('deletes remote directories with everything in them, contents first', async () => {
		const engine = new FakeEngine(new MemoryTree({'/pub/r.txt': 'remote', '/pub/sub/x.txt': 'x', '/pub/sub/deeper/y.txt': 'y'}));
		await engine.connect({host: 'h', port: 21, user: 'u', password: ''});
		const {actions} = await run({type: 'delete', side: 'remote', dir: '/pub', entries: [{name: 'r.txt', type: 'file'}, {name: 'sub', type: 'dir'}]}, {engine});
		expect(engine.calls.filter(call => !call.startsWith('list') && !call.startsWith('connect'))).toEqual([
			'delete /pub/r.txt',
			'delete /pub/sub/x.txt',
			'delete /pub/sub/deeper/y.txt',
			'rmdir /pub/sub/deeper',
			'rmdir /pub/sub',
		]);
		expect(actions).toEqual([{type: 'refresh', side: 'remote'}, {type: 'batch-done'}]);
	});

	it('retries failed files as a batch of their own: overwriting without a question, published as its own run', async () => {
		const engine = new FakeEngine(new MemoryTree({'/pub/a.txt': 'old'}));
		await engine.connect({host: 'h', port: 21, user: 'u', password: ''});
		const questions = new QuestionBridge();
		const asked: string[] = [];
		questions.listen(pending => {
			asked.push(pending.question.type);
			questions.answer(pending.id, 'skip');
		});
		const {actions} = await run({type: 'retry', from: 'local', items: [{type: 'copy', source: '/home/u/a.txt', target: '/pub/a.txt', size: 18}], parallel: 2}, {engine, questions});
		expect(asked).toEqual([]);
		expect(engine.calls.filter(call => call.startsWith('put'))).toEqual(['put /home/u/a.txt /pub/a.txt']);
		const progress = actions.filter(action => action.type === 'batch-progress');
		expect(progress.at(-1)).toMatchObject({run: {id: 1, from: 'local'}});
		expect(lastBatch(actions).items.map(item => item.state)).toEqual(['done']);
		expect(actions.filter(action => action.type !== 'batch-progress')).toEqual([{type: 'refresh', side: 'remote'}, {type: 'batch-done'}]);
	});

	it('routes the queue view\'s cancels to the batch they name, and to no other', async () => {
		const batches = new BatchControl();
		const mine = batches.start(5);
		const other = batches.start(6);
		const stopped: number[] = [];
		mine.cancels.attach(id => stopped.push(id));
		other.cancels.attach(() => stopped.push(-1));
		await run({type: 'cancel-item', batchId: 5, itemId: 3}, {batches});
		await run({type: 'cancel-item', batchId: 99, itemId: 3}, {batches});
		expect(stopped).toEqual([3]);
		await run({type: 'cancel-batch', batchId: 6}, {batches});
		expect([mine.controller.signal.aborted, other.controller.signal.aborted]).toEqual([false, true]);
		batches.end(mine);
		await run({type: 'cancel-batch', batchId: 5}, {batches});
		expect(mine.controller.signal.aborted).toBe(false);
	});

	it('stops the transfers asked for, and the batches with Stop all', async () => {
		const {engine} = await run({type: 'stop-transfers', jobIds: [3, 4], batches: true});
		expect(engine.calls).toEqual(['cancel 3', 'cancel 4']);
	});

	it('saves bookmarks to the store', async () => {
		const saved: unknown[] = [];
		await run({type: 'save-bookmarks', bookmarks: [{name: 'u@h:21', host: 'h', port: 21, user: 'u', tls: 'none'}]}, {bookmarks: {load: async () => [], save: async list => {
			saved.push(list);
		}}});
		expect(saved).toEqual([[{name: 'u@h:21', host: 'h', port: 21, user: 'u', tls: 'none'}]]);
	});

	it('makes and renames local entries, selecting the result', async () => {
		const made = await run({type: 'mkdir', side: 'local', path: '/home/u/new'});
		expect(made.local.calls).toEqual(['mkdir /home/u/new']);
		expect(made.actions).toEqual([{type: 'refresh', side: 'local', select: 'new'}]);
		const renamed = await run({type: 'rename', side: 'local', dir: '/home/u', names: ['a.txt'], target: '/home/u/z.txt', mayName: true});
		expect(renamed.actions).toEqual([{type: 'refresh', side: 'local', select: 'z.txt'}]);
	});

	it('F6 moves a file into an existing directory, as mc does, typed with or without a slash', async () => {
		const local = memoryHost(new MemoryTree({'/home/u/a.txt': 'a', '/home/u/notes': null}));
		const moved = await run({type: 'rename', side: 'local', dir: '/home/u', names: ['a.txt'], target: '/home/u/notes', mayName: true}, {local});
		expect(local.calls.filter(call => call.startsWith('rename'))).toEqual(['rename /home/u/a.txt /home/u/notes/a.txt']);
		expect(moved.actions).toEqual([{type: 'refresh', side: 'local'}]);

		const engine = new FakeEngine(new MemoryTree({'/pub/r.txt': 'remote', '/pub/sub': null}));
		await engine.connect({host: 'h', port: 21, user: 'u', password: ''});
		await run({type: 'rename', side: 'remote', dir: '/pub', names: ['r.txt'], target: '/pub/sub', mayName: false}, {engine});
		expect(engine.calls.filter(call => call.startsWith('rename'))).toEqual(['rename /pub/r.txt /pub/sub/r.txt']);
	});

	it('F6 to a directory that is not there says so, moves nothing and leaves the cursor on the file', async () => {
		const local = memoryHost(new MemoryTree({'/home/u/a.txt': 'a', '/home/u/notes': null}));
		const {actions} = await run({type: 'rename', side: 'local', dir: '/home/u', names: ['a.txt'], target: '/home/u/nodir', mayName: false}, {local});
		expect(local.calls.filter(call => call.startsWith('rename'))).toEqual([]);
		expect(actions).toEqual([
			{type: 'operation-failed', error: {kind: 'local', message: 'target directory /home/u/nodir does not exist'}},
			{type: 'refresh', side: 'local', select: 'a.txt'},
		]);
	});

	it('a rename that fails leaves the cursor on the file, not on the target', async () => {
		const local = memoryHost(new MemoryTree({'/home/u/a.txt': 'a', '/home/u/b.txt': 'b'}));
		local.rename = async () => {
			throw new FtpaneError('local', 'cannot rename: already exists');
		};

		const {actions} = await run({type: 'rename', side: 'local', dir: '/home/u', names: ['a.txt'], target: '/home/u/b.txt', mayName: true}, {local});
		expect(actions).toEqual([{type: 'operation-failed', error: {kind: 'local', message: 'cannot rename: already exists'}}, {type: 'refresh', side: 'local', select: 'a.txt'}]);
	});

	it('makes and renames remote entries through the FTP host', async () => {
		const engine = new FakeEngine(new MemoryTree({'/pub/r.txt': 'remote'}));
		await engine.connect({host: 'h', port: 21, user: 'u', password: ''});
		const made = await run({type: 'mkdir', side: 'remote', path: '/pub/new'}, {engine});
		expect(made.actions).toEqual([{type: 'refresh', side: 'remote', select: 'new'}]);
		await run({type: 'rename', side: 'remote', dir: '/pub', names: ['r.txt'], target: '/pub/s.txt', mayName: true}, {engine});
		expect(engine.calls.filter(call => call.startsWith('mkdir') || call.startsWith('rename'))).toEqual(['mkdir /pub/new', 'rename /pub/r.txt /pub/s.txt']);
	});

	it('deletes local directories through the local host, contents first', async () => {
		const local = memoryHost(new MemoryTree({'/home/u/a.txt': 'a', '/home/u/dir/inner.txt': 'i', '/home/u/dir/deep/d.txt': 'd'}));
		const {actions} = await run({type: 'delete', side: 'local', dir: '/home/u', entries: [{name: 'a.txt', type: 'file'}, {name: 'dir', type: 'dir'}]}, {local});
		expect(local.calls.filter(call => call.startsWith('remove'))).toEqual([
			'remove /home/u/a.txt',
			'remove /home/u/dir/inner.txt',
			'remove /home/u/dir/deep/d.txt',
			'remove /home/u/dir/deep',
			'remove /home/u/dir',
		]);
		expect(local.tree.list('/home/u')).toEqual([]);
		expect(actions).toEqual([{type: 'refresh', side: 'local'}, {type: 'batch-done'}]);
	});

	it('reads a window of a local file for the viewer, the bytes as they are', async () => {
		const {actions, local} = await run({type: 'viewer-read', side: 'local', path: '/home/u/a.txt', session: 4, offset: 6, length: 5});
		expect(local.calls).toEqual(['read /home/u/a.txt']);
		expect(actions).toEqual([{type: 'viewer-bytes', session: 4, offset: 6, bytes: new Uint8Array(Buffer.from('world')), asked: 5}]);
	});

	it('reads a window of a remote file through the engine, and says when it cannot', async () => {
		const engine = new FakeEngine(new MemoryTree({'/pub/r.txt': 'remote'}));
		await engine.connect({host: 'h', port: 21, user: 'u', password: ''});
		const read = await run({type: 'viewer-read', side: 'remote', path: '/pub/r.txt', session: 2, offset: 2, length: 65_536}, {engine});
		expect(engine.calls).toContain('readRange /pub/r.txt 2 65536');
		expect(read.actions).toEqual([{type: 'viewer-bytes', session: 2, offset: 2, bytes: new Uint8Array(Buffer.from('mote')), asked: 65_536}]);
		const failed = await run({type: 'viewer-read', side: 'local', path: '/home/u/gone.txt', session: 3, offset: 0, length: 10});
		expect(failed.actions).toEqual([{type: 'viewer-read-failed', session: 3, offset: 0, error: expect.objectContaining({message: expect.stringContaining('gone.txt')})}]);
	});

	it('answers questions, passes options on and quits', async () => {
		const questions = new QuestionBridge();
		const answer = questions.ask({type: 'conflict', path: '/a', side: 'local'});
		await run({type: 'answer', questionId: 1, answer: 'skip'}, {questions});
		await expect(answer).resolves.toBe('skip');

		const onOptionsChange = vi.fn();
		await run({type: 'set-options', options: {mode: 'ascii', active: true, scanDownloads: true}}, {onOptionsChange});
		expect(onOptionsChange).toHaveBeenCalledWith({mode: 'ascii', active: true, scanDownloads: true});

		const onQuit = vi.fn();
		await run({type: 'quit'}, {onQuit});
		expect(onQuit).toHaveBeenCalledOnce();
	});
});
