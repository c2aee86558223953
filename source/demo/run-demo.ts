import '../app/interactive-env.js';
import {rmSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import process from 'node:process';
import {startAgent, type RunningAgent} from '../agent/agent-server.js';
import {startTui} from '../app/start-tui.js';
import {type CliFlags, defaultCliFlags} from '../commands/cli-flags.js';
import {toUiError} from '../engine/api/errors.js';
import {hasSystemDatabase, killOwnClamdsNow} from './demo-clamd.js';
import {createDemoTrees, demoAppEnvironment, demoClamscan} from './demo-files.js';
import {startDemoFtpServer, type DemoFtpServer} from './demo-ftp-server.js';
import {startDemoScanner, type DemoScanner} from './demo-scanner.js';

/**
 * `npm run demo`: an FTP server, a scan agent and (when ClamAV is installed) a clamd, all on this machine and all
 * gone again at exit, with the full-screen client connected to them and the local pane in a demo folder.
 */
async function main(): Promise<number> {
	const root = await mkdtemp(join(tmpdir(), 'ftpane-demo-'));
	// Read at call time by everything that stores files (bookmarks, known certificates, quarantine): set before any runs.
	Object.assign(process.env, demoAppEnvironment(root));
	let server: DemoFtpServer | undefined;
	let scanner: DemoScanner | undefined;
	let agent: RunningAgent | undefined;
	const cleanUp = async () => {
		await agent?.close().catch(() => undefined);
		await server?.stop().catch(() => undefined);
		await scanner?.stop().catch(() => undefined);
		await rm(root, {recursive: true, force: true});
	};

	// Whatever happens, no clamd and no temporary files outlive the demo.
	process.once('exit', () => {
		killOwnClamdsNow();
		rmSync(root, {recursive: true, force: true});
	});
	// Signals are handled for the demo's whole life: while setting up they end it after cleaning up; while the
	// client runs, it handles them itself; while cleaning up, a second one (a closing terminal sends SIGHUP after
	// SIGTERM) must not cut the cleanup short.
	let phase: 'setup' | 'running' | 'cleanup' = 'setup';
	const onSignal = () => {
		if (phase === 'setup') {
			phase = 'cleanup';
			void cleanUp().finally(() => {
				process.exit(130);
			});
		}
	};

	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.on(signal, onSignal);
	}

	// A terminal that went away makes writes fail; that must not become a crash before the cleanup is done.
	process.stdout.on('error', () => undefined);
	try {
		say('ftpane demo: preparing a server tree and a local folder...');
		const trees = await createDemoTrees(root);
		server = await startDemoFtpServer(trees.serverDir);
		const clamdDir = join(root, 'clamd');
		scanner = await startDemoScanner(clamdDir, say);
		// Without a system database, the demo's own clamd has its signatures in clamdDir/db (see startOwnClamd).
		const clamscan = demoClamscan(scanner.working, await hasSystemDatabase() ? undefined : join(clamdDir, 'db'));
		// The agent's log would draw over the screen.
		agent = await startAgent({host: '127.0.0.1', port: 0, clamd: scanner.clamdSocket, ...clamscan, log() {}});
	} catch (error) {
		phase = 'cleanup';
		await cleanUp();
		throw error;
	}

	if (phase !== 'setup') {
		// Interrupted while the last step finished: the cleanup is already under way.
		return 130;
	}

	phase = 'running';
	const flags: CliFlags = {...defaultCliFlags, agent: `127.0.0.1:${agent.port}`};
	try {
		return await startTui({
			url: `ftp://${server.user}:${server.password}@127.0.0.1:${server.port}/`,
			flags,
			localPath: join(root, 'local'),
			notice: {
				title: 'ftpane demo',
				lines: [
					`Right: ftp-srv on 127.0.0.1:${server.port}, user ${server.user}, password ${server.password}.`,
					'Left: a demo folder with two clean files and eicar.com, the harmless',
					'EICAR test file.',
					...scanner.lines,
					scanner.working ? 'Upload eicar.com with F5: the scan gate refuses it.' : 'Uploads will fail at the scan gate.',
					'Tab: other pane  F5: copy  F3: view  F1: help  F10: quit',
				],
			},
			idleStatus: scanner.status,
		});
	} finally {
		phase = 'cleanup';
		await cleanUp();
		say('ftpane demo: stopped; temporary files removed.');
	}
}

function say(line: string): void {
	process.stdout.write(`${line}\n`);
}

try {
	process.exitCode = await main();
} catch (error) {
	process.stderr.write(`ftpane demo: ${toUiError(error).message}\n`);
	process.exitCode = 1;
}
