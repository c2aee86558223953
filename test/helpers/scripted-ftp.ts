import type {ScriptedSession} from './scripted-server.js';

/** What a script answers to one command: raw reply text, or undefined for the ordinary answer. */
export type Responder = (command: string, session: ScriptedSession) => Promise<string | undefined> | string | undefined;

const ordinary: Record<string, string> = {
	USER: '331 Password please\r\n',
	PASS: '230 Logged in\r\n',
	FEAT: '211-Features:\r\n SIZE\r\n EPSV\r\n211 End\r\n',
	PWD: '257 "/" is current directory\r\n',
	CWD: '250 OK\r\n',
	TYPE: '200 Type set\r\n',
	QUIT: '221 Bye\r\n',
	NOOP: '200 OK\r\n',
};

/** Plays an ordinary FTP server except where the responder says otherwise; ends when the client leaves. */
export async function serveScript(session: ScriptedSession, respond: Responder, greeting = '220 scripted\r\n'): Promise<void> {
	session.send(greeting);
	for (;;) {
		let command: string;
		try {
			// eslint-disable-next-line no-await-in-loop -- one command at a time, like a real server
			command = await session.nextCommand();
		} catch {
			return;
		}

		// eslint-disable-next-line no-await-in-loop
		const custom = await respond(command, session);
		const verb = command.split(' ')[0]!.toUpperCase();
		const reply = custom ?? ordinary[verb] ?? '502 Not implemented\r\n';
		if (reply !== '') {
			session.send(reply);
		}

		if (verb === 'QUIT') {
			session.close();
			return;
		}
	}
}
