import {render} from 'ink-testing-library';
import {startAgent, type RunningAgent} from '../../source/agent/agent-server.js';
import {localHost} from '../../source/engine/local/local-host.js';
import {closeTuiSession, createTuiEngine, type TuiEngineOptions} from '../../source/app/tui-engine.js';
import {App, type AppProps} from '../../source/components/App.js';
import type {ConnectOptions, EngineApi, TransferSettings} from '../../source/engine/api/engine-api.js';
import type {Engine} from '../../source/engine/engine.js';
import {QuestionBridge} from '../../source/ui/effects/question-bridge.js';
import {startClamd, type ClamdServer} from '../helpers/clamd.js';
import {settle, waitFor} from '../components/helpers.js';

/** Keys as a terminal sends them. */
export const keys = {
	esc: '\u001B',
	enter: '\r',
	tab: '\t',
	backspace: '\u007F',
	down: '\u001B[B',
	up: '\u001B[A',
	end: '\u001B[F',
	home: '\u001B[H',
	insert: '\u001B[2~',
	ctrlU: '\u0015',
	f2: '\u001BOQ',
	f3: '\u001BOR',
	f4: '\u001BOS',
	f5: '\u001B[15~',
	f7: '\u001B[18~',
	f8: '\u001B[19~',
	f10: '\u001B[21~',
} as const;

/** The two panes' mini-status lines (the entry under each cursor), left then right: the row two above the panes' bottom border. */
export function miniStatusCells(frame: string): string[] {
	const lines = frame.split('\n');
	const bottom = lines.findIndex(line => line.startsWith('└'));
	const row = lines[bottom - 2] ?? '';
	return row.split('││').map(cell => cell.replace(/^│/, ''));
}

/** A scan agent in this process, relaying to a test clamd that knows the EICAR signature. */
export type ScanStack = {agent: RunningAgent; clamd: ClamdServer; stop(): Promise<void>};

/** Starts clamd and the agent in front of it, as `ftpane agent` would run. */
export async function startScanStack(): Promise<ScanStack> {
	const clamd = await startClamd();
	const agent = await startAgent({host: '127.0.0.1', port: 0, clamd: clamd.socketPath, clamscan: false, log() {}});
	return {
		agent,
		clamd,
		async stop() {
			await agent.close();
			await clamd.stop();
		},
	};
}

/** The full-screen client under test, with what a test does to it. */
export type TuiUnderTest = {
	engine: Engine;
	questions: QuestionBridge;
	frame(): string;
	/** Writes each sequence as one terminal read, letting React settle in between. */
	press(...sequences: string[]): Promise<void>;
	/** Waits until the frame contains all the texts (the real servers answer in their own time). */
	see(...texts: string[]): Promise<void>;
	/** Puts the cursor of the active pane on the one entry whose name contains `text`, by filtering to it and back. */
	select(text: string): Promise<void>;
	/** Removes the active pane's filter. */
	unfilter(): Promise<void>;
	close(): Promise<void>;
};

/** Renders the whole app, 80x24 unless told otherwise, over the real engine and the real local file system. */
export function renderTui(options: {
	localPath: string;
	connect?: ConnectOptions;
	agentPort?: number;
	knownCertsPath?: string;
	transfer?: TransferSettings;
	width?: number;
	height?: number;
	props?: Partial<AppProps>;
	/** What the app is given in place of the engine itself, e.g. one whose transfers wait for the test. */
	wrapEngine?: (engine: Engine) => EngineApi;
	/** SFTP: a private home for .ssh/ and the ssh-agent socket ('' for none). */
	ssh?: Pick<TuiEngineOptions, 'home' | 'sshAgentSocket'>;
}): TuiUnderTest {
	const questions = new QuestionBridge();
	let transfer: TransferSettings = options.transfer ?? {mode: 'binary', active: false, scanDownloads: false};
	// Port 9 (discard) has no agent behind it: an upload attempt would be refused, as it must be.
	const flags = {agent: `127.0.0.1:${options.agentPort ?? 9}`, scanTimeout: 10, insecure: false};
	const engine = createTuiEngine(flags, questions, () => transfer, {...(options.knownCertsPath ? {knownCertsPath: options.knownCertsPath} : {}), ...options.ssh});
	const rendered = render(
		<App
			engine={options.wrapEngine?.(engine) ?? engine}
			localHost={localHost}
			initialLocalPath={options.localPath}
			width={options.width ?? 80}
			height={options.height ?? 24}
			questions={questions}
			escapeTimeoutMs={100}
			options={transfer}
			onOptionsChange={next => {
				transfer = next;
			}}
			onQuit={() => undefined}
			{...(options.connect ? {connect: options.connect} : {})}
			{...options.props}
		/>,
	);
	const frame = () => rendered.lastFrame() ?? '';
	const press = async (...sequences: string[]) => {
		for (const sequence of sequences) {
			rendered.stdin.write(sequence);
			// eslint-disable-next-line no-await-in-loop
			await settle();
		}
	};

	const see = async (...texts: string[]) => {
		await waitFor(() => {
			const current = frame();
			for (const text of texts) {
				if (!current.includes(text)) {
					throw new Error(`screen does not show ${JSON.stringify(text)}:\n${current}`);
				}
			}
		}, 15_000);
	};

	return {
		engine,
		questions,
		frame,
		press,
		see,
		async select(text) {
			// Filtered to the text, the pane shows `..`, the directories (a filter keeps them, as mc's) and the matching
			// files: walk down until the active pane's mini-status line names the entry, then show everything again.
			await press('/', keys.ctrlU, text, keys.enter);
			await press(keys.home);
			const before = miniStatusCells(frame());
			await press(keys.down);
			const moved = miniStatusCells(frame());
			// The pane whose line changed has the keyboard; a one-entry pane did not move, so either may be it.
			const active = moved.findIndex((cell, index) => cell !== before[index]);
			const isThere = (cells: string[]) => (active === -1 ? cells.some(cell => cell.startsWith(text)) : cells[active]!.startsWith(text));
			if (!isThere(moved)) {
				await press(keys.home);
				for (let step = 0; step < 100 && !isThere(miniStatusCells(frame())); step++) {
					// eslint-disable-next-line no-await-in-loop
					await press(keys.down);
				}
			}

			if (!isThere(miniStatusCells(frame()))) {
				throw new Error(`no entry named ${JSON.stringify(text)}:\n${frame()}`);
			}

			await press('/', keys.ctrlU, keys.enter);
		},
		async unfilter() {
			await press('/', keys.ctrlU, keys.enter);
		},
		async close() {
			rendered.unmount();
			// As the app itself closes (run-tui): no question may outlive the screen, and close always ends.
			await closeTuiSession(engine, questions);
		},
	};
}
