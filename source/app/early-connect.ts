import type {ConnectOptions, EngineApi} from '../engine/api/engine-api.js';
import type {EngineEvent} from '../engine/api/events.js';
import type {FileEntry} from '../engine/api/file-entry.js';
import type {Engine} from '../engine/engine.js';

type Receive = (entries: FileEntry[]) => void | Promise<void>;

/** The longest the screen's modules wait for the first listing's request (a question, a slow login, SFTP). */
export const screenWaitMs = 300;

/**
 * Resolves once the first listing has been asked for (its LIST, MLSD or NLST sent), the connection has failed, or
 * `waitMs` has passed. Loading the screen's modules keeps the main thread busy for about 0.2 s, and a server reply
 * that arrives meanwhile waits: started during the login, they held each of its last round trips back, and the LIST
 * went out up to 0.1 s late. Started once the request is out, they load while the server reads the directory (vsftpd
 * reads a 100,000-entry directory whole before it sends a byte, 0.4 s). An SFTP listing sends no such line: its screen
 * loads at the cap, as does one whose login waits on a question, which needs the screen to be asked.
 */
export async function listingAskedFor(engine: Pick<EngineApi, 'onEvent'>, waitMs = screenWaitMs): Promise<void> {
	return new Promise(resolve => {
		let stop: (() => void) | undefined;
		const done = () => {
			clearTimeout(timer);
			stop?.();
			stop = undefined;
			resolve();
		};

		const timer = setTimeout(done, waitMs);
		stop = engine.onEvent(event => {
			const asked = event.type === 'transcript' && event.line.direction === 'sent' && /^(?:LIST|MLSD|NLST)\b/.test(event.line.text);
			const failed = event.type === 'connection' && (event.state === 'disconnected' || event.state === 'closed');
			if (asked || failed) {
				done();
			}
		});
	});
}

/**
 * Starts the connection a URL on the command line asks for, and then the listing of the directory it lands in, before
 * Ink and the components load: the server's login and its first byte (vsftpd reads a 100,000-entry directory whole
 * first, half a second) overlap the module loading instead of following it. Returns the engine as the UI is to see it,
 * which then sees what it would have seen had it started the work itself:
 * - its first `connect(options)` is this connection, not a second one;
 * - its first listing of the directory the connection landed in is this listing, its parts kept until the UI takes them;
 * - the engine's events sent before the UI listened are handed to its first listener (where the server put it, a
 *   failed connect, which the UI shows as it does today).
 * Questions (a certificate, a host key, a passphrase) wait in the QuestionBridge until the UI listens.
 */
export function connectEarly(engine: Engine, options: ConnectOptions): EngineApi {
	let missed: EngineEvent[] | undefined = [];
	const stopRecording = engine.onEvent(event => missed?.push(event));
	const connecting = engine.connect(options);
	// The UI awaits it later; until then a failure must not count as unhandled.
	connecting.catch(() => undefined);
	const listing = connecting.then(() => keptListing(engine, engine.getSnapshot().cwd ?? options.path ?? '/'));
	listing.catch(() => undefined);
	let connectTaken = false;
	let listingTaken = false;
	return {
		subscribe: engine.subscribe,
		getSnapshot: engine.getSnapshot,
		onEvent(listener) {
			stopRecording();
			const before = missed ?? [];
			missed = undefined;
			for (const event of before) {
				listener(event);
			}

			return engine.onEvent(listener);
		},
		async connect(next) {
			if (!connectTaken && next === options) {
				connectTaken = true;
				return connecting;
			}

			return engine.connect(next);
		},
		async listParts(path, receive, signal) {
			if (!listingTaken && connectTaken) {
				// The UI asks for the landing directory first (the 'connected' action): anything else is not this listing.
				listingTaken = true;
				const kept = await listing.catch(() => undefined);
				if (kept && kept.path === path) {
					return kept.take(receive, signal);
				}

				kept?.stop();
			}

			return engine.listParts(path, receive, signal);
		},
		list: async path => engine.list(path),
		cd: async path => engine.cd(path),
		get: async (remotePath, localPath, transfer) => engine.get(remotePath, localPath, transfer),
		put: async (localPath, remotePath, transfer) => engine.put(localPath, remotePath, transfer),
		readRange: async (remotePath, offset, length) => engine.readRange(remotePath, offset, length),
		delete: async remotePath => engine.delete(remotePath),
		mkdir: async remotePath => engine.mkdir(remotePath),
		rmdir: async remotePath => engine.rmdir(remotePath),
		rename: async (from, to) => engine.rename(from, to),
		chmod: async (remotePath, mode) => engine.chmod(remotePath, mode),
		size: async remotePath => engine.size(remotePath),
		cancel(jobId) {
			engine.cancel(jobId);
		},
		close: async () => engine.close(),
	};
}

/** A listing under way whose parts wait for the one who takes it; a listing nobody took is stopped. */
type KeptListing = {
	readonly path: string;
	/** Hands over the parts kept so far, in order, then each as it comes; settles as the listing does. */
	take(receive: Receive, signal?: AbortSignal): Promise<void>;
	stop(): void;
};

function keptListing(engine: Engine, path: string): KeptListing {
	const kept: FileEntry[][] = [];
	let forward: Receive | undefined;
	const controller = new AbortController();
	const done = engine.listParts(path, async entries => {
		if (forward) {
			return forward(entries);
		}

		kept.push(entries);
	}, controller.signal);
	done.catch(() => undefined);
	return {
		path,
		async take(receive, signal) {
			signal?.addEventListener('abort', () => {
				controller.abort();
			}, {once: true});
			if (signal?.aborted) {
				controller.abort();
			}

			// Parts that arrive while the kept ones are handed over are kept too, and handed over in turn.
			for (let part = kept.shift(); part; part = kept.shift()) {
				// eslint-disable-next-line no-await-in-loop -- in order, and held back as the receiver asks
				await receive(part);
			}

			forward = receive;
			return done;
		},
		stop() {
			controller.abort();
		},
	};
}
