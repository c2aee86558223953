import process from 'node:process';
import {FtpaneError} from '../engine/api/errors.js';

/** Asks for a password on the terminal without echoing it; undefined when there is no terminal to ask on. */
export async function promptPassword(question: string): Promise<string | undefined> {
	const {stdin, stderr} = process;
	if (!stdin.isTTY || !stderr.isTTY) {
		return undefined;
	}

	stderr.write(question);
	stdin.setRawMode(true);
	stdin.resume();
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
						reject(new FtpaneError('usage', 'cancelled at the password prompt'));
						return;
					}

					typed = character === '\u007F' || character === '\b' ? [...typed].slice(0, -1).join('') : typed + character;
				}
			};

			stdin.on('data', onData);
		});
	} finally {
		stdin.setRawMode(false);
		stdin.pause();
		stderr.write('\n');
	}
}
