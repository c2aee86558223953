#!/usr/bin/env node
// Node's own floor for a batch command: the least a plain Node program must do, with no ftpane code, for `ftpane ls`,
// `ftpane get URL -`, `get -r` (tree) and a scanned `put`'s upload (put). ls and get: one FTP session (login, TYPE I, EPSV, CWD and LIST, or RETR) whose data go to stdout as they arrive; for
// ftpes:// explicit TLS (AUTH TLS, PROT P) with the control connection's TLS session resumed on the data connection, as
// vsftpd's require_ssl_reuse demands. Nothing is parsed or checked beyond the reply codes: whatever a real client does
// on top of this is the client's own cost, what this costs is the runtime's (process start, sockets, TLS).
//   node bench/lib/node-floor.mjs ls  ftp://USER:PASS@127.0.0.1:PORT/dir/
//   node bench/lib/node-floor.mjs get ftp[es]://USER:PASS@127.0.0.1:PORT/file > /dev/null
//   node bench/lib/node-floor.mjs tree ftp://USER:PASS@127.0.0.1:PORT/dir DEST [PARALLEL]
//   node bench/lib/node-floor.mjs put ftp://USER:PASS@127.0.0.1:PORT/file SOURCE
// tree: `get -r` with ftpane's guarantee and nothing else: the directory listed (LIST, one level of subdirectories as
// the bench's tree has), then PARALLEL sessions (default 3) each taking the next file: EPSV, RETR, its bytes written to
// a temporary name beside it, fsynced, renamed; every directory fsynced once at the end.
// put: the upload half of a scanned `put` with ftpane's guarantees and nothing else: SOURCE read a block (1 MiB) at a
// time, each block's SHA-256 taken before it is sent (the proof that the bytes sent are the bytes scanned, against a
// fingerprint this floor does not check), STOR to a temporary name, then RNFR and RNTO over the target.
// Exits 0 once the server confirmed the transfer (226) and QUIT was answered; 1 with one line on stderr otherwise.
import {fstatSync, writeSync} from 'node:fs';
import net from 'node:net';

// A plain data connection reads straight into one reused buffer (net's `onread`): no allocation per read, no stream.
// 1 MiB: larger reads mean fewer wake-ups of the event loop; it measured no slower than 4 MiB, and 256 KiB made this
// script's 1 GiB download from vsftpd to /dev/null much slower (0.61 s against 0.38 s, 11 alternating runs, twice the
// system time). ftpane's own reader, which comes back later, is quicker with 256 KiB (pooled-download-sink.ts). Those
// figures were taken with the loop sleeping between reads; kept awake (below), 64 KiB, 256 KiB and 1 MiB measured alike.
const readBufferSize = 1024 * 1024;

const [mode, address, treeDest, treeParallel = '3'] = process.argv.slice(2);
if (!['ls', 'get', 'tree', 'put'].includes(mode) || !address || (['tree', 'put'].includes(mode) && !treeDest)) {
	process.stderr.write('usage: node node-floor.mjs ls|get ftp[es]://USER:PASS@HOST:PORT/PATH | tree ftp://USER:PASS@HOST:PORT/DIR DEST [PARALLEL] | put ftp://USER:PASS@HOST:PORT/FILE SOURCE\n');
	process.exit(2);
}

const url = new URL(address);
const secure = url.protocol === 'ftpes:';
const remotePath = decodeURIComponent(url.pathname.slice(1));
// /dev/null or a file: one write(2) per read, synchronously. A pipe (the bench's check of the output): a stream write,
// since a synchronous write to a full non-blocking pipe would fail with EAGAIN.
const stdoutIsPlain = (() => {
	const stats = fstatSync(1);
	return stats.isCharacterDevice() || stats.isFile();
})();

/** A control connection: sends a command and resolves with the next complete reply {code, text}. */
function control(socket) {
	let buffered = '';
	const waiting = [];
	const replies = [];
	const onData = chunk => {
		buffered += chunk.toString('latin1');
		let end;
		while ((end = buffered.indexOf('\r\n')) !== -1) {
			const line = buffered.slice(0, end);
			buffered = buffered.slice(end + 2);
			// The last line of a reply: three digits and a space (multi-line replies end so too).
			if (/^\d{3} /.test(line)) {
				const reply = {code: Number(line.slice(0, 3)), text: line};
				const next = waiting.shift();
				if (next) {
					next(reply);
				} else {
					replies.push(reply);
				}
			}
		}
	};

	let current = socket;
	current.on('data', onData);
	const next = () => (replies.length > 0 ? Promise.resolve(replies.shift()) : new Promise(resolve => {
		waiting.push(resolve);
	}));
	return {
		next,
		async send(command, expected) {
			current.write(`${command}\r\n`);
			return expect(await next(), expected, command.split(' ')[0]);
		},
		/** After AUTH TLS: the same replies, now read from the TLS socket. */
		switchTo(socket) {
			current.off('data', onData);
			current = socket;
			current.on('data', onData);
		},
	};
}

function expect(reply, expected, what) {
	if (!expected.includes(Math.floor(reply.code / 100)) && !expected.includes(reply.code)) {
		throw new Error(`${what}: ${reply.text}`);
	}

	return reply;
}

function connected(socket, event = 'connect') {
	return new Promise((resolve, reject) => {
		socket.once(event, resolve);
		socket.once('error', reject);
	});
}

// The event loop kept awake while reads come close together, as ftpane does (source/engine/remote/stay-awake.ts,
// where the measurement is): a loop that sleeps between reads pays a wake-up at each one, and on a virtual machine that
// costs more than the read. Written out here, since the floor uses no ftpane code; the same rule and window.
const awakeWindowMs = 0.1;
let lastRead = Number.NEGATIVE_INFINITY;
let awake = false;
function readArrived() {
	const now = performance.now();
	const close = now - lastRead < awakeWindowMs;
	lastRead = now;
	if (close && !awake) {
		awake = true;
		setImmediate(checkAwake);
	}
}

function checkAwake() {
	if (performance.now() - lastRead < awakeWindowMs) {
		setImmediate(checkAwake);
	} else {
		awake = false;
	}
}

/** Where each received chunk goes: stdout, synchronously when it is /dev/null or a file. */
function writeOut(buffer, length) {
	if (stdoutIsPlain) {
		for (let offset = 0; offset < length;) {
			offset += writeSync(1, buffer, offset, length - offset);
		}

		return true;
	}

	// A copy: the read buffer is reused for the next read.
	return process.stdout.write(Buffer.from(buffer.subarray(0, length)));
}

/** Reads a data connection to its end into stdout: plain through `onread`, TLS through its 16 KiB 'data' chunks. */
function drain(socket, tlsSocket) {
	return new Promise((resolve, reject) => {
		const source = tlsSocket ?? socket;
		source.once('error', reject);
		source.once('end', resolve);
		if (tlsSocket) {
			tlsSocket.on('data', chunk => {
				readArrived();
				if (!writeOut(chunk, chunk.length)) {
					tlsSocket.pause();
					process.stdout.once('drain', () => tlsSocket.resume());
				}
			});
		}
	});
}

async function main() {
	let tls;
	const raw = net.connect({host: url.hostname, port: Number(url.port || 21)});
	await connected(raw);
	raw.setNoDelay(true);
	const ftp = control(raw);
	expect(await ftp.next(), [2], 'greeting');
	let tlsControl;
	if (secure) {
		tls = await import('node:tls');
		await ftp.send('AUTH TLS', [2]);
		tlsControl = tls.connect({socket: raw, rejectUnauthorized: false});
		ftp.switchTo(tlsControl);
		await connected(tlsControl, 'secureConnect');
	}

	const controlSocket = tlsControl ?? raw;
	let session;
	// TLS 1.3 hands out its session tickets after the handshake: the data connection resumes the newest.
	controlSocket.on('session', ticket => {
		session = ticket;
	});
	await ftp.send(`USER ${decodeURIComponent(url.username)}`, [3, 2]);
	await ftp.send(`PASS ${decodeURIComponent(url.password)}`, [2]);
	if (secure) {
		await ftp.send('PBSZ 0', [2]);
		await ftp.send('PROT P', [2]);
	}

	// As curl and ftpane do: into the directory, then a bare LIST.
	if (mode === 'ls' && remotePath) {
		await ftp.send(`CWD ${remotePath}`, [2]);
	}

	await ftp.send('TYPE I', [2]);
	const epsv = await ftp.send('EPSV', [2]);
	const port = Number(/\(\|\|\|(\d+)\|\)/.exec(epsv.text)?.[1]);
	const onread = secure ? undefined : {
		buffer: Buffer.allocUnsafe(readBufferSize),
		callback(length, buffer) {
			readArrived();
			if (!writeOut(buffer, length)) {
				dataSocket.pause();
				process.stdout.once('drain', () => dataSocket.resume());
			}
		},
	};
	const dataSocket = net.connect({host: url.hostname, port, onread});
	await connected(dataSocket);
	const command = mode === 'ls' ? 'LIST' : `RETR ${remotePath}`;
	const opened = ftp.send(command, [1]);
	let tlsData;
	if (secure) {
		// The server starts its side of the handshake once it has answered 150.
		tlsData = tls.connect({socket: dataSocket, session: session ?? controlSocket.getSession(), rejectUnauthorized: false});
		await connected(tlsData, 'secureConnect');
	}

	const drained = drain(dataSocket, tlsData);
	await opened;
	await drained;
	tlsData?.end();
	dataSocket.end();
	expect(await ftp.next(), [2], 'transfer');
	await ftp.send('QUIT', [2]);
	controlSocket.end();
	if (!stdoutIsPlain) {
		await new Promise(resolve => {
			process.stdout.end(resolve);
		});
	}
}

/** A logged-in plain session in binary mode. */
async function login() {
	const raw = net.connect({host: url.hostname, port: Number(url.port || 21)});
	await connected(raw);
	raw.setNoDelay(true);
	const ftp = control(raw);
	expect(await ftp.next(), [2], 'greeting');
	await ftp.send(`USER ${decodeURIComponent(url.username)}`, [3, 2]);
	await ftp.send(`PASS ${decodeURIComponent(url.password)}`, [2]);
	await ftp.send('TYPE I', [2]);
	return {ftp, socket: raw};
}

/** One passive transfer (`command`: LIST or RETR), its data gathered. */
async function fetchData(ftp, command) {
	const epsv = await ftp.send('EPSV', [2]);
	const port = Number(/\(\|\|\|(\d+)\|\)/.exec(epsv.text)?.[1]);
	const chunks = [];
	const dataSocket = net.connect({host: url.hostname, port});
	dataSocket.on('data', chunk => chunks.push(chunk));
	const ended = connected(dataSocket, 'end');
	await connected(dataSocket);
	await ftp.send(command, [1]);
	await ended;
	dataSocket.destroy();
	expect(await ftp.next(), [2], 'transfer');
	return Buffer.concat(chunks);
}

async function tree() {
	const {mkdir} = await import('node:fs/promises');
	const path = await import('node:path');
	const {syncDirectories, writeThroughTemporary} = await import('./durable-write.mjs');
	const first = await login();
	const files = [];
	const directories = [''];
	const names = async directory => (await fetchData(first.ftp, `LIST ${remotePath}/${directory}`)).toString('latin1').split('\r\n').filter(Boolean)
		.map(line => ({directory: line.startsWith('d'), name: line.split(/ +/).slice(8).join(' ')}))
		.filter(({name}) => name !== '.' && name !== '..');
	for (const entry of await names('')) {
		if (entry.directory) {
			directories.push(entry.name);
			for (const inner of await names(entry.name)) {
				if (!inner.directory) {
					files.push(`${entry.name}/${inner.name}`);
				}
			}
		} else {
			files.push(entry.name);
		}
	}

	for (const directory of directories) {
		await mkdir(path.join(treeDest, directory), {recursive: true});
	}

	let next = 0;
	const worker = async session => {
		const {ftp, socket} = session ?? await login();
		while (next < files.length) {
			const file = files[next++];
			await writeThroughTemporary(path.join(treeDest, file), await fetchData(ftp, `RETR ${remotePath}/${file}`));
		}

		await ftp.send('QUIT', [2]);
		socket.end();
	};

	await Promise.all(Array.from({length: Number(treeParallel)}, (_, index) => worker(index === 0 ? first : undefined)));
	await syncDirectories(treeDest, directories);
}

async function put() {
	const {createHash} = await import('node:crypto');
	const {open} = await import('node:fs/promises');
	const {ftp, socket} = await login();
	const temporary = `.${remotePath}.floor.part`;
	const epsv = await ftp.send('EPSV', [2]);
	const dataSocket = net.connect({host: url.hostname, port: Number(/\(\|\|\|(\d+)\|\)/.exec(epsv.text)?.[1])});
	await connected(dataSocket);
	await ftp.send(`STOR ${temporary}`, [1]);
	const file = await open(treeDest);
	const blockSize = 1024 * 1024;
	for (;;) {
		const block = Buffer.allocUnsafe(blockSize);
		const {bytesRead} = await file.read(block, 0, blockSize);
		if (bytesRead === 0) {
			break;
		}

		createHash('sha256').update(block.subarray(0, bytesRead)).digest('hex');
		if (!dataSocket.write(block.subarray(0, bytesRead))) {
			await connected(dataSocket, 'drain');
		}
	}

	await file.close();
	const closed = connected(dataSocket, 'close');
	dataSocket.end();
	await closed;
	expect(await ftp.next(), [2], 'transfer');
	await ftp.send(`RNFR ${temporary}`, [3]);
	await ftp.send(`RNTO ${remotePath}`, [2]);
	await ftp.send('QUIT', [2]);
	socket.end();
}

try {
	await ({tree, put}[mode] ?? main)();
	process.exit(0);
} catch (error) {
	process.stderr.write(`node-floor: ${error.message}\n`);
	process.exit(1);
}
