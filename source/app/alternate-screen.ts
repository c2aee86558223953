/** Switches the terminal to its alternate screen, as full-screen programs do. */
export const enterAlternateScreen = '\u001B[?1049h';
/** Switches back, restoring what the shell showed before. */
export const leaveAlternateScreen = '\u001B[?1049l';

/** Where the escape codes go: the terminal's output stream. */
export type ScreenSink = {write(chunk: string): unknown};

/** The parts of `process` the alternate screen listens to, so tests can pass a fake. */
export type ProcessEvents = {
	readonly pid: number;
	on(event: string, listener: (...args: any[]) => void): unknown;
	off(event: string, listener: (...args: any[]) => void): unknown;
	listenerCount(event: string): number;
	kill(pid: number, signal: NodeJS.Signals): unknown;
};

/** Enter and leave the alternate screen; both may be called any number of times. */
export type AlternateScreen = {enter(): void; leave(): void; readonly active: boolean};

/** Tracks whether the alternate screen is on, so every way out writes the leave code exactly once. */
export function createAlternateScreen(sink: ScreenSink): AlternateScreen {
	let active = false;
	return {
		enter() {
			if (!active) {
				active = true;
				sink.write(enterAlternateScreen);
			}
		},
		leave() {
			if (active) {
				active = false;
				sink.write(leaveAlternateScreen);
			}
		},
		get active() {
			return active;
		},
	};
}

const signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Enters the alternate screen and makes sure the terminal gets its normal screen back on every way out:
 * normal exit, SIGINT/SIGTERM/SIGHUP, and a crash (before Node prints the error, so the trace stays readable).
 * Returns a function that leaves and removes the listeners. `screen` is given when someone else leaves and enters
 * it meanwhile (the editor F4 starts), so that every way out still knows whether it is on.
 */
export function installAlternateScreen(sink: ScreenSink, processEvents: ProcessEvents = process, screen: AlternateScreen = createAlternateScreen(sink)): () => void {
	const onExit = () => {
		screen.leave();
	};

	// The monitor runs before the default handler prints the error, and does not change whether the process dies.
	const onCrash = () => {
		screen.leave();
	};

	const onSignal = (signal: NodeJS.Signals) => {
		screen.leave();
		dispose();
		// With nobody else listening, re-raise so the process ends the way the signal asks.
		if (processEvents.listenerCount(signal) === 0) {
			processEvents.kill(processEvents.pid, signal);
		}
	};

	let installed = true;
	function dispose() {
		if (!installed) {
			return;
		}

		installed = false;
		processEvents.off('exit', onExit);
		processEvents.off('uncaughtExceptionMonitor', onCrash);
		for (const signal of signals) {
			processEvents.off(signal, onSignal);
		}
	}

	processEvents.on('exit', onExit);
	processEvents.on('uncaughtExceptionMonitor', onCrash);
	for (const signal of signals) {
		processEvents.on(signal, onSignal);
	}

	screen.enter();
	return () => {
		screen.leave();
		dispose();
	};
}
