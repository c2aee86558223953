import {readdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Engine} from '../../source/engine/engine.js';
import {FtpaneError} from '../../source/engine/api/errors.js';
import {refusingScanGate} from '../helpers/scan-gates.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';

describe('cancelling jobs', () => {
	let server: VsftpdServer;
	let local: TempDir;

	beforeAll(async () => {
		server = await startVsftpd({config: {local_max_rate: String(2 * 1024 * 1024)}});
		local = await createTempDir();
		await writeFile(join(server.root, 'slow.bin'), Buffer.alloc(64 * 1024 * 1024, 1));
		await writeFile(join(server.root, 'small.txt'), 'small');
	});

	afterAll(async () => {
		await server.stop();
		await local.remove();
	});

	it.each(['passive', 'active'] as const)('aborts a running download (%s), leaves no file, and the session goes on', async mode => {
		const engine = new Engine({scanGate: refusingScanGate, settings: () => ({mode: 'binary', active: mode === 'active', scanDownloads: false})});
		try {
			await engine.connect({host: server.host, port: server.port, user: server.user, password: server.password});
			const destination = join(local.path, `${mode}-slow.bin`);
			let cancelled = false;
			engine.onEvent(event => {
				if (event.type === 'job' && event.job.kind === 'get' && event.job.bytes > 0 && !cancelled) {
					cancelled = true;
					engine.cancel(event.job.id);
				}
			});
			const error = await engine.get('slow.bin', destination).then(() => undefined, (error_: unknown) => error_);
			expect(error).toBeInstanceOf(FtpaneError);
			expect((error as FtpaneError).kind).toBe('cancelled');
			expect(engine.getSnapshot().jobs.find(job => job.kind === 'get')?.state).toBe('cancelled');
			expect(await readdir(local.path)).not.toContain(`${mode}-slow.bin`);
			expect((await readdir(local.path)).filter(name => name.includes(`${mode}-slow`))).toEqual([]);
			const entries = await engine.list();
			expect(entries.map(entry => entry.name)).toContain('small.txt');
		} finally {
			await engine.close();
		}
	});

	it('cancels a queued job before it starts', async () => {
		const engine = new Engine({scanGate: refusingScanGate});
		try {
			await engine.connect({host: server.host, port: server.port, user: server.user, password: server.password});
			const first = engine.list();
			const second = engine.list();
			const queued = engine.getSnapshot().jobs.at(-1)!;
			expect(queued.state).toBe('queued');
			engine.cancel(queued.id);
			expect(engine.getSnapshot().jobs.find(job => job.id === queued.id)?.state).toBe('cancelled');
			await first;
			await expect(second).rejects.toMatchObject({kind: 'cancelled'});
		} finally {
			await engine.close();
		}
	});
});
