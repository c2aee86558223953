import {randomBytes} from 'node:crypto';
import {appendFile, mkdir, readdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startAgent, type RunningAgent} from '../../source/agent/agent-server.js';
import {type Certificate, createSelfSignedCertificate} from '../helpers/certs.js';
import {type ClamdServer, startClamd} from '../helpers/clamd.js';
import {type CliRun, runCli} from '../helpers/run-cli.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';
import {type ConnectionFault, type FaultPlan, type FaultProxy, type RelayedConnection, startFaultProxy} from './fault-proxy.js';
import {recordFigures, runKind, sized} from './figures.js';

/*
 * Issue 13's network faults: the batch CLI (`ftpane ls/get/put/get -r`) against vsftpd through a fault proxy of our
 * own (fault-proxy.ts), which delays, trickles, resets, closes and stalls the control and data connections. Every run
 * must end in one of two ways: exit 0 with every file byte-identical, or a non-zero exit with exactly one clear line
 * on stderr; and nothing lost either way: the file that was at the destination before (a sentinel) is still there
 * whole or replaced whole, and no temporary file is left on either side.
 *
 * The earlier fault matrix (test/engine/fault-matrix.test.ts) has a scripted server play broken servers; this one
 * breaks the network between ftpane and a real server.
 */

/** A way through the CLI. */
type Operation = 'ls' | 'get' | 'get -' | 'put' | 'get -r';
const operations: readonly Operation[] = ['ls', 'get', 'get -', 'put', 'get -r'];

/** Passive or active data connections, on a plain or a TLS control connection (PROT C: the proxy sees the data). */
type Mode = {active: boolean; tls: boolean};
const modes: readonly Mode[] = [{active: false, tls: false}, {active: true, tls: false}, {active: false, tls: true}, {active: true, tls: true}];
const modeName = (mode: Mode) => `${mode.active ? 'active' : 'passive'} ${mode.tls ? 'TLS, PROT C' : 'plain'}`;

/** One fault of the matrix: what the proxy does to which connections, and whether the short timeout must end it. */
type MatrixFault = {name: string; plan: FaultPlan; trips?: number; stalls?: boolean};


const onData = (fault: ConnectionFault): FaultPlan => ({kind}) => kind === 'data' ? fault : undefined;
const onControl = (fault: ConnectionFault): FaultPlan => ({kind}) => kind === 'control' ? fault : undefined;

const matrixFaults: readonly MatrixFault[] = [
	{name: 'latency of 10 ms each way', plan: () => ({type: 'latency', ms: 10})},
	{name: 'one byte at a time', plan: ({kind}: RelayedConnection) => kind === 'control' ? {type: 'byte-at-a-time'} : {type: 'byte-at-a-time', first: 4096}},
	{name: 'reset in the middle of the 150 reply', plan: onControl({type: 'reset', afterBytes: 9, counted: 'to-client', from: '150'}), trips: 1},
	{name: 'reset in the middle of the 226 reply', plan: onControl({type: 'reset', afterBytes: 9, counted: 'to-client', from: '226'}), trips: 1},
	// Past the listing's length: a listing has no size, so one cut short by an end (or by a reset that overtook its last
	// bytes, which Linux reports as an end) cannot be told from a whole one. FTP's stream mode, not ftpane; see the report.
	{name: 'reset in the middle of a data stream', plan: onData({type: 'reset', afterBytes: 20_000}), trips: 1},
	{name: 'data connection closed early', plan: onData({type: 'close', afterBytes: 20_000}), trips: 1},
	{name: 'data connection stalls', plan: onData({type: 'stall', afterBytes: 3000}), trips: 1, stalls: true},
	{name: 'control connection stalls before 150', plan: onControl({type: 'stall', afterBytes: 0, counted: 'to-client', from: '150'}), trips: 1, stalls: true},
];

const kind = runKind();
/** The download: printable, so that `get -` on stdout compares as text. */
const dataSize = sized(4 * 1024 * 1024, 192 * 1024);
const dataText = randomBytes(dataSize * 3 / 4).toString('base64');
const uploadText = randomBytes(96 * 1024).toString('base64');
/** Each longer than the 20,000 bytes after which the data faults strike. */
const treeFiles: Record<string, string> = {
	'a.txt': randomBytes(24_000).toString('base64'),
	'b.txt': randomBytes(30_000).toString('base64'),
	'sub/c.txt': randomBytes(27_000).toString('base64'),
};
/** A listing of about 7 KB: longer than the byte count after which a data connection stalls, shorter than the one for resets. */
const listedNames = Array.from({length: 120}, (_, index) => `entry-${String(index).padStart(3, '0')}.txt`);
const sentinel = 'the good old copy\n';

/** Counts for the report. */
const figures = {runs: 0, recovered: 0, clearErrors: 0, filesVerified: 0, bytesVerified: 0, faultsInjected: 0};
const outcomes: string[] = [];

let plain: VsftpdServer;
let secure: VsftpdServer;
let clamd: ClamdServer;
let agent: RunningAgent;
let proxyCertificate: Certificate;
let local: TempDir;
let runNumber = 0;

beforeAll(async () => {
	[plain, secure, clamd, local, proxyCertificate] = await Promise.all([
		startVsftpd(),
		// PROT C allowed, and no TLS session reuse required: the proxy's data connections to it carry no TLS.
		startVsftpd({tls: {requireReuse: false}, config: {force_local_data_ssl: 'NO'}}),
		startClamd(),
		createTempDir('ftpane-network-faults-'),
		createSelfSignedCertificate(),
	]);
	agent = await startAgent({host: '127.0.0.1', port: 0, clamd: clamd.socketPath, clamscan: false, log: () => undefined});
	for (const server of [plain, secure]) {
		await mkdir(path.join(server.root, 'listed'));
		await Promise.all(listedNames.map(async name => writeFile(path.join(server.root, 'listed', name), 'x')));
		await writeFile(path.join(server.root, 'data.txt'), dataText);
		for (const [name, text] of Object.entries(treeFiles)) {
			await mkdir(path.join(server.root, 'tree', path.dirname(name)), {recursive: true});
			await writeFile(path.join(server.root, 'tree', name), text);
		}

		await mkdir(path.join(server.root, 'runs'));
		await server.giveToUser();
	}

	await writeFile(path.join(local.path, 'up.txt'), uploadText);
}, 120_000);

afterAll(async () => {
	await agent?.close();
	await Promise.all([plain?.stop(), secure?.stop(), clamd?.stop(), local?.remove()]);
});

/** One run of the CLI through a proxy, and everything needed to judge it. */
type Run = {operation: Operation; mode: Mode; cli: CliRun; proxy: FaultProxy; destination: string; server: VsftpdServer; password: string; /** Measured for the log, never asserted. */ seconds: number};

/** Runs `operation` once through a fresh proxy that plays `plan`; the destination starts with sentinels in it. */
async function runThrough(operation: Operation, mode: Mode, plan: FaultPlan | undefined, options: {trips?: number; timeoutSeconds: number; retries: number}): Promise<Run> {
	const server = mode.tls ? secure : plain;
	const proxy = await startFaultProxy({upstreamPort: server.port, faults: plan, trips: options.trips, tls: {cert: proxyCertificate.pem, key: proxyCertificate.keyPem}});
	const id = `run-${runNumber++}`;
	const base = `ftp://${server.user}:${encodeURIComponent(server.password)}@127.0.0.1:${proxy.port}`;
	const flags = [
		'--timeout', String(options.timeoutSeconds), '--retries', String(options.retries),
		...(mode.active ? ['--active'] : []),
		...(mode.tls ? ['--tls', '--clear-data', '--trust', proxyCertificate.fingerprint256] : []),
	];
	let destination = path.join(local.path, id);
	await mkdir(destination);
	let args: string[];
	switch (operation) {
		case 'ls': {
			args = ['ls', ...flags, `${base}/listed/`];
			break;
		}

		case 'get': {
			await writeFile(path.join(destination, 'data.txt'), sentinel);
			args = ['get', ...flags, `${base}/data.txt`, path.join(destination, 'data.txt')];
			break;
		}

		case 'get -': {
			args = ['get', ...flags, `${base}/data.txt`, '-'];
			break;
		}

		case 'get -r': {
			for (const name of Object.keys(treeFiles)) {
				await mkdir(path.join(destination, 'tree', path.dirname(name)), {recursive: true});
				await writeFile(path.join(destination, 'tree', name), sentinel);
			}

			// DEST exists, so the tree lands in DEST/tree, over the sentinels.
			args = ['get', '-r', ...flags, `${base}/tree`, destination];
			break;
		}

		case 'put': {
			destination = path.join(server.root, 'runs', id);
			await mkdir(destination);
			await writeFile(path.join(destination, 'up.txt'), sentinel);
			await server.giveToUser(destination);
			args = ['put', ...flags, '--agent', `127.0.0.1:${agent.port}`, path.join(local.path, 'up.txt'), `${base}/runs/${id}/up.txt`];
			break;
		}
	}

	const config = path.join(local.path, `${id}-config`);
	await mkdir(config);
	try {
		const started = Date.now();
		const cli = await runCli(args, {env: {XDG_CONFIG_HOME: config}, timeoutMs: 60_000});
		return {operation, mode, cli, proxy, destination, server, password: server.password, seconds: (Date.now() - started) / 1000};
	} finally {
		await proxy.close();
	}
}

/** Every file under `root` by relative path, with its text. */
async function readTree(root: string): Promise<Record<string, string>> {
	const files: Record<string, string> = {};
	for (const entry of await readdir(root, {recursive: true, withFileTypes: true})) {
		if (entry.isFile()) {
			const file = path.join(entry.parentPath, entry.name);
			files[path.relative(root, file)] = await readFile(file, 'utf8');
		}
	}

	return files;
}

/** What a whole, correct run leaves at the destination, by relative path. */
function wanted(operation: Operation): Record<string, string> {
	switch (operation) {
		case 'get': {
			return {'data.txt': dataText};
		}

		case 'put': {
			return {'up.txt': uploadText};
		}

		case 'get -r': {
			return Object.fromEntries(Object.entries(treeFiles).map(([name, text]) => [path.join('tree', name), text]));
		}

		default: {
			return {};
		}
	}
}

/**
 * Checks one run's promises and counts it: exit 0 with everything byte-identical, or one clear line and a non-zero exit;
 * either way each destination file is its sentinel or the whole new copy, and nothing else is there (no temporary file).
 * Returns how it ended.
 */
async function judge(run: Run): Promise<'recovered' | 'clear error'> {
	const {cli, operation} = run;
	const what = `${operation} ${modeName(run.mode)}: exit ${cli.code}, stderr ${JSON.stringify(cli.stderr)}, injected ${JSON.stringify(run.proxy.injected)}`;
	figures.runs++;
	figures.faultsInjected += run.proxy.injected.length;
	expect(run.proxy.failures, what).toEqual([]);
	expect(cli.stderr, what).not.toContain(run.password);
	expect(cli.stdout, what).not.toContain(run.password);
	const succeeded = cli.code === 0;
	if (succeeded) {
		expect(cli.stderr, what).toBe('');
	} else {
		const lines = cli.stderr.split('\n').filter(line => line !== '');
		expect(lines, what).toHaveLength(1);
		expect(lines[0], what).toMatch(/^ftpane: \S/);
		expect(cli.stderr, what).not.toMatch(/\n\s+at |Error:|Unhandled|undefined|\[object/);
		expect(cli.code, what).toBeGreaterThanOrEqual(1);
	}

	if (operation === 'ls') {
		if (succeeded) {
			const lines = cli.stdout.split('\n').filter(line => line !== '');
			expect(lines.map(line => line.split(' ').at(-1)).sort(), what).toEqual(listedNames);
			figures.bytesVerified += cli.stdout.length;
		}
	} else if (operation === 'get -') {
		if (succeeded) {
			// Not a byte more or less: a download continued after a drop must not repeat what stdout already had.
			expect(cli.stdout.length, what).toBe(dataText.length);
			expect(cli.stdout === dataText, what).toBe(true);
			figures.filesVerified++;
			figures.bytesVerified += dataText.length;
		}
	} else {
		const found = await readTree(run.destination);
		const expected = wanted(operation);
		expect(Object.keys(found).sort(), what).toEqual(Object.keys(expected).sort());
		for (const [name, text] of Object.entries(expected)) {
			const have = found[name]!;
			if (succeeded) {
				expect(have === text, `${what}: ${name} differs (${have.length} of ${text.length} bytes)`).toBe(true);
				figures.filesVerified++;
				figures.bytesVerified += text.length;
			} else {
				// Whole or untouched, never a part.
				expect(have === text || have === sentinel, `${what}: ${name} is neither the old nor the new copy (${have.length} bytes)`).toBe(true);
			}
		}
	}

	const outcome = succeeded ? 'recovered' : 'clear error';
	figures[succeeded ? 'recovered' : 'clearErrors']++;
	outcomes.push(`${what} -> ${outcome}`);
	// Every run's outcome, one line each, for a reader who wants more than the counts.
	if (process.env['FTPANE_FAULT_LOG']) {
		await appendFile(process.env['FTPANE_FAULT_LOG'], `${what} -> ${outcome} in ${run.seconds} s\n`);
	}

	return outcome;
}

/** Runs `jobs` at most three at a time: most of a run is waiting (retry pauses, timeouts), and the machine has two cores. */
async function fewAtATime<T>(jobs: ReadonlyArray<() => Promise<T>>): Promise<T[]> {
	const results: T[] = [];
	let next = 0;
	const worker = async () => {
		while (next < jobs.length) {
			const index = next++;
			// eslint-disable-next-line no-await-in-loop -- one job after the other on this worker
			results[index] = await jobs[index]!();
		}
	};

	await Promise.all([worker(), worker(), worker()]);
	return results;
}

let failed = false;
let controlSweep = 'not run';
let dataSweep = 'not run';

describe('network faults through the proxy, on every path', () => {
	afterAll(() => {
		recordFigures({
			suite: 'network-faults',
			title: 'Network faults',
			what: 'ftpane ls, get (to a file and to stdout), put and get -r, passive and active, plain and TLS (PROT C), through a proxy that delays, trickles, resets, closes and stalls the control and data connections, and drops them after every N bytes',
			counts: {
				'faults injected': figures.faultsInjected,
				runs: figures.runs,
				recovered: figures.recovered,
				'clear errors': figures.clearErrors,
				'files verified': figures.filesVerified,
				'bytes verified': figures.bytesVerified,
			},
			result: failed ? 'fail' : 'pass',
			command: kind === 'full' ? 'FTPANE_RELIABILITY=full npx vitest run test/reliability/network-faults.test.ts' : 'npx vitest run test/reliability/network-faults.test.ts',
			details: `${kind} run. Matrix: ${matrixFaults.length} faults x ${operations.length} operations x ${kind === 'full' ? 4 : 1} of ${modes.length} modes. Control sweep: ${controlSweep}. Data sweep: ${dataSweep}. Outcomes: ${outcomes.length} runs.`,
		});
	});

	// Every fault on every operation; reduced, each cell in one of the four modes in turn, full in all four.
	describe.each(matrixFaults.map((fault, index) => [fault.name, fault, index] as const))('%s', (_name, fault, faultIndex) => {
		it('ends every run in success after retries, with every file whole', async () => {
			const cells = operations.flatMap((operation, operationIndex) => sized(modes, [modes[(faultIndex + operationIndex) % modes.length]!]).map(mode => ({operation, mode})));
			try {
				await fewAtATime(cells.map(({operation, mode}) => async () => {
					const run = await runThrough(operation, mode, fault.plan, {trips: fault.trips, timeoutSeconds: fault.stalls ? 1 : 10, retries: 2});
					const outcome = await judge(run);
					// One fault, two retries: recovered, except a listing already printed in part, which is not sent again.
					if (outcome === 'clear error') {
						expect(operation === 'ls' && run.cli.stderr.includes('not listed again'), `${operation} ${modeName(mode)}: ${run.cli.stderr}`).toBe(true);
					}
				}));
			} catch (error) {
				failed = true;
				throw error;
			}
		}, sized(600_000, 60_000));
	});

	/** Runs `cases` and checks each; marks the suite failed when one fails. */
	async function sweep(cases: ReadonlyArray<() => Promise<Run>>, check?: (run: Run, outcome: 'recovered' | 'clear error') => void): Promise<void> {
		try {
			await fewAtATime(cases.map(runCase => async () => {
				const run = await runCase();
				const outcome = await judge(run);
				check?.(run, outcome);
			}));
		} catch (error) {
			failed = true;
			throw error;
		}
	}

	it('drops a control connection after every N bytes of its replies: recovered after login, one clear line before', async () => {
		// Every N in the full run for exact closes on a plain passive session; every third N for resets (whose last bytes
		// may be lost anyway) and for an active TLS session. Bounded: about 1,500 runs full, 30 reduced.
		const sweeps = sized([
			{mode: {active: false, tls: false}, type: 'close' as const, step: 1},
			{mode: {active: false, tls: false}, type: 'reset' as const, step: 3},
			{mode: {active: true, tls: true}, type: 'close' as const, step: 3},
		], [{mode: {active: false, tls: false}, type: 'close' as const, step: 29}]);
		const cases: Array<() => Promise<Run>> = [];
		const described: string[] = [];
		for (const {mode, type, step} of sweeps) {
			// Two connections: `ls`'s only one (greeting, login, FEAT, PWD, EPSV, 150, 226), and the first transfer
			// worker's of `get` (its own login, TYPE, SIZE, EPSV, RETR's 150 and 226). Their lengths come from a run without faults.
			// eslint-disable-next-line no-await-in-loop -- one probe after the other
			const probes = {ls: await runThrough('ls', mode, undefined, {timeoutSeconds: 10, retries: 0}), get: await runThrough('get', mode, undefined, {timeoutSeconds: 10, retries: 0})};
			// eslint-disable-next-line no-await-in-loop
			await judge(probes.ls);
			// eslint-disable-next-line no-await-in-loop
			await judge(probes.get);
			for (const {operation, index} of [{operation: 'ls' as const, index: 0}, {operation: 'get' as const, index: 1}]) {
				const total = probes[operation].proxy.controlBytesToClient[index]!;
				described.push(`${type} after every ${step === 1 ? '' : `${ordinal(step)} `}N of the ${total} reply bytes of ${operation}'s control connection ${index}, ${modeName(mode)}`);
				for (let afterBytes = 0; afterBytes <= total; afterBytes += step) {
					cases.push(async () => runThrough(operation, mode, connection => connection.kind === 'control' && connection.index === index ? {type, afterBytes, counted: 'to-client'} : undefined, {trips: 1, timeoutSeconds: 10, retries: 2}));
				}
			}
		}

		controlSweep = described.join('; ');
		await sweep(cases, (run, outcome) => {
			// Only the first login is not tried again (no session yet): a connection error, exit 3. A worker's is.
			if (outcome === 'clear error') {
				expect(run.cli.code, run.cli.stderr).toBe(3);
				expect(run.proxy.injected.some(what => what.startsWith('control 0:')), run.cli.stderr).toBe(true);
			}
		});
	}, sized(3_600_000, 60_000));

	it('drops a data connection after N bytes, at offsets across the file, each way', async () => {
		const plainPassive = {active: false, tls: false};
		const offsets = (size: number) => sized(
			[...new Set([0, 1, 1448, Math.floor(size / 2), size - 1, ...Array.from({length: Math.floor(size / 65_536)}, (_, index) => index * 65_536)])].sort((a, b) => a - b),
			[0, 1448, Math.floor(size / 2), size - 1],
		);
		// Each put scans its file first: fewer of them in the reduced run.
		const putOffsets = sized(offsets(uploadText.length), offsets(uploadText.length).slice(1, 3));
		const types = ['close', 'reset'] as const;
		const cases = types.flatMap(type => [
			...offsets(dataText.length).map(afterBytes => async () => runThrough('get', plainPassive, onData({type, afterBytes}), {trips: 1, timeoutSeconds: 10, retries: 2})),
			...putOffsets.map(afterBytes => async () => runThrough('put', plainPassive, onData({type, afterBytes}), {trips: 1, timeoutSeconds: 10, retries: 2})),
		]);
		dataSweep = `${types.join(', ')} at ${offsets(dataText.length).length} offsets of a ${dataText.length}-byte get and ${putOffsets.length} of a ${uploadText.length}-byte put`;
		await sweep(cases, (run, outcome) => {
			expect(outcome, run.cli.stderr).toBe('recovered');
		});
	}, sized(1_800_000, 60_000));
});

describe('regressions this suite found', () => {
	const plainPassive = {active: false, tls: false};
	const after226 = onControl({type: 'reset', afterBytes: 3, counted: 'to-client', from: '226'});

	it('get - writes the file once when the 226 after the last byte is lost (was: the whole file again after it)', async () => {
		const run = await runThrough('get -', plainPassive, after226, {trips: 1, timeoutSeconds: 10, retries: 2});
		expect(run.proxy.injected).toEqual([expect.stringMatching(/^control \d: reset after 3 bytes$/)]);
		expect(run.cli.code, run.cli.stderr).toBe(0);
		expect(run.cli.stdout.length).toBe(dataText.length);
		expect(run.cli.stdout === dataText).toBe(true);
	});

	it('get --ascii - fails with one line rather than write the file twice when the drop cannot be continued', async () => {
		const server = plain;
		const proxy = await startFaultProxy({upstreamPort: server.port, faults: after226, trips: 1});
		try {
			const run = await runCli(['get', '--ascii', '--retries', '2', `ftp://${server.user}:${encodeURIComponent(server.password)}@127.0.0.1:${proxy.port}/data.txt`, '-']);
			// Which connection carries the RETR depends on which of the two logins (browsing, worker) the proxy saw first.
			expect(proxy.injected).toEqual([expect.stringMatching(/^control \d: reset after 3 bytes$/)]);
			if (run.code === 0) {
				// The drop came before any byte had left for standard output: starting again is right, and gives it once.
				expect(run.stdout === dataText).toBe(true);
			} else {
				expect(run.code).toBe(3);
				expect(run.stderr).toMatch(/^ftpane: .*after \d+ bytes had gone to standard output: not started again, as they cannot be taken back\n$/);
				// No byte twice: what was written is the file, or its start.
				expect(dataText.startsWith(run.stdout)).toBe(true);
			}
		} finally {
			await proxy.close();
		}
	});

	it('get continues a download whose data connection was cut though the server said 226 (was: short download, not retried)', async () => {
		const run = await runThrough('get', plainPassive, onData({type: 'close', afterBytes: 20_000}), {trips: 1, timeoutSeconds: 10, retries: 1});
		expect(run.proxy.injected).toEqual(['data 0: close after 20000 bytes']);
		expect(run.cli.code, run.cli.stderr).toBe(0);
		expect(await readFile(path.join(run.destination, 'data.txt'), 'utf8') === dataText).toBe(true);
		expect(await readdir(run.destination)).toEqual(['data.txt']);
	});

	it('get still fails with one line, after its retries, when the data keeps being cut short', async () => {
		const run = await runThrough('get', plainPassive, onData({type: 'close', afterBytes: 20_000}), {timeoutSeconds: 10, retries: 1});
		expect(run.cli.code).toBe(3);
		// vsftpd says 226 or, when it sees the cut itself, 426: either way one line that says the data fell short.
		expect(run.cli.stderr).toMatch(/^ftpane: (short download: got \d+ of \d+ bytes|RETR: server replied 426 .*)\n$/);
		expect(await readFile(path.join(run.destination, 'data.txt'), 'utf8')).toBe(sentinel);
		expect(await readdir(run.destination)).toEqual(['data.txt']);
	});
});

/** 2nd, 3rd, 29th: how the report names a sweep's step. */
function ordinal(step: number): string {
	const tens = step % 100;
	const suffix = tens >= 11 && tens <= 13 ? 'th' : ({1: 'st', 2: 'nd', 3: 'rd'} as Record<number, string>)[step % 10] ?? 'th';
	return `${step}${suffix}`;
}
