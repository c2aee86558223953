import type {EngineApi, TransferSettings} from '../../engine/api/engine-api.js';
import type {Host} from '../../engine/host/host.js';
import type {BookmarkStore} from '../state/bookmarks.js';
import type {ViewSettingsStore} from '../state/view-settings.js';
import type {Side} from '../../engine/api/side.js';
import type {BatchControl} from '../transfers/batch-control.js';
import type {EditorPort} from './editor-port.js';
import type {ListingStreams} from './listing-streams.js';
import type {QuestionBridge} from './question-bridge.js';
import type {ScreenDrawn} from './screen-drawn.js';

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
	/** Where the panes' arrangement is kept between runs; without it, it lasts as long as the app. */
	readonly viewSettings?: ViewSettingsStore;
	/** The listing under way on each side, so that a pane's next one stops it; without it, a left listing runs to its end. */
	readonly listings?: ListingStreams;
	/** When the screen has drawn what was dispatched; without it, a listing's reader never waits for the screen. */
	readonly screen?: ScreenDrawn;
	/** The copies and deletes under way, so Stop all and quitting can end them. */
	readonly batches?: BatchControl;
	/** The user's editor for F4, with the terminal handed to it; without it F4 says it cannot edit. */
	readonly editor?: EditorPort;
};
