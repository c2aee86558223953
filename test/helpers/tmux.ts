import {execFile} from 'node:child_process';
import {promisify} from 'node:util';

const run = promisify(execFile);

/**
 * A private tmux server driving one session, `tui`, as a person at a terminal would: keys sent as tmux encodes them for
 * its TERM, the screen read back as capture-pane shows it.
 */
export type TmuxDriver = {
	tmux(...args: string[]): Promise<string>;
	/** The session's screen as the user sees it. */
	screen(): Promise<string>;
	/** Waits until the screen passes `check` (up to 15 s); fails with the last screen when it never does. */
	until(check: (text: string) => boolean, what: string): Promise<string>;
	/** Waits until the screen shows every one of `texts`. */
	see(...texts: string[]): Promise<string>;
	/** One tmux key name per argument, with a pause after each that keeps Esc and the key after it apart. */
	keys(...names: string[]): Promise<void>;
	/** Starts the session at `width` x `height` running `command` in a shell. */
	start(command: string, width: number, height: number): Promise<void>;
	/** Ends the tmux server, whatever runs in it. */
	kill(): Promise<void>;
};

/** A driver on a tmux server of its own, named after `name` and this process. */
export function tmuxDriver(name: string): TmuxDriver {
	const socket = `ftpane-e2e-${name}-${process.pid}`;
	const tmux = async (...args: string[]): Promise<string> => (await run('tmux', ['-L', socket, ...args])).stdout;
	const screen = async () => tmux('capture-pane', '-p', '-t', 'tui');
	const until = async (check: (text: string) => boolean, what: string): Promise<string> => {
		let text = '';
		for (let attempt = 0; attempt < 150; attempt++) {
			// eslint-disable-next-line no-await-in-loop -- one look at the screen after another
			text = await screen();
			if (check(text)) {
				return text;
			}

			// eslint-disable-next-line no-await-in-loop
			await new Promise(resolve => setTimeout(resolve, 100));
		}

		throw new Error(`screen never showed ${what}; last screen:\n${text}`);
	};

	return {
		tmux,
		screen,
		until,
		see: async (...texts) => until(text => texts.every(part => text.includes(part)), JSON.stringify(texts)),
		async keys(...names) {
			for (const key of names) {
				// eslint-disable-next-line no-await-in-loop -- keys in order, as typed
				await tmux('send-keys', '-t', 'tui', key);
				// eslint-disable-next-line no-await-in-loop
				await new Promise(resolve => setTimeout(resolve, 150));
			}
		},
		async start(command, width, height) {
			await tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'tui', '-x', String(width), '-y', String(height), command);
		},
		async kill() {
			await tmux('kill-server').catch(() => undefined);
		},
	};
}

/** The left pane's part of each screen row. */
export function leftPane(text: string): string[] {
	return text.split('\n').map(line => line.split('││')[0] ?? '');
}

/** The right pane's part of each screen row. */
export function rightPane(text: string): string[] {
	return text.split('\n').map(line => line.split('││')[1] ?? '');
}

/**
 * `env` assignments that give the client a home of its own under `home` (HOME and its XDG config and data folders):
 * bookmarks, pane settings and known hosts go there, never into the home of whoever runs the tests.
 */
export function ownHome(home: string): string {
	return `HOME='${home}' XDG_CONFIG_HOME='${home}/config' XDG_DATA_HOME='${home}/data'`;
}
