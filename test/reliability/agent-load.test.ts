import {readdir, readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ExitCode, FtpaneError} from '../../source/engine/api/errors.js';
import {Engine} from '../../source/engine/engine.js';
import {createAgentScanGate} from '../../source/engine/scan/agent-scan-gate.js';
import {holdConnection, type HeldClient, request} from '../agent/raw-client.js';
import {type ClamdServer, eicar, signatureNames, startClamd} from '../helpers/clamd.js';
import {type CliRun, runCli} from '../helpers/run-cli.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';
import {type AgentProcess, startAgentProcess} from './agent-process.js';
import {recordFigures, runKind, sized} from './figures.js';
import {allowedExits, type LoadFile, loadFiles, median, type OutageMarks, outagePhase, type OutagePhase, peakOverlap, runPool, verdictExit} from './load-files.js';

/*
 * The scan agent under load and faults (issue 13): `ftpane put`, the batch CLI as scripts run it, one process per
 * upload (in the reduced run, 30 of the 50 concurrent uploads are Engine uploads in this process instead), through one
 * `ftpane agent` process and a real clamd to vsftpd. Every upload is judged by its exit code, the
 * agent's log line for it and what reached the server; nothing here asserts a time. The delays (clamd's recovery, an
 * honest upload's delay with slow senders attached) are measured and written to the report only.
 */

const concurrentUploads = sized(50, 50);
// 50 node processes at once cost some 25 s of the two cores: the reduced run makes 20 of the 50 CLI processes and
// the other 30 engine uploads (one Engine each, with its own FTP connection and scan, in this process).
const cliUploads = sized(50, 20);
const outageFiles = sized(60, 24);
const outageConcurrency = sized(8, 6);
const slowSenderCount = 50;
const idleConnectionCount = 20;
const honestRuns = sized(5, 3);

let clamd: ClamdServer;
let server: VsftpdServer;
let local: TempDir;
let base: string;
const agents: AgentProcess[] = [];
const tally = {
	uploads: 0,
	concurrent: 0,
	infectedRefused: 0,
	cleanVerified: 0,
	clamdKills: 0,
	failedClosed: 0,
	clamscanVerdicts: 0,
	overlapFailedClosed: 0,
	overlapUploads: 0,
	slowSenders: 0,
	idleConnections: 0,
	slowVerdicts: 0,
	failed: 0,
};
const delays: string[] = [];

beforeAll(async () => {
	// vsftpd 3 serves at most 50 connections from one address by default, and each upload takes two (the session's and a
	// transfer's): the server's limit is not what this suite measures.
	[clamd, server, local] = await Promise.all([startClamd(), startVsftpd({config: {max_per_ip: '400', max_clients: '400'}}), createTempDir('ftpane-agent-load-')]);
	base = `ftp://${server.user}:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}`;
});

afterAll(async () => {
	await Promise.all(agents.map(async agent => agent.stop()));
	await Promise.all([clamd?.stop(), server?.stop(), local?.remove()]);
	recordFigures({
		suite: 'agent-load',
		title: 'Scan agent under load and faults',
		what: `${concurrentUploads} concurrent uploads (${cliUploads} of them \`ftpane put\` processes) of clean and infected files through one \`ftpane agent\` process and a real clamd to vsftpd; clamd killed and restarted mid-run, without and with the clamscan fallback; ${slowSenderCount} slow senders and ${idleConnectionCount} idle connections attached while an honest upload runs`,
		counts: {
			uploads: tally.uploads,
			'concurrent uploads': tally.concurrent,
			'infected refused': tally.infectedRefused,
			'clean verified': tally.cleanVerified,
			'clamd kills': tally.clamdKills,
			'failed closed while clamd was down': tally.failedClosed,
			'clamscan verdicts': tally.clamscanVerdicts,
			'slow senders': tally.slowSenders,
			'idle connections': tally.idleConnections,
			'slow-sender verdicts': tally.slowVerdicts,
		},
		result: tally.failed === 0 ? 'pass' : 'fail',
		command: runKind() === 'full' ? 'npm run reliability' : 'npx vitest run test/reliability/agent-load.test.ts',
		details: [
			cliUploads === concurrentUploads
				? 'Every upload is a `ftpane put` process (the batch CLI); delays measured, never asserted.'
				: `Uploads are \`ftpane put\` processes (the batch CLI), except ${concurrentUploads - cliUploads} of the ${concurrentUploads} concurrent ones, which are Engine uploads in the test process; delays measured, never asserted.`,
			`Uploads across clamd's kill or restart: ${tally.overlapUploads}, of which ${tally.overlapFailedClosed} failed closed (exit 7), the rest got their verdict.`,
			...delays,
		].join(' '),
	});
});

/** A run through clamd's outage: all its uploads, the second third (all while clamd was down) and the last (all after). */
type OutageRun = {uploads: Upload[]; down: Upload[]; back: Upload[]; marks: OutageMarks; backAt: number};

/** One `ftpane put` and where it stood in the run's order of events. */
type Upload = {file: LoadFile; run: CliRun; started: number; ended: number; ms: number; endedAt: number};

let sequence = 0;
/** The next position in the run's order of events. */
const mark = () => ++sequence;

async function writeSources(files: readonly LoadFile[]): Promise<void> {
	await Promise.all(files.map(async file => writeFile(join(local.path, file.name), file.bytes)));
}

async function upload(agent: AgentProcess, file: LoadFile): Promise<Upload> {
	const started = mark();
	const startedAt = performance.now();
	const run = await runCli(['put', '--agent', agent.address, join(local.path, file.name), `${base}/${file.name}`], {timeoutMs: 120_000});
	const endedAt = performance.now();
	tally.uploads++;
	return {file, run, started, ended: mark(), ms: Math.round(endedAt - startedAt), endedAt};
}

const scanLine = /^\S+ (CLEAN|INFECTED|ERROR) name="([^"]*)" .* scanner=(\S+)/;

/** The most requests the agent had open at once, from its log: each line's accept time and duration. */
function peakRequests(agent: AgentProcess): number {
	return peakOverlap(agent.stdout.flatMap(line => {
		const match = /^(\S+Z) (?:CLEAN|INFECTED|ERROR) .* duration=(\d+)ms /.exec(line);
		const start = match ? Date.parse(match[1]!) : Number.NaN;
		return Number.isNaN(start) ? [] : [{start, end: start + Number(match![2])}];
	}));
}

/** The agent's scan lines about `name`: result word and scanner. */
function scansOf(agent: AgentProcess, name: string): Array<{result: string; scanner: string; line: string}> {
	return agent.stdout.flatMap(line => {
		const match = scanLine.exec(line);
		return match?.[2] === name ? [{result: match[1]!, scanner: match[3]!, line}] : [];
	});
}

/** One upload through the engine, as the CLI runs it but in this process: its own Engine, connection and scan. */
async function engineUpload(agent: AgentProcess, file: LoadFile): Promise<Upload> {
	const started = mark();
	const startedAt = performance.now();
	const engine = new Engine({scanGate: createAgentScanGate({host: '127.0.0.1', port: agent.port})});
	let run: CliRun = {code: ExitCode.ok, stdout: '', stderr: ''};
	try {
		await engine.connect({host: server.host, port: server.port, user: server.user, password: server.password});
		await engine.put(join(local.path, file.name), file.name);
	} catch (error) {
		run = {code: error instanceof FtpaneError ? error.exitCode : ExitCode.other, stdout: '', stderr: `${(error as Error).message}\n`};
	} finally {
		await engine.close();
	}

	const endedAt = performance.now();
	tally.uploads++;
	return {file, run, started, ended: mark(), ms: Math.round(endedAt - startedAt), endedAt};
}

const resultOfExit: Record<number, string> = {[ExitCode.ok]: 'CLEAN', [ExitCode.infected]: 'INFECTED', [ExitCode.scanUnavailable]: 'ERROR'};

/**
 * Checks one upload against what it may end as: its exit code, one clear line on stderr for a failure, the agent's one
 * log line about it, and (with the server's listing) that it is on the server byte for byte exactly when it passed.
 */
async function checkUpload(agent: AgentProcess, upload: Upload, allowed: number[], remote: Set<string>): Promise<void> {
	const {file, run} = upload;
	const label = `${file.name} (${file.signature ?? 'clean'}, started #${upload.started}, ended #${upload.ended}, exit ${run.code}, stderr ${JSON.stringify(run.stderr)})`;
	expect(allowed, label).toContain(run.code);
	if (run.code === ExitCode.infected) {
		expect(run.stderr, label).toContain(file.signature);
		tally.infectedRefused++;
	}

	if (run.code === ExitCode.ok) {
		expect(run.stderr, label).toBe('');
		expect(remote.has(file.name), `${label} passed but is not on the server`).toBe(true);
		expect((await readFile(join(server.root, file.name))).equals(file.bytes), `${label} differs on the server`).toBe(true);
		tally.cleanVerified++;
	} else {
		expect(run.stderr.trim().split('\n'), label).toHaveLength(1);
		expect(remote.has(file.name), `${label} failed but is on the server`).toBe(false);
	}

	// The log is written in batches, at most 20 ms late.
	await expect.poll(() => scansOf(agent, file.name).length, {timeout: 5000}).toBe(1);
	expect(scansOf(agent, file.name)[0]!.result, label).toBe(resultOfExit[run.code]);
}

/** What the server holds of these files, after checking that nothing else of theirs is there (no temporary names left). */
async function remoteOf(prefix: string): Promise<Set<string>> {
	const names = (await readdir(server.root)).filter(name => name.includes(prefix));
	expect(names.filter(name => !name.startsWith(prefix)), 'temporary upload names left on the server').toEqual([]);
	return new Set(names);
}

/** No STOR or APPE of an infected file ever reached the server, not even under its temporary name. */
async function expectNoInfectedSent(files: readonly LoadFile[]): Promise<void> {
	const sent = (await server.readTranscript()).split('\n').filter(line => /"(STOR|APPE) /.test(line));
	// The transcript does show the uploads of clean files: the check below reads the right lines.
	expect(sent.some(line => files.some(file => !file.signature && line.includes(file.name))), 'no STOR of a clean file in the transcript').toBe(true);
	for (const file of files.filter(candidate => candidate.signature)) {
		expect(sent.filter(line => line.includes(file.name)), `${file.name} was sent`).toEqual([]);
	}
}

describe('outagePhase and allowedExits', () => {
	const marks: OutageMarks = {killStarted: 10, killDone: 12, restartStarted: 20, restartDone: 22};
	const clean: LoadFile = {name: 'a.bin', bytes: Buffer.alloc(1)};
	const infected: LoadFile = {name: 'b.bin', bytes: Buffer.from(eicar), signature: signatureNames.eicar};

	it('places an upload by the order of events alone', () => {
		const phases: Array<[number, number, OutagePhase]> = [
			[1, 9, 'before'], [1, 11, 'overlap'], [11, 15, 'overlap'], [13, 19, 'outage'], [13, 21, 'overlap'], [21, 25, 'overlap'], [23, 30, 'after'],
		];
		for (const [started, ended, phase] of phases) {
			expect(outagePhase({started, ended}, marks), `${started}..${ended}`).toBe(phase);
		}
	});

	it('counts the most intervals open at once', () => {
		expect(peakOverlap([])).toBe(0);
		expect(peakOverlap([{start: 0, end: 10}, {start: 5, end: 15}, {start: 10, end: 20}, {start: 12, end: 13}])).toBe(3);
	});

	it('allows the verdict, scan failure (7) only while clamd is down or across a change, and never a pass for an infected file', () => {
		expect(allowedExits(clean, 'before', false)).toEqual([0]);
		expect(allowedExits(infected, 'after', false)).toEqual([6]);
		expect(allowedExits(clean, 'outage', false)).toEqual([7]);
		expect(allowedExits(infected, 'outage', true)).toEqual([6]);
		expect(allowedExits(infected, 'overlap', true)).toEqual([6, 7]);
		for (const phase of ['before', 'outage', 'after', 'overlap'] as const) {
			expect(allowedExits(infected, phase, false)).not.toContain(0);
		}
	});
});

describe('the scan agent under load and faults: ftpane agent, real clamd, vsftpd', () => {
	it(`gives each of ${concurrentUploads} concurrent uploads (${cliUploads} of them \`ftpane put\` processes) its verdict: exactly the clean files reach the server, byte for byte`, async ({onTestFailed}) => {
		onTestFailed(() => {
			tally.failed++;
		});
		const agent = await startAgentProcess(['--clamd', clamd.socketPath, '--no-clamscan']);
		agents.push(agent);
		const files = loadFiles('load', concurrentUploads);
		await writeSources(files);
		// The CLI's uploads spread over the mix of clean and infected files.
		const byCli = (index: number) => index * cliUploads % concurrentUploads < cliUploads;
		const uploads = await Promise.all(files.map(async (file, index) => byCli(index) ? upload(agent, file) : engineUpload(agent, file)));
		tally.concurrent = Math.max(tally.concurrent, uploads.length);
		const remote = await remoteOf('load-');
		for (const done of uploads) {
			// eslint-disable-next-line no-await-in-loop -- one upload's checks at a time, for a readable failure
			await checkUpload(agent, done, [verdictExit(done.file)], remote);
		}

		expect([...remote].sort()).toEqual(files.filter(file => !file.signature).map(file => file.name));
		await expectNoInfectedSent(files);
		delays.push(`${concurrentUploads} concurrent uploads (${cliUploads} CLI processes): median ${median(uploads.map(done => done.ms))} ms each, slowest ${Math.max(...uploads.map(done => done.ms))} ms; at most ${peakRequests(agent)} requests open at the agent at once, by its log (its cap per address is 32).`);
	}, 180_000);

	/**
	 * A third of the files run with clamd killed in the middle of them, a third while it is down, a third once it is
	 * back; what each may end as follows from where it stood (outagePhase). Resolves with the uploads and the marks.
	 */
	async function runThroughOutage(agent: AgentProcess, prefix: string): Promise<OutageRun> {
		const files = loadFiles(prefix, outageFiles);
		await writeSources(files);
		const third = Math.ceil(files.length / 3);
		const marks: OutageMarks = {killStarted: Infinity, killDone: Infinity, restartStarted: Infinity, restartDone: Infinity};
		let completed = 0;
		let killing: Promise<void> | undefined;
		const kill = async () => {
			marks.killStarted = mark();
			await clamd.kill();
			marks.killDone = mark();
			tally.clamdKills++;
		};

		const first = await runPool(files.slice(0, third), outageConcurrency, async file => {
			const done = await upload(agent, file);
			completed++;
			// Killed once half of the first third is done: the other half is on its way, or not started yet.
			if (completed === Math.ceil(third / 2)) {
				killing = kill();
			}

			return done;
		});
		await killing;
		const down = await runPool(files.slice(third, 2 * third), outageConcurrency, async file => upload(agent, file));
		marks.restartStarted = mark();
		await clamd.start();
		const backAt = performance.now();
		marks.restartDone = mark();
		const back = await runPool(files.slice(2 * third), outageConcurrency, async file => upload(agent, file));
		tally.concurrent = Math.max(tally.concurrent, outageConcurrency);
		return {uploads: [...first, ...down, ...back], down, back, marks, backAt};
	}

	/** Checks every upload of an outage run and returns them by phase. */
	async function checkOutageRun(agent: AgentProcess, prefix: string, run: OutageRun, fallback: boolean): Promise<Record<OutagePhase, Upload[]>> {
		const remote = await remoteOf(`${prefix}-`);
		const byPhase: Record<OutagePhase, Upload[]> = {before: [], outage: [], after: [], overlap: []};
		for (const done of run.uploads) {
			const phase = outagePhase(done, run.marks);
			byPhase[phase].push(done);
			// eslint-disable-next-line no-await-in-loop -- one upload's checks at a time, for a readable failure
			await checkUpload(agent, done, allowedExits(done.file, phase, fallback), remote);
		}

		await expectNoInfectedSent(run.uploads.map(done => done.file));
		const overlapFailed = byPhase.overlap.filter(done => done.run.code === ExitCode.scanUnavailable).length;
		tally.overlapUploads += byPhase.overlap.length;
		tally.overlapFailedClosed += overlapFailed;
		// The second third ran all while clamd was down, the last all after it was back (the first may end in either).
		expect(run.down.map(done => outagePhase(done, run.marks))).toEqual(run.down.map(() => 'outage'));
		expect(run.back.map(done => outagePhase(done, run.marks))).toEqual(run.back.map(() => 'after'));
		// clamd's loss was logged, and its return after it.
		const scanner = agent.stdout.filter(line => / SCANNER-(OK|FAILED) /.test(line)).map(line => / SCANNER-(OK|FAILED) /.exec(line)![1]);
		expect(scanner.at(-1)).toBe('OK');
		expect(scanner).toContain('FAILED');
		return byPhase;
	}

	/** How long after clamd answered PING again the first upload passed, beside a clean upload's median before the kill. */
	function recovery(run: OutageRun, byPhase: Record<OutagePhase, Upload[]>): string {
		const firstPass = Math.min(...byPhase.after.filter(done => done.run.code === ExitCode.ok).map(done => done.endedAt));
		const before = byPhase.before.filter(done => done.run.code === ExitCode.ok).map(done => done.ms);
		return `first clean upload done ${Math.round(firstPass - run.backAt)} ms after clamd answered again (a clean upload took a median ${before.length > 0 ? median(before) : '?'} ms before the kill, ${outageConcurrency} at once)`;
	}

	it('with --no-clamscan, fails closed (exit 7, nothing on the server) while clamd is down, and serves again once it is back', async ({onTestFailed}) => {
		onTestFailed(() => {
			tally.failed++;
		});
		const agent = await startAgentProcess(['--clamd', clamd.socketPath, '--no-clamscan']);
		agents.push(agent);
		const run = await runThroughOutage(agent, 'nc');
		const byPhase = await checkOutageRun(agent, 'nc', run, false);
		tally.failedClosed += byPhase.outage.length;
		for (const done of byPhase.outage) {
			expect(scansOf(agent, done.file.name)[0]!.line).toMatch(/clamd not reachable/);
		}

		delays.push(`Recovery with --no-clamscan: ${recovery(run, byPhase)}.`);
	}, 240_000);

	it('with the clamscan fallback, every verdict stays right while clamd is down, and clamd takes over again once it is back', async ({onTestFailed}) => {
		onTestFailed(() => {
			tally.failed++;
		});
		// clamscan with the test run's own database (the custom signatures clamd uses), as --clamscan-database names it.
		const agent = await startAgentProcess(['--clamd', clamd.socketPath, '--clamscan', '/usr/bin/clamscan', '--clamscan-database', clamd.databaseDir]);
		agents.push(agent);
		const run = await runThroughOutage(agent, 'cs');
		const byPhase = await checkOutageRun(agent, 'cs', run, true);
		for (const done of byPhase.outage) {
			expect(scansOf(agent, done.file.name)[0]!.scanner, done.file.name).toBe('clamscan');
		}

		for (const done of [...byPhase.before, ...byPhase.after]) {
			expect(scansOf(agent, done.file.name)[0]!.scanner, done.file.name).toBe('clamd');
		}

		tally.clamscanVerdicts += run.uploads.filter(done => scansOf(agent, done.file.name)[0]?.scanner === 'clamscan' && done.run.code !== ExitCode.scanUnavailable).length;
		delays.push(`Recovery with the clamscan fallback: ${recovery(run, byPhase)}; uploads scanned by clamscan while clamd was down: median ${median(byPhase.outage.map(done => done.ms))} ms each.`);
	}, 300_000);

	it(`lets honest uploads through with their verdict while ${slowSenderCount} slow senders and ${idleConnectionCount} idle connections are attached`, async ({onTestFailed}) => {
		onTestFailed(() => {
			tally.failed++;
		});
		const agent = await startAgentProcess(['--clamd', clamd.socketPath, '--no-clamscan']);
		agents.push(agent);
		const honest = async (name: string, bytes: Buffer): Promise<Upload> => {
			const file: LoadFile = {name, bytes, signature: bytes.includes(eicar) ? signatureNames.eicar : undefined};
			await writeSources([file]);
			return upload(agent, file);
		};

		const cleanBody = () => Buffer.from(Array.from({length: 300_000}, (_, index) => index % 251));
		const baseline: Upload[] = [];
		for (let index = 0; index < honestRuns; index++) {
			// eslint-disable-next-line no-await-in-loop -- one at a time: each is a measurement
			baseline.push(await honest(`honest-alone-${index}.bin`, cleanBody()));
		}

		const slow = await attachSlowSenders(agent.port);
		const idle = await attachIdleConnections(agent.port);
		tally.slowSenders += slow.length;
		tally.idleConnections += idle.length;
		const trickling = trickle(slow);
		const attached: Upload[] = [];
		try {
			for (let index = 0; index < honestRuns; index++) {
				// eslint-disable-next-line no-await-in-loop -- one at a time: each is a measurement
				attached.push(await honest(`honest-slowed-${index}.bin`, cleanBody()));
			}

			attached.push(await honest('honest-slowed-eicar.bin', Buffer.concat([cleanBody(), Buffer.from(eicar, 'latin1')])));
		} finally {
			trickling.stop();
			await trickling.done;
		}

		// The slow and idle clients were still there all along: admitted, not refused, nothing answered yet.
		expect(slow.map(sender => sender.client.received())).toEqual(slow.map(() => ''));
		expect(idle.map(client => client.received())).toEqual(idle.map((_, index) => index % 2 === 0 ? '' : 'SESSION\n'));
		const remote = await remoteOf('honest-');
		for (const done of [...baseline, ...attached]) {
			// eslint-disable-next-line no-await-in-loop -- one upload's checks at a time, for a readable failure
			await checkUpload(agent, done, [verdictExit(done.file)], remote);
		}

		// The slow senders are served too once they finish, each with its own verdict.
		for (const sender of slow) {
			sender.client.send(sender.whole.subarray(sender.sent));
		}

		const replies = await Promise.all(slow.map(async sender => withTimeout(sender.client.closed, 60_000, `slow sender ${sender.name}`)));
		expect(replies).toEqual(slow.map(sender => sender.expected));
		tally.slowVerdicts += replies.length;
		for (const client of idle) {
			client.close();
		}

		const alone = median(baseline.map(done => done.ms));
		const slowed = median(attached.slice(0, honestRuns).map(done => done.ms));
		delays.push(`Honest 300 kB upload (\`ftpane put\` wall time, median of ${honestRuns}): ${alone} ms alone, ${slowed} ms with ${slow.length} slow senders (3 of them holding scan slots) and ${idle.length} idle connections attached (${slowed >= alone ? '+' : ''}${slowed - alone} ms).`);
	}, 180_000);

	// Takes the agent's 30 s floor by design, so only in the full run; test/agent/agent-limits.test.ts has the quick twin.
	it.runIf(runKind() === 'full')('lets an honest upload through when clients that announced 2 GiB files hold every scan slot and trickle', async ({onTestFailed}) => {
		onTestFailed(() => {
			tally.failed++;
		});
		// With clamscan, a 2 GiB body is accepted: the agent once let such a client keep its slot for the whole 34 min it may take.
		const agent = await startAgentProcess(['--clamd', clamd.socketPath, '--clamscan', '/usr/bin/clamscan', '--clamscan-database', clamd.databaseDir]);
		agents.push(agent);
		const size = 2_147_483_647;
		const holders = await Promise.all([0, 1, 2, 3].map(async index =>
			holdConnection(agent.port, Buffer.concat([Buffer.from(`hold-${index}.bin<SEPARATOR>${size}\n`), Buffer.alloc(300 * 1024, 'h')]), slowAddresses[index])));
		tally.slowSenders += holders.length;
		let ticks = 0;
		const drip = setInterval(() => {
			// A byte a second, for two minutes at most: well within the idle timeout, far behind 1 MiB/s.
			if (++ticks > 120) {
				clearInterval(drip);
			}

			for (const holder of holders) {
				holder.send('h');
			}
		}, 1000);
		try {
			const file: LoadFile = {name: 'honest-behind-holders.bin', bytes: Buffer.alloc(300_000, 7)};
			await writeSources([file]);
			const done = await upload(agent, file);
			await checkUpload(agent, done, [ExitCode.ok], await remoteOf('honest-behind-'));
			const replies = await Promise.all(holders.map(async holder => withTimeout(holder.closed, 60_000, 'slot holder')));
			expect(replies).toEqual(holders.map(() => expect.stringMatching(/^ERROR too slow: received \d+ of 2147483647 bytes in /)));
			tally.slowVerdicts += replies.length;
			delays.push(`With every scan slot held by a client that announced 2 GiB and trickled, the honest upload took ${done.ms} ms (the agent cuts such a client off about 30 s in).`);
		} finally {
			clearInterval(drip);
			for (const holder of holders) {
				holder.close();
			}
		}
	}, 180_000);
});

/** A raw client that sends its request a byte at a time; `sent` bytes of `whole` are out. */
type SlowSender = {name: string; client: HeldClient; whole: Buffer; sent: number; expected: string};

/** Several loopback addresses, so that no one of them reaches the agent's cap per address (32). */
const slowAddresses = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'];

/**
 * Opens the slow senders: header tricklers, body tricklers (some of them EICAR), big files that have not yet sent the
 * bytes that take a scan slot, and three that have (one slot fewer than the agent's four stays free).
 */
async function attachSlowSenders(port: number): Promise<SlowSender[]> {
	const mib = 1024 * 1024;
	const kinds: Array<{count: number; body: () => Buffer; initialBody: number; headerFirst: boolean; infected?: boolean}> = [
		{count: 15, body: () => Buffer.alloc(100, 'x'), initialBody: 0, headerFirst: false},
		{count: 15, body: () => Buffer.alloc(500, 'y'), initialBody: 1, headerFirst: true},
		{count: 10, body: () => Buffer.from(eicar, 'latin1'), initialBody: 0, headerFirst: true, infected: true},
		{count: 7, body: () => Buffer.alloc(mib, 'z'), initialBody: 64 * 1024, headerFirst: true},
		{count: 3, body: () => Buffer.alloc(mib, 'w'), initialBody: 300 * 1024, headerFirst: true},
	];
	const plans = kinds.flatMap((kind, kindIndex) => Array.from({length: kind.count}, (_, index) => {
		const name = `slow-${kindIndex}-${index}.bin`;
		const whole = request(name, kind.body());
		const headerLength = whole.indexOf(0x0A) + 1;
		const sent = kind.headerFirst ? headerLength + kind.initialBody : 0;
		return {name, whole, sent, expected: kind.infected ? `INFECTED ${signatureNames.eicar}\n` : 'CLEAN\n'};
	}));
	expect(plans).toHaveLength(slowSenderCount);
	return Promise.all(plans.map(async (plan, index) => ({
		...plan,
		client: await holdConnection(port, plan.sent > 0 ? plan.whole.subarray(0, plan.sent) : undefined, slowAddresses[index % slowAddresses.length]),
	})));
}

/**
 * Connections that say nothing, or open a session and then say nothing, from the honest client's own address (under
 * the agent's cap of 32 per address, which the honest client must share with them).
 */
async function attachIdleConnections(port: number): Promise<HeldClient[]> {
	return Promise.all(Array.from({length: idleConnectionCount}, async (_, index) =>
		holdConnection(port, index % 2 === 0 ? undefined : 'SESSION\n', '127.0.0.1')));
}

/** Sends each slow sender one more byte every 250 ms (never its last one) until stopped, and for 20 s at most. */
function trickle(senders: SlowSender[]): {stop(): void; done: Promise<void>} {
	let stopped = false;
	const done = (async () => {
		for (let tick = 0; tick < 80 && !stopped; tick++) {
			for (const sender of senders) {
				if (sender.sent < sender.whole.length - 1) {
					sender.client.send(sender.whole.subarray(sender.sent, sender.sent + 1));
					sender.sent++;
				}
			}

			// eslint-disable-next-line no-await-in-loop -- the trickle's pace
			await new Promise(resolve => setTimeout(resolve, 250));
		}
	})();
	return {
		stop() {
			stopped = true;
		},
		done,
	};
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([promise, new Promise<never>((_, reject) => {
			timer = setTimeout(() => {
				reject(new Error(`${what}: no answer within ${ms} ms`));
			}, ms);
		})]);
	} finally {
		clearTimeout(timer);
	}
}
