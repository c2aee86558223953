import {closeSync, openSync} from 'node:fs';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {EngineApi} from '../../source/engine/api/engine-api.js';
import {FtpaneError} from '../../source/engine/api/errors.js';
import type {FileEntry} from '../../source/engine/api/file-entry.js';
import type {Engine} from '../../source/engine/engine.js';
import {startFtpSrv, type FtpSrvServer} from '../helpers/ftp-srv.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {waitFor} from '../components/helpers.js';
import {keys, renderTui, type TuiUnderTest} from './tui-harness.js';

// A long remote directory opens in parts: the full-screen client over the real engine and ftp-srv, the listing of
// /big held after its first part (the engine waits for the pane's receiver, so the data connection is held too).
const bigEntries = 5000;
let server: FtpSrvServer;
let local: TempDir;
let tui: TuiUnderTest | undefined;

beforeEach(async () => {
	server = await startFtpSrv();
	local = await createTempDir('ftpane-tui-parts-');
	await writeFile(path.join(server.root, 'README.txt'), 'hello\n');
	await mkdir(path.join(server.root, 'docs'));
	await writeFile(path.join(server.root, 'docs', 'guide.md'), '# Guide\n');
	await mkdir(path.join(server.root, 'big'));
	for (let index = 0; index < bigEntries; index++) {
		closeSync(openSync(path.join(server.root, 'big', `f${String(index).padStart(5, '0')}`), 'w'));
	}
});

afterEach(async () => {
	await tui?.close();
	tui = undefined;
	await server.stop();
	await local.remove();
});

/** Entries of /big handed on before it is held: more than the screen's rows. */
const firstEntries = 30;

/** How the listing of /big goes on after its first screenful: held until released (or stopped), or broken off. */
type AfterFirstPart = {release(): void; fail?: Error};

/** The engine as the app sees it, with the listing of /big doing `after` once its first screenful is handed on. */
function holdingBig(engine: Engine, after: AfterFirstPart & {held: Promise<void>}): EngineApi {
	return new Proxy(engine, {
		get(target, property, receiver) {
			if (property !== 'listParts') {
				const value: unknown = Reflect.get(target, property, receiver);
				return typeof value === 'function' ? value.bind(target) : value;
			}

			return async (dir: string | undefined, receive: (entries: FileEntry[]) => void, signal?: AbortSignal) => {
				let handed = 0;
				await target.listParts(dir, async entries => {
					const before = handed;
					handed += entries.length;
					receive(entries);
					if (dir !== '/big' || before >= firstEntries || handed < firstEntries) {
						return;
					}

					if (after.fail) {
						throw after.fail;
					}

					// Held, as a slow server holds it, until the test releases it or the pane stops the listing.
					await new Promise<void>(resolve => {
						void after.held.then(resolve);
						signal?.addEventListener('abort', () => {
							resolve();
						}, {once: true});
					});
				}, signal);
			};
		},
	});
}

function start(after: Partial<AfterFirstPart> = {}): {app: TuiUnderTest; release(): void} {
	let release!: () => void;
	const held = new Promise<void>(resolve => {
		release = resolve;
	});
	const app = renderTui({
		localPath: local.path,
		connect: {host: server.host, port: server.port, user: server.user, password: server.password, tls: 'none'},
		wrapEngine: engine => holdingBig(engine, {held, release, ...after}),
	});
	tui = app;
	return {app, release};
}

async function enterBig(app: TuiUnderTest): Promise<void> {
	await app.see('127.0.0.1:/', 'README.txt');
	await app.press(keys.tab);
	await app.select('big');
	await app.press(keys.enter);
}

describe('a long remote directory opened in parts', () => {
	it('shows the first names while the listing still arrives, then all of it', async () => {
		const {app, release} = start();
		await enterBig(app);
		await app.see('127.0.0.1:/big', 'f00000', 'f00001', 'so far, loading...');
		const arrived = /(\d+) entries so far/.exec(app.frame())?.[1];
		expect(Number(arrived)).toBeGreaterThan(0);
		expect(Number(arrived)).toBeLessThan(bigEntries);
		// The cursor moves in what has come.
		await app.press(keys.down, keys.down);
		await app.see('f00001');
		release();
		await waitFor(() => {
			expect(app.frame()).toContain(`${bigEntries} entries`);
			expect(app.frame()).not.toContain('so far');
		}, 15_000);
		await app.press(keys.end);
		await app.see(`f${String(bigEntries - 1).padStart(5, '0')}`);
	});

	it('reads no further after the first part until the screen shows it', async () => {
		let app: TuiUnderTest | undefined;
		let shownWhenReadOn: string | undefined;
		app = renderTui({
			localPath: local.path,
			connect: {host: server.host, port: server.port, user: server.user, password: server.password, tls: 'none'},
			wrapEngine: engine => new Proxy(engine, {
				get(target, property, receiver) {
					const value: unknown = Reflect.get(target, property, receiver);
					if (property !== 'listParts') {
						return typeof value === 'function' ? value.bind(target) : value;
					}

					return async (dir: string | undefined, receive: (entries: FileEntry[]) => void | Promise<void>, signal?: AbortSignal) => {
						let parts = 0;
						await target.listParts(dir, async entries => {
							await receive(entries);
							if (dir === '/big' && ++parts === 1) {
								shownWhenReadOn = app?.frame();
							}
						}, signal);
					};
				},
			}),
		});
		tui = app;
		await enterBig(app);
		await waitFor(() => {
			expect(shownWhenReadOn).toBeDefined();
		});
		expect(shownWhenReadOn).toContain('127.0.0.1:/big');
		expect(shownWhenReadOn).toContain('f00000');
		await app.see(`${bigEntries} entries`);
	});

	it('leaves a directory still arriving on Backspace: the listing is stopped and the pane shows the parent', async () => {
		const {app, release} = start();
		await enterBig(app);
		await app.see('127.0.0.1:/big', 'so far, loading...');
		await app.press(keys.backspace);
		await app.see('README.txt', '/docs', '/big');
		expect(app.frame()).not.toContain('127.0.0.1:/big');
		// The listing of /big was stopped, not left running on the one control connection.
		await waitForJob(app, job => job.kind === 'list' && job.label === '/big' && job.state === 'cancelled');
		release();
		// Nothing of /big comes back, and the pane goes on working.
		await app.select('docs');
		await app.press(keys.enter);
		await app.see('127.0.0.1:/docs', 'guide.md');
		expect(app.frame()).not.toContain('f00000');
	});

	it('goes back to the directory it showed when the listing breaks off half-way, and says why', async () => {
		const {app} = start({fail: new FtpaneError('protocol', 'the listing broke off half-way')});
		await enterBig(app);
		await app.see('the listing broke off half-way');
		const frame = app.frame();
		expect(frame).not.toContain('127.0.0.1:/big');
		expect(frame).toContain('README.txt');
		expect(frame).not.toContain('so far');
		await app.press(keys.enter);
		await app.see('README.txt', '/docs');
		expect(app.frame()).not.toContain('f00000');
	});
});

async function waitForJob(app: TuiUnderTest, match: (job: ReturnType<Engine['getSnapshot']>['jobs'][number]) => boolean): Promise<void> {
	const deadline = Date.now() + 10_000;
	while (!app.engine.getSnapshot().jobs.some(job => match(job))) {
		if (Date.now() > deadline) {
			throw new Error(`no such job: ${JSON.stringify(app.engine.getSnapshot().jobs)}`);
		}

		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => {
			setTimeout(resolve, 20);
		});
	}
}
