import type {EngineApi, TransferSettings} from '../../engine/api/engine-api.js';
import type {Host} from '../../engine/host/host.js';
import type {BookmarkStore} from '../state/bookmarks.js';
import type {Side} from '../../engine/api/side.js';
import type {BatchControl} from '../transfers/batch-control.js';
import type {QuestionBridge} from './question-bridge.js';

/** Everything the effects reach outside the reducer. */
export type EffectPorts = {
	/** Connecting, transfers (which pass the scan gate) and cancelling. */
	readonly engine: EngineApi;
	/** Each pane's side, for everything but transfers: listings, mkdir, rename, delete, the viewer. */
	readonly hosts: Readonly<Record<Side, Host>>;
	readonly questions?: QuestionBridge;
	readonly onQuit: () => void;
	readonly onOptionsChange?: (options: TransferSettings) => void;
	/** Where bookmarks are kept; without it they last as long as the app. */
	readonly bookmarks?: BookmarkStore;
	/** The copies and deletes under way, so Stop all and quitting can end them. */
	readonly batches?: BatchControl;
};
