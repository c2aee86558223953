import {readdir, readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {runCli} from '../helpers/run-cli.js';
import {serveScript} from '../helpers/scripted-ftp.js';
import {startScriptedServer, type ScriptedServer} from '../helpers/scripted-server.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';

const listing = [
	'-rw-r--r-- 1 0 0 4 Jan 01 2024 ..',
	'-rw-r--r-- 1 0 0 4 Jan 01 2024 ../escaped.txt',
	'-rw-r--r-- 1 0 0 4 Jan 01 2024 sub/inner.txt',
	'-rw-r--r-- 1 0 0 4 Jan 01 2024 back\\slash.txt',
	'-rw-r--r-- 1 0 0 4 Jan 01 2024 bell\u0007\u001B]0;title\u0007.txt',
	'-rw-r--r-- 1 0 0 4 Jan 01 2024 fine.txt',
].join('\r\n') + '\r\n';

describe('a hostile server', () => {
	let server: ScriptedServer;
	let local: TempDir;
	let announce: (verb: string) => void = () => undefined;

	beforeEach(async () => {
		local = await createTempDir();
		server = await startScriptedServer(async session => serveScript(session, async command => {
			if (command === 'EPSV') {
				const data = await session.openDataListener();
				// The data connection may open before its command arrives: send only once the command says what.
				const verb = new Promise<string>(resolve => {
					announce = resolve;
				});
				void Promise.all([data.connection(), verb]).then(([socket, what]) => {
					socket.end(what === 'LIST' ? listing : 'data', () => {
						session.send('226 Done\r\n');
					});
				});
				return data.epsvReply;
			}

			if (command.startsWith('LIST') || command.startsWith('RETR')) {
				announce(command.slice(0, 4));
				return '150 Here\r\n';
			}

			if (command.startsWith('SIZE')) {
				return '213 4\r\n';
			}

			return undefined;
		}));
	});

	afterEach(async () => {
		await server.stop();
		await local.remove();
	});

	it('cannot make get -r write outside the destination, and its names reach the terminal escaped', async () => {
		const destination = join(local.path, 'inside');
		const run = await runCli(['get', '-r', `ftp://u:p@127.0.0.1:${server.port}/`, destination]);
		expect(run.code).not.toBe(0);
		expect(await readdir(local.path)).toEqual(['inside']);
		expect(await readdir(destination)).toEqual(['fine.txt']);
		expect(await readFile(join(destination, 'fine.txt'), 'utf8')).toBe('data');
		expect(run.stderr).not.toMatch(/[\u0007\u001B]/);
		expect(run.stderr).toMatch(/escaped\.txt/);
		expect(run.stderr).toMatch(/inner\.txt/);
	});

	it('escapes control characters in ls output', async () => {
		const run = await runCli(['ls', `ftp://u:p@127.0.0.1:${server.port}/`]);
		expect(run.code).toBe(0);
		expect(run.stdout).not.toMatch(/[\u0007\u001B]/);
		expect(run.stdout).toContain('fine.txt');
		expect(run.stdout).toContain('bell');
	});
});
