import {serveScript} from '../helpers/scripted-ftp.js';
import {startScriptedServer, type ScriptedServer, type ScriptedSession} from '../helpers/scripted-server.js';

/**
 * A file as the scripted server serves it; `size` is what SIZE answers when it should lie about the content, `announce`
 * the size its 150 reply names as vsftpd's does ("… (4096 bytes)."), when it should name one.
 */
export type ScriptedFile = {type: 'file'; content: Buffer | string; size?: number; announce?: number};
/** A directory: its entries in listing order, where one name may come twice, as no real file system allows. */
export type ScriptedDir = {type: 'dir'; entries: Array<[string, ScriptedNode]>};
export type ScriptedNode = ScriptedFile | ScriptedDir;

/**
 * A scripted FTP server over an in-memory tree, for listings and sizes no real server produces: CWD, PWD, SIZE,
 * REST, LIST and RETR over EPSV; every other command gets the ordinary answer of scripted-ftp.
 */
export async function startTreeServer(root: ScriptedDir): Promise<ScriptedServer> {
	return startScriptedServer(async session => {
		let cwd = '/';
		let restart = 0;
		let data: Promise<(payload: Buffer | string) => void> | undefined;
		await serveScript(session, async command => {
			const [verb = '', ...rest] = command.split(' ');
			const argument = rest.join(' ');
			switch (verb.toUpperCase()) {
				case 'PWD': {
					return `257 "${cwd}"\r\n`;
				}

				case 'CWD': {
					const path = resolve(cwd, argument);
					if (!find(root, path, 'dir')) {
						return '550 No such directory\r\n';
					}

					cwd = path;
					return '250 OK\r\n';
				}

				case 'SIZE': {
					const file = find(root, resolve(cwd, argument), 'file');
					return file ? `213 ${file.size ?? Buffer.byteLength(file.content)}\r\n` : '550 No such file\r\n';
				}

				case 'REST': {
					restart = Number(argument);
					return '350 Restarting\r\n';
				}

				case 'EPSV': {
					const opened = await openData(session);
					data = opened.send;
					return opened.reply;
				}

				case 'LIST': {
					const dir = find(root, cwd, 'dir')!;
					await sendData(session, data, dir.entries.map(([name, node]) => listingLine(name, node)).join(''));
					return '';
				}

				case 'RETR': {
					const file = find(root, resolve(cwd, argument), 'file');
					if (!file) {
						return '550 No such file\r\n';
					}

					const content = Buffer.from(file.content).subarray(restart);
					restart = 0;
					await sendData(session, data, content, file.announce === undefined ? '' : ` for ${argument} (${file.announce} bytes).`);
					return '';
				}

				default: {
					return undefined;
				}
			}
		});
	});
}

async function openData(session: ScriptedSession): Promise<{reply: string; send: Promise<(payload: Buffer | string) => void>}> {
	const listener = await session.openDataListener();
	const send = listener.connection().then(socket => (payload: Buffer | string) => {
		let delivered = false;
		// The reply comes once the client has closed its side too; 426 when it hung up before taking everything.
		socket.once('close', () => {
			session.send(delivered ? '226 Done\r\n' : '426 Connection closed; transfer aborted\r\n');
			void listener.close();
		});
		socket.end(payload, () => {
			delivered = true;
		});
	});
	return {reply: listener.epsvReply, send};
}

async function sendData(session: ScriptedSession, data: Promise<(payload: Buffer | string) => void> | undefined, payload: Buffer | string, what = ''): Promise<void> {
	if (!data) {
		session.send('425 Use EPSV first\r\n');
		return;
	}

	session.send(`150 Here it comes${what}\r\n`);
	(await data)(payload);
}

function listingLine(name: string, node: ScriptedNode): string {
	const size = node.type === 'file' ? Buffer.byteLength(node.content) : 0;
	return `${node.type === 'dir' ? 'd' : '-'}rw-r--r-- 1 0 0 ${size} Jan 01 2024 ${name}\r\n`;
}

function resolve(cwd: string, path: string): string {
	const parts = (path.startsWith('/') ? path : `${cwd}/${path}`).split('/').filter(part => part !== '' && part !== '.');
	return `/${parts.join('/')}`;
}

function find<T extends ScriptedNode['type']>(root: ScriptedDir, path: string, type: T): Extract<ScriptedNode, {type: T}> | undefined {
	let node: ScriptedNode = root;
	const names = path.split('/').filter(Boolean);
	for (const [index, name] of names.entries()) {
		if (node.type !== 'dir') {
			return undefined;
		}

		// The last name picks an entry of the wanted type; the ones before it must be directories.
		const wanted = index === names.length - 1 ? type : 'dir';
		const next: ScriptedNode | undefined = node.entries.find(([entryName, entry]) => entryName === name && entry.type === wanted)?.[1];
		if (!next) {
			return undefined;
		}

		node = next;
	}

	return node.type === type ? node as Extract<ScriptedNode, {type: T}> : undefined;
}
