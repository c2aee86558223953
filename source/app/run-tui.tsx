import process from 'node:process';
import {render} from 'ink';
import type {AppProps} from '../components/App.js';
import {TerminalApp} from '../components/TerminalApp.js';
import {localHost} from '../engine/local/local-host.js';
import {createAlternateScreen, installAlternateScreen} from './alternate-screen.js';
import {terminalEditor} from './terminal-editor.js';

/** What the screen is given by app/start-tui.ts: the app's props but those it sets here, and the session's place. */
export type TuiScreenProps = Omit<AppProps, 'width' | 'height' | 'localHost' | 'initialLocalPath' | 'editor'>;

const signalNumbers: Partial<Record<NodeJS.Signals, number>> = {SIGHUP: 1, SIGINT: 2, SIGTERM: 15};

/**
 * Draws the full-screen client on the alternate screen until the user quits or a signal arrives; resolves with the exit
 * code. The one module of app/ that loads Ink and the components: app/start-tui.ts imports it once the engine is made.
 */
export async function showTui(props: TuiScreenProps, session: {readonly env: NodeJS.ProcessEnv; readonly localPath: string}): Promise<number> {
	let exitCode = 0;
	let unmount: (() => void) | undefined;
	const onSignal = (signal: NodeJS.Signals) => {
		exitCode = 128 + (signalNumbers[signal] ?? 0);
		unmount?.();
	};

	// Registered before the alternate screen's own listeners, so Ink draws its last frame before the screen is left.
	const signals = Object.keys(signalNumbers) as NodeJS.Signals[];
	for (const signal of signals) {
		process.on(signal, onSignal);
	}

	const screen = createAlternateScreen(process.stdout);
	const leaveScreen = installAlternateScreen(process.stdout, process, screen);
	// F4 hands the terminal to the editor: cooked mode, the shell's screen and a visible cursor, then back.
	const editor = terminalEditor(session.env, {
		release() {
			process.stdin.setRawMode(false);
			screen.leave();
			process.stdout.write('\u001B[?25h');
		},
		reclaim() {
			screen.enter();
			process.stdin.setRawMode(true);
		},
	});
	try {
		const instance = render(
			<TerminalApp
				{...props}
				localHost={localHost}
				initialLocalPath={session.localPath}
				editor={editor}
			/>,
			// Ctrl-C quits like SIGINT would; the raw terminal delivers it as a key, not a signal. Not Ink's
			// incrementalRendering, though it sends a Down key's changed rows instead of the screen (and
			// patches/ink+6.8.0.patch corrects where it drew them): a frame that rewrites only its changed rows never
			// repairs the screen once anything else has moved it. In one run of test/e2e/tmux-move-into-dir.test.ts in
			// nine the screen had scrolled by a row early on, and every row that did not change after that stayed one
			// row off (the top border gone, the first title left on row 0). The whole frame, drawn from the cursor at
			// the bottom, puts every row back in its place on the next frame.
			{exitOnCtrlC: true, patchConsole: true},
		);
		unmount = () => {
			instance.unmount();
		};

		await instance.waitUntilExit();
	} finally {
		leaveScreen();
		for (const signal of signals) {
			process.off(signal, onSignal);
		}
	}

	return exitCode;
}
