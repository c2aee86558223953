import type net from 'node:net';
import type {Responder} from './scripted-ftp.js';
import {isClientHangUp, resetSocket, type ScriptedSession, type ScriptedTls} from './scripted-server.js';

/** Every way a data connection breaks that the fault matrix plays (see test/engine/fault-matrix.test.ts). */
export const faults = ['reset before the first byte', 'reset mid-stream', 'silent after 150', 'silent mid-stream', 'FIN without 226', 'FIN, then the control connection closes', '4xx after the data'] as const;

/** One of the faults. */
export type Fault = (typeof faults)[number];

/** How a scripted session plays one faulty transfer. */
export type FaultScript = {
	fault: Fault;
	/** Certificate for AUTH TLS and protected data connections. */
	tls?: ScriptedTls;
	/** The remote file's name: SIZE of it announces the length of `bytes`. */
	remoteName: string;
	/** What a download or listing sends. */
	bytes: Buffer;
	/** After a reset, 426 on the control connection (as servers do); false leaves the client with no reply at all. */
	replyToReset?: boolean;
	/** Resolves once the client has taken in bytes, so that a mid-stream fault comes mid-stream; by default once the first part has left. */
	clientHasBytes?: () => Promise<void>;
	/** Errors of the script itself (not of the client), for the test to report. */
	failures: unknown[];
};

/** Plays an ordinary server with TLS and both data modes, except that its data transfers break as `script.fault` says. */
export function faultyServer(script: FaultScript): Responder {
	let protectedData = false;
	let passive: Promise<net.Socket> | undefined;
	let active: {host: string; port: number} | undefined;
	return async (command, session) => {
		const [word = '', argument = ''] = command.split(/ (.*)/s);
		const verb = word.toUpperCase();
		switch (verb) {
			case 'AUTH': {
				session.send('234 Proceed with negotiation\r\n');
				await session.startTls(script.tls!);
				return '';
			}

			case 'PBSZ': {
				return '200 PBSZ=0\r\n';
			}

			case 'PROT': {
				protectedData = argument === 'P';
				return '200 Protection set\r\n';
			}

			case 'FEAT': {
				return '211-Features:\r\n SIZE\r\n EPSV\r\n REST STREAM\r\n211 End\r\n';
			}

			case 'SIZE': {
				return argument.endsWith(script.remoteName) ? `213 ${script.bytes.length}\r\n` : '550 No such file\r\n';
			}

			case 'EPSV': {
				const listener = await session.openDataListener({tls: protectedData ? script.tls : undefined});
				passive = listener.connection();
				active = undefined;
				return listener.epsvReply;
			}

			case 'EPRT': {
				const [, , host = '', port = ''] = argument.split('|');
				active = {host, port: Number(port)};
				passive = undefined;
				return '200 EPRT command successful\r\n';
			}

			case 'RNFR': {
				return '350 Ready for RNTO\r\n';
			}

			case 'RNTO': {
				return '250 Renamed\r\n';
			}

			case 'DELE': {
				return '250 Deleted\r\n';
			}

			case 'LIST':
			case 'RETR':
			case 'STOR':
			case 'APPE': {
				session.send('150 Opening data connection\r\n');
				const upload = verb === 'STOR' || verb === 'APPE';
				const opened = passive ?? session.connectData(active!.host, active!.port, {tls: protectedData ? script.tls : undefined});
				void opened
					.then(async socket => upload ? playReceiving(script, socket, session) : playSending(script, socket, session))
					.catch((error: unknown) => {
						// A client that gives up while the data connection opens (its timeout, under load, can end a slow TLS
						// handshake) is judged by what it reports; only the script's own mistakes are failures.
						if (!isClientHangUp(error)) {
							script.failures.push(error);
						}
					});
				return '';
			}

			default: {
				return undefined;
			}
		}
	};
}

/** Sends 426 once the client gives up on the data connection, as a server does when its data connection is closed. */
function answerWhenClientGivesUp(socket: net.Socket, session: ScriptedSession): void {
	socket.once('close', () => {
		session.send('426 Connection closed; transfer aborted\r\n');
	});
	// Reading is how a socket notices the client's FIN or RST.
	socket.resume();
}

/** Resets the data connection, and says so on the control connection unless the script plays a server that falls silent. */
function reset(script: FaultScript, socket: net.Socket, session: ScriptedSession): void {
	resetSocket(socket);
	if (script.replyToReset ?? true) {
		session.send('426 Connection reset; transfer aborted\r\n');
	}
}

async function playSending(script: FaultScript, socket: net.Socket, session: ScriptedSession): Promise<void> {
	const {bytes} = script;
	const first = bytes.subarray(0, 32 * 1024);
	const clientHasBytes = async (): Promise<void> => script.clientHasBytes?.() ?? new Promise(resolve => {
		socket.write('', () => {
			resolve();
		});
	});
	switch (script.fault) {
		case 'reset before the first byte': {
			reset(script, socket, session);
			return;
		}

		case 'reset mid-stream': {
			socket.write(first);
			await clientHasBytes();
			reset(script, socket, session);
			return;
		}

		case 'silent after 150': {
			answerWhenClientGivesUp(socket, session);
			return;
		}

		case 'silent mid-stream': {
			socket.write(first);
			await clientHasBytes();
			answerWhenClientGivesUp(socket, session);
			return;
		}

		case 'FIN without 226': {
			socket.end(bytes);
			return;
		}

		case 'FIN, then the control connection closes': {
			// A server that dies once its data are out: every byte arrives, and no 226 ever does.
			socket.end(bytes, () => {
				session.close();
			});
			return;
		}

		case '4xx after the data': {
			socket.end(bytes, () => {
				session.send('451 Local error in processing\r\n');
			});
		}
	}
}

async function playReceiving(script: FaultScript, socket: net.Socket, session: ScriptedSession): Promise<void> {
	switch (script.fault) {
		case 'reset before the first byte': {
			reset(script, socket, session);
			return;
		}

		case 'reset mid-stream': {
			socket.once('data', () => {
				reset(script, socket, session);
			});
			return;
		}

		case 'silent after 150': {
			// Never reads and never answers: a hung server. The client must give up on its own.
			socket.pause();
			return;
		}

		case 'silent mid-stream': {
			socket.once('data', () => {
				socket.pause();
			});
			return;
		}

		case 'FIN without 226': {
			socket.on('end', () => socket.end());
			socket.resume();
			return;
		}

		case 'FIN, then the control connection closes': {
			socket.on('end', () => {
				socket.end();
				session.close();
			});
			socket.resume();
			return;
		}

		case '4xx after the data': {
			socket.on('end', () => {
				socket.end();
				session.send('452 Insufficient storage space\r\n');
			});
			socket.resume();
		}
	}
}
