import type {TransferBatch} from '../../engine/api/transfer-queue.js';
import type {Bookmark} from '../../ui/state/bookmarks.js';
import type {AppState} from '../../ui/state/app-state.js';
import {queueViewRows} from '../../ui/state/queue-commands.js';
import {viewerTextRows} from '../../ui/state/viewer-commands.js';
import {dialogText, secretDialogText} from '../../ui/view/dialog-text.js';
import {helpLines} from '../../ui/keys/help-lines.js';
import {dialogButtons, type Dialog} from '../../ui/state/dialog.js';
import {BookmarksDialog} from './BookmarksDialog.js';
import {ChmodDialog} from './ChmodDialog.js';
import {HistoryDialog} from './HistoryDialog.js';
import {ConnectDialog} from './ConnectDialog.js';
import {dialogInnerWidth} from './DialogFrame.js';
import {MessageDialog} from './MessageDialog.js';
import {OptionsDialog} from './OptionsDialog.js';
import {PromptDialog} from './PromptDialog.js';
import {QueueView} from './QueueView.js';
import {ScrollDialog} from './ScrollDialog.js';
import {Viewer} from './Viewer.js';

/** Props of `DialogView`. */
export type DialogViewProps = {
	readonly dialog: Dialog;
	/** Screen columns available. */
	readonly width: number;
	/** Text rows of the help and viewer. */
	readonly scrollRows: number;
	/** What the bookmark list shows. */
	readonly bookmarks?: readonly Bookmark[];
	/** What the queue view shows: the copy under way or the last one. */
	readonly batch?: TransferBatch;
	/** Whose directory history the history list shows. */
	readonly panes?: AppState['panes'];
};

const help = helpLines();

/** Draws whichever dialog is open; keys never reach here, only the state the reducer made of them. */
export function DialogView({dialog, width, scrollRows, bookmarks = [], batch, panes}: DialogViewProps) {
	const text = dialogText(dialog);
	const scrollWidth = Math.max(30, width - 4);
	const dialogWidth = Math.max(30, Math.min(width - 4, 76));
	switch (dialog.type) {
		case 'connect': {
			return <ConnectDialog dialog={dialog} width={dialogWidth}/>;
		}

		case 'options': {
			return <OptionsDialog dialog={dialog} width={dialogWidth}/>;
		}

		case 'bookmarks': {
			return <BookmarksDialog bookmarks={bookmarks} cursor={dialog.cursor} rows={scrollRows} width={dialogWidth} confirmDelete={dialog.confirmDelete}/>;
		}

		case 'help': {
			return <ScrollDialog title={text.title} lines={help} scrollTop={dialog.scrollTop} rows={scrollRows} width={Math.min(scrollWidth, 76)}/>;
		}

		case 'viewer': {
			return <Viewer viewer={dialog.viewer} width={width} rows={viewerTextRows(scrollRows)}/>;
		}

		case 'history': {
			return <HistoryDialog paths={panes?.[dialog.side].history.paths ?? []} cursor={dialog.cursor} rows={scrollRows} width={dialogWidth}/>;
		}

		case 'chmod': {
			return <ChmodDialog dialog={dialog} width={dialogWidth}/>;
		}

		case 'queue': {
			return <QueueView batch={batch} viewport={dialog} rows={queueViewRows(scrollRows)} width={scrollWidth}/>;
		}

		case 'select-pattern': {
			const choice = {label: 'Files only', on: dialog.filesOnly, focused: dialog.focus === 1};
			return <PromptDialog text={text} value={dialog.value} cursor={dialog.cursor} width={dialogWidth} choice={choice}/>;
		}

		case 'secret': {
			return <PromptDialog text={secretDialogText(dialog, dialogInnerWidth(dialogWidth))} value={dialog.value} cursor={dialog.cursor} width={dialogWidth} mask="*"/>;
		}

		case 'confirm-copy':
		case 'mkdir':
		case 'rename':
		case 'filter': {
			return <PromptDialog text={text} value={dialog.value} cursor={dialog.cursor} width={dialogWidth}/>;
		}

		default: {
			return <MessageDialog text={text} buttons={dialogButtons(dialog)} focus={dialog.focus} width={dialogWidth}/>;
		}
	}
}
