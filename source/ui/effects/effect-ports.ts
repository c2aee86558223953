import type {EngineApi, TransferOptions} from '../../engine/api/engine-api.js';
import type {LocalFs} from '../../engine/local/local-fs.js';
import type {BookmarkStore} from '../state/bookmarks.js';
import type {BatchControl} from '../transfers/batch-control.js';
import type {QuestionBridge} from './question-bridge.js';

/** Everything the effects reach outside the reducer. */
export type EffectPorts = {
	readonly engine: EngineApi;
	readonly localFs: LocalFs;
	readonly questions?: QuestionBridge;
	readonly onQuit: () => void;
	readonly onOptionsChange?: (options: TransferOptions) => void;
	/** Where bookmarks are kept; without it they last as long as the app. */
	readonly bookmarks?: BookmarkStore;
	/** The copies and deletes under way, so Stop all and quitting can end them. */
	readonly batches?: BatchControl;
};
