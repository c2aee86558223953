import {open} from 'node:fs/promises';
import type {Socket} from 'node:net';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import type {FileEntry} from '../../source/engine/api/file-entry.js';
import {entryJson, formatEntryLine} from '../../source/commands/format-entry.js';
import {jsonPrinter, listingPrinter, OutputBatcher, textPrinter} from '../../source/commands/ls-output.js';
import {maxListingBytes} from '../../source/engine/protocol/ftp-client.js';
import {runCli} from '../helpers/run-cli.js';
import {serveScript} from '../helpers/scripted-ftp.js';
import {startScriptedServer, type ScriptedServer, type ScriptedSession} from '../helpers/scripted-server.js';
import {startVsftpd, type VsftpdServer} from '../helpers/vsftpd.js';

const entries: FileEntry[] = [
	{name: 'a.txt', type: 'file', size: 3, modified: new Date(Date.UTC(2026, 0, 2, 3, 4)), permissions: 'rw-r--r--'},
	{name: 'b\u001B[31m', type: 'file', size: 4, modified: new Date(Date.UTC(2026, 0, 2, 3, 4)), permissions: 'rw-r--r--'},
	{name: 'dir', type: 'dir', modified: new Date(Date.UTC(2019, 4, 6))},
	{name: 'l', type: 'link', target: '/etc'},
];

function printed(make: (out: OutputBatcher) => ReturnType<typeof textPrinter>, list: FileEntry[]): {text: string; writes: number} {
	const writes: string[] = [];
	const out = new OutputBatcher(text => writes.push(text));
	const printer = make(out);
	for (const entry of list) {
		printer.entry(entry);
	}

	printer.end();
	return {text: writes.join(''), writes: writes.length};
}

describe('ls output, printed as entries come', () => {
	it('prints formatEntryLine lines, escaped, in large writes rather than one per line', () => {
		const many = Array.from({length: 20_000}, (_, index) => entries[index % entries.length]!);
		const {text, writes} = printed(textPrinter, many);
		expect(text).toBe(many.map(entry => `${formatEntryLine(entry)}\n`).join(''));
		expect(text).not.toContain('\u001B');
		expect(writes).toBeGreaterThan(1);
		expect(writes).toBeLessThan(many.length / 100);
	});

	it('streams --json as one array on one line, the same as entryJson of each entry, and [] for none', () => {
		const {text} = printed(jsonPrinter, entries);
		expect(text.endsWith('\n')).toBe(true);
		expect(text.trimEnd()).not.toContain('\n');
		expect(JSON.parse(text)).toEqual(entries.map(entry => entryJson(entry)));
		expect(printed(jsonPrinter, []).text).toBe('[]\n');
	});

	it('parses a LIST body in any chunking into the same lines, the last one without LF too', () => {
		const body = Buffer.from('total 8\r\n-rw-r--r--    1 1000     1000         1234 Jan 05 12:00 名前 one\r\ndrwxr-xr-x 2 o g 4096 Mar  4  2019 sub\r\n-rw-r--r-- 1 o g 5 Mar  4  2019 last');
		const outputs = new Set<string>();
		for (const size of [1, 2, 7, 64, body.length]) {
			const writes: string[] = [];
			const out = new OutputBatcher(text => writes.push(text));
			const listing = listingPrinter(textPrinter(out), out, new Date(Date.UTC(2026, 11, 2)));
			for (let start = 0; start < body.length; start += size) {
				listing.receive(body.subarray(start, start + size), 'list');
			}

			listing.end();
			outputs.add(writes.join(''));
		}

		expect(outputs.size).toBe(1);
		const lines = [...outputs][0]!.split('\n');
		expect(lines).toHaveLength(4);
		// A yearless date within six months after now is next year's, as ls means it.
		expect(lines[0]).toMatch(/^- {9}1234 2027-01-05 12:00 名前 one$/);
		expect(lines[2]).toMatch(/ last$/);
	});
});

describe('ftpane ls of a large directory (vsftpd)', () => {
	const count = 20_000;
	let server: VsftpdServer;
	let url: string;
	const nameOf = (index: number) => `file-${String(index).padStart(5, '0')}.dat`;

	beforeAll(async () => {
		server = await startVsftpd();
		const {mkdir} = await import('node:fs/promises');
		await mkdir(join(server.root, 'big'));
		let next = 0;
		const worker = async () => {
			while (next < count) {
				// eslint-disable-next-line no-await-in-loop -- a few files at a time
				const handle = await open(join(server.root, 'big', nameOf(next++)), 'wx');
				// eslint-disable-next-line no-await-in-loop -- a few files at a time
				await handle.close();
			}
		};

		await Promise.all(Array.from({length: 8}, worker));
		await server.giveToUser();
		url = `ftp://${server.user}:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}/big/`;
	}, 120_000);

	afterAll(async () => {
		await server?.stop();
	});

	it('prints every entry once, in the server\'s order', async () => {
		const run = await runCli(['ls', url], {timeoutMs: 60_000});
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		const lines = run.stdout.split('\n');
		expect(lines.pop()).toBe('');
		expect(lines).toHaveLength(count);
		expect(lines.map(line => line.split(' ').pop())).toEqual(Array.from({length: count}, (_, index) => nameOf(index)));
		expect(lines.every(line => /^- +0 \d{4}-\d\d-\d\d \d\d:\d\d file-\d{5}\.dat$/.test(line))).toBe(true);
	}, 90_000);

	it('prints the same listing as one --json array', async () => {
		const run = await runCli(['ls', '--json', url], {timeoutMs: 60_000});
		expect(run.code).toBe(0);
		expect(run.stdout.trim().split('\n')).toHaveLength(1);
		const listed = JSON.parse(run.stdout) as Array<{name: string; size: number}>;
		expect(listed.map(entry => entry.name)).toEqual(Array.from({length: count}, (_, index) => nameOf(index)));
		expect(listed.every(entry => entry.size === 0)).toBe(true);
	}, 90_000);
});

describe('ftpane ls against a hostile or failing server (scripted: faults vsftpd does not make)', () => {
	let server: ScriptedServer | undefined;

	afterEach(async () => {
		await server?.stop();
		server = undefined;
	});

	/** A server whose LIST data is `send(socket, session, attempt)`; attempt counts the LIST commands. */
	async function serveListing(send: (socket: Socket, session: ScriptedSession, attempt: number) => void): Promise<string> {
		let attempts = 0;
		server = await startScriptedServer(async session => serveScript(session, async command => {
			if (command === 'EPSV') {
				const data = await session.openDataListener();
				void data.connection().then(socket => {
					send(socket, session, attempts);
				});
				return data.epsvReply;
			}

			if (command.startsWith('LIST')) {
				attempts++;
				return '150 Here\r\n';
			}

			return undefined;
		}));
		return `ftp://u:p@127.0.0.1:${server.port}/`;
	}

	it('refuses a listing over the cap with one clear line, even one endless line', async () => {
		const url = await serveListing((socket, session) => {
			socket.on('error', () => undefined);
			socket.end(Buffer.alloc(maxListingBytes + 1024 * 1024, 0x78), () => {
				session.send('226 Done\r\n');
			});
		});
		const run = await runCli(['ls', url], {timeoutMs: 60_000});
		expect(run.code).not.toBe(0);
		expect(run.stdout).toBe('');
		expect(run.stderr.trim().split('\n')).toHaveLength(1);
		expect(run.stderr).toMatch(/listing exceeds 64 MiB; refused/);
	}, 90_000);

	it('does not print a listing twice when the connection drops after part of it was printed', async () => {
		const head = Array.from({length: 3000}, (_, index) => `-rw-r--r-- 1 0 0 4 Jan 01 2024 early-${index}`).join('\r\n') + '\r\n';
		const url = await serveListing((socket, session) => {
			socket.on('error', () => undefined);
			socket.write(head, () => {
				// The server goes away in the middle: data and control connections both drop.
				setTimeout(() => {
					socket.destroy();
					session.destroy();
				}, 50);
			});
		});
		const run = await runCli(['ls', url], {timeoutMs: 60_000});
		expect(run.code).not.toBe(0);
		const names = run.stdout.split('\n').filter(Boolean).map(line => line.split(' ').pop());
		// What arrived is printed once, and the failure said: the listing is not sent again after the drop.
		expect(names).toEqual(Array.from({length: 3000}, (_, index) => `early-${index}`));
		expect(run.stderr).toMatch(/dropped in the middle of the listing/);
		expect(run.stderr).not.toContain(':p@');
	}, 90_000);
});
