import {closeSync, openSync} from 'node:fs';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {render} from 'ink-testing-library';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {connectEarly, listingAskedFor} from '../../source/app/early-connect.js';
import {closeTuiSession, createTuiEngine} from '../../source/app/tui-engine.js';
import {App} from '../../source/components/App.js';
import type {ConnectOptions} from '../../source/engine/api/engine-api.js';
import type {Engine} from '../../source/engine/engine.js';
import {localHost} from '../../source/engine/local/local-host.js';
import {QuestionBridge} from '../../source/ui/effects/question-bridge.js';
import {createSelfSignedCertificate} from '../helpers/certs.js';
import {startFtpSrv, type FtpSrvServer} from '../helpers/ftp-srv.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {settle, waitFor} from '../components/helpers.js';
import {keys, renderTui} from './tui-harness.js';

// ftpane URL starts the connection and the first listing before Ink loads (app/start-tui.ts): the app, mounted only
// once that work is done or waiting on the user, must show what it shows when it starts the work itself.
const entries = 3000;
let server: FtpSrvServer;
let local: TempDir;
const cleanUps: Array<() => Promise<void>> = [];

beforeEach(async () => {
	server = await startFtpSrv();
	local = await createTempDir('ftpane-early-');
	await writeFile(path.join(local.path, 'local.txt'), 'x');
	for (let index = 0; index < entries; index++) {
		closeSync(openSync(path.join(server.root, `f${String(index).padStart(5, '0')}`), 'w'));
	}
});

afterEach(async () => {
	for (const cleanUp of cleanUps.splice(0)) {
		// eslint-disable-next-line no-await-in-loop
		await cleanUp();
	}

	await server.stop();
	await local.remove();
});

const flags = {agent: '127.0.0.1:9', scanTimeout: 10, insecure: false};

/** The engine with its URL's connection started now, as start-tui.ts starts it, and the app to mount later. */
function startEarly(connect: ConnectOptions, knownCertsPath?: string) {
	const questions = new QuestionBridge();
	const engine = createTuiEngine(flags, questions, () => ({mode: 'binary', active: false, scanDownloads: false}), knownCertsPath ? {knownCertsPath} : {});
	const api = connectEarly(engine, connect);
	const mount = () => {
		const rendered = render(<App engine={api} localHost={localHost} initialLocalPath={local.path} width={80} height={24} questions={questions} escapeTimeoutMs={100} onQuit={() => undefined} connect={connect}/>);
		cleanUps.push(async () => {
			rendered.unmount();
		});
		return rendered;
	};

	cleanUps.push(async () => closeTuiSession(engine, questions));
	return {engine, api, questions, mount};
}

/** The commands the engine sent that start with `verb`. */
function sent(engine: Engine, verb: string): string[] {
	return engine.getSnapshot().transcript.filter(line => line.direction === 'sent' && line.text.startsWith(verb)).map(line => line.text);
}

function connectOptions(password = server.password): ConnectOptions {
	return {host: server.host, port: server.port, user: server.user, password};
}

describe('the connection started before the app is there', () => {
	it('hands the app the whole first listing, read before the app asked for it, on the one login', async () => {
		const early = startEarly(connectOptions());
		// The listing has ended before the app is mounted: every part of it was kept.
		await waitFor(() => {
			expect(early.engine.getSnapshot().jobs.some(job => job.kind === 'list' && job.state === 'done')).toBe(true);
		}, 15_000);
		const app = early.mount();
		await waitFor(() => {
			expect(app.lastFrame()).toContain('f00000');
		}, 15_000);
		app.stdin.write(keys.tab);
		await settle();
		app.stdin.write(keys.end);
		await waitFor(() => {
			expect(app.lastFrame()).toContain(`f${String(entries - 1).padStart(5, '0')}`);
		});
		expect(sent(early.engine, 'USER')).toHaveLength(1);
		expect([...sent(early.engine, 'LIST'), ...sent(early.engine, 'MLSD')]).toHaveLength(1);
	});

	it('tells the first listener what the engine said before it listened: where it is, that it connected', async () => {
		const early = startEarly(connectOptions());
		await waitFor(() => {
			expect(early.engine.getSnapshot().connection).toBe('connected');
		}, 15_000);
		const heard: string[] = [];
		const stop = early.api.onEvent(event => {
			if (event.type === 'cwd' || event.type === 'connection') {
				heard.push(event.type === 'cwd' ? `cwd ${event.path}` : event.state);
			}
		});
		stop();
		expect(heard).toEqual(['connecting', 'cwd /', 'connected']);
	});

	it('shows a failed login as the app does when it connects itself', async () => {
		const early = startEarly(connectOptions('wrong'));
		await waitFor(() => {
			expect(early.engine.getSnapshot().connection).toBe('disconnected');
		}, 15_000);
		const app = early.mount();
		const plain = renderTui({localPath: local.path, connect: connectOptions('wrong')});
		cleanUps.push(async () => plain.close());
		await plain.see('530');
		await waitFor(() => {
			expect(app.lastFrame()).toContain('530');
		});
		await settle(100);
		expect(app.lastFrame()).toBe(plain.frame());
	});
});

describe('a question met before the app is there (TLS ftp-srv)', () => {
	it('waits for the app, shows it, and the answer completes the connection', async () => {
		const certificate = await createSelfSignedCertificate();
		const tlsServer = await startFtpSrv({tls: {certPath: certificate.certPath, keyPath: certificate.keyPath}});
		cleanUps.push(async () => tlsServer.stop());
		await writeFile(path.join(tlsServer.root, 'plans.txt'), 'x');
		const early = startEarly({host: tlsServer.host, port: tlsServer.port, user: tlsServer.user, password: tlsServer.password, tls: 'explicit'}, path.join(local.path, 'known.json'));
		await waitFor(() => {
			expect(early.questions.size).toBe(1);
		}, 15_000);
		const app = early.mount();
		await waitFor(() => {
			expect(app.lastFrame()).toContain('Untrusted certificate');
		});
		app.stdin.write('o');
		await waitFor(() => {
			expect(app.lastFrame()).toContain('plans.txt');
		}, 15_000);
	});
});


describe('when the screen starts to load (listingAskedFor)', () => {
	it('once the listing is asked for: the LIST or MLSD is out, the login before it done without waiting on the screen', async () => {
		const early = startEarly(connectOptions());
		await listingAskedFor(early.engine, 60_000);
		expect(sent(early.engine, 'USER')).toHaveLength(1);
		expect([...sent(early.engine, 'LIST'), ...sent(early.engine, 'MLSD')]).toHaveLength(1);
	});

	it('once the login has failed, not at the cap', async () => {
		const early = startEarly(connectOptions('wrong'));
		const started = performance.now();
		await listingAskedFor(early.engine, 60_000);
		expect(performance.now() - started).toBeLessThan(30_000);
		expect(early.engine.getSnapshot().connection).toBe('disconnected');
		expect([...sent(early.engine, 'LIST'), ...sent(early.engine, 'MLSD')]).toHaveLength(0);
	});

	it('at the cap while the login waits on a question, which needs the screen to be asked', async () => {
		const certificate = await createSelfSignedCertificate();
		const tlsServer = await startFtpSrv({tls: {certPath: certificate.certPath, keyPath: certificate.keyPath}});
		cleanUps.push(async () => tlsServer.stop());
		const early = startEarly({host: tlsServer.host, port: tlsServer.port, user: tlsServer.user, password: tlsServer.password, tls: 'explicit'}, path.join(local.path, 'known.json'));
		await waitFor(() => {
			expect(early.questions.size).toBe(1);
		}, 15_000);
		await listingAskedFor(early.engine, 50);
		expect(early.questions.size).toBe(1);
		expect(early.engine.getSnapshot().connection).toBe('connecting');
	});
});
