import process from 'node:process';
import {FtpaneError} from '../engine/api/errors.js';

let promptOpen = false;

/** Whether a secret is being typed at the terminal now: the progress line waits, so as not to draw over the prompt. */
export function secretPromptOpen(): boolean {
	return promptOpen;
}

/** Asks for a password on the terminal without echoing it; undefined when there is no terminal to ask on. */
export async function promptPassword(question: string): Promise<string | undefined> {
	return promptSecret(question, 'password');
}

/**
 * Asks for a secret (a password, a key's passphrase) on the terminal without echoing it, the prompt on a line of its
 * own (a progress line there is erased first); undefined when standard input or error is no terminal.
 */
export async function promptSecret(question: string, secret: 'password' | 'passphrase'): Promise<string | undefined> {
	const {stdin, stderr} = process;
	if (!stdin.isTTY || !stderr.isTTY) {
		return undefined;
	}

	stderr.write(`\r\u001B[K${question}`);
	stdin.setRawMode(true);
	stdin.resume();
	promptOpen = true;
	try {
		return await new Promise<string>((resolve, reject) => {
			let typed = '';
			const onData = (chunk: Buffer) => {
				for (const character of chunk.toString('utf8')) {
					if (character === '\r' || character === '\n') {
						stdin.off('data', onData);
						resolve(typed);
						return;
					}

					if (character === '\u0003') {
						stdin.off('data', onData);
						reject(new FtpaneError('usage', `cancelled at the ${secret} prompt`));
						return;
					}

					typed = character === '\u007F' || character === '\b' ? [...typed].slice(0, -1).join('') : typed + character;
				}
			};

			stdin.on('data', onData);
		});
	} finally {
		promptOpen = false;
		stdin.setRawMode(false);
		stdin.pause();
		stderr.write('\n');
	}
}
