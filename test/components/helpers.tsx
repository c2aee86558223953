import {render} from 'ink-testing-library';
import {App, type AppProps} from '../../source/components/App.js';
import {FakeEngine} from '../ui/fakes/fake-engine.js';
import {memoryHost} from '../ui/fakes/memory-host.js';
import {MemoryTree} from '../ui/fakes/memory-tree.js';

/** Waits for React and Ink to settle after input. */
export async function settle(ms = 30): Promise<void> {
	await new Promise(resolve => {
		setTimeout(resolve, ms);
	});
}

/** Polls until `check` passes, or fails with its last error. */
export async function waitFor(check: () => void, timeoutMs = 2000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			check();
			return;
		} catch (error) {
			if (Date.now() > deadline) {
				throw error;
			}

			await settle(10);
		}
	}
}

/** Renders the whole app over fakes; `press` writes each sequence as its own terminal read. */
export function renderApp(options: {local?: MemoryTree; engine?: FakeEngine; width?: number; height?: number; props?: Partial<AppProps>} = {}) {
	const engine = options.engine ?? new FakeEngine();
	const localHost = memoryHost(options.local ?? new MemoryTree({'/home/u/a.txt': 'a', '/home/u/b.txt': 'bb', '/home/u/docs': null}));
	const onQuit = options.props?.onQuit ?? (() => undefined);
	const rendered = render(
		<App engine={engine} localHost={localHost} initialLocalPath="/home/u" width={options.width ?? 80} height={options.height ?? 24} escapeTimeoutMs={100} onQuit={onQuit} {...options.props}/>,
	);
	const frame = () => rendered.lastFrame() ?? '';
	const press = async (...sequences: string[]) => {
		for (const sequence of sequences) {
			rendered.stdin.write(sequence);
			// eslint-disable-next-line no-await-in-loop
			await settle();
		}
	};

	return {...rendered, engine, localHost, frame, press};
}
