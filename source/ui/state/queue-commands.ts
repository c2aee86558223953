import {isFinished, type QueueItem, type TransferBatch} from '../../engine/api/transfer-queue.js';
import type {WorkItem} from '../../transfers/transfer-plan.js';
import {Command} from '../keys/keymap.js';
import type {AppState} from './app-state.js';
import {clampViewport, cursorTo, moveCursor, turnPage, type Viewport} from './cursor.js';
import type {Dialog} from './dialog.js';
import {openStopTransfer} from './stop-commands.js';
import {closeDialog, emit, openDialog, replaceDialog} from './transitions.js';

/** The queue view dialog. */
export type QueueDialog = Extract<Dialog, {type: 'queue'}>;

/** Item rows of the queue view: the scroll dialogs' text rows less the batch line at its top. */
export function queueViewRows(scrollRows: number): number {
	return Math.max(1, scrollRows - 1);
}

/** The queue view as it opens: the cursor on the first item. */
export function openQueueView(): QueueDialog {
	return {type: 'queue', cursor: 0, scrollTop: 0};
}

/** Whether the user can stop this item alone: a file copy that has not ended (a folder's contents would only fail without it). */
export function isCancellable(item: QueueItem | undefined): item is QueueItem {
	return item !== undefined && item.kind === 'copy' && !isFinished(item);
}

/** Whether the batch is still under way. */
export function isRunning(batch: TransferBatch | undefined): boolean {
	return batch !== undefined && !batch.items.every(item => isFinished(item));
}

/**
 * The files `r` copies again once the batch has ended: copies that failed, not those the scanner found infected
 * (the same bytes get the same verdict; they are counted apart in the summary too) nor those the user cancelled.
 */
export function retryableItems(batch: TransferBatch | undefined): QueueItem[] {
	if (!batch || isRunning(batch)) {
		return [];
	}

	return batch.items.filter(item => item.kind === 'copy' && item.state === 'failed' && item.target !== undefined && item.error?.kind !== 'infected');
}

/**
 * The retry's plan: each failed file copied again to the same target. No conflict question: a failed transfer never
 * replaced its target (downloads land in a temporary file, uploads on a temporary name), so what is there is what
 * the user already agreed to replace, or nothing.
 */
export function retryPlan(batch: TransferBatch | undefined): Array<Extract<WorkItem, {type: 'copy'}>> {
	return retryableItems(batch).map(item => ({type: 'copy', source: item.path, target: item.target!, ...(item.size === undefined ? {} : {size: item.size})}));
}

/** A command while the queue view is open: move, stop one file, stop the batch, retry the failed ones, close. */
export function reduceQueueCommand(state: AppState, dialog: QueueDialog, command: Command): AppState {
	const {batch, batchRun} = state;
	const count = batch?.items.length ?? 0;
	const rows = queueViewRows(state.rows.scroll);
	const move = (viewport: Viewport) => {
		const next = clampViewport(viewport, count, rows);
		return next.cursor === dialog.cursor && next.scrollTop === dialog.scrollTop ? state : replaceDialog(state, {...dialog, ...next});
	};

	switch (command) {
		case Command.CursorUp:
		case Command.CursorDown: {
			return move(moveCursor(dialog, command === Command.CursorUp ? -1 : 1, count, rows));
		}

		case Command.PageUp:
		case Command.PageDown: {
			return move(turnPage(dialog, command === Command.PageUp ? -1 : 1, count, rows));
		}

		case Command.Home:
		case Command.End: {
			return move(cursorTo(dialog, command === Command.Home ? 0 : count - 1, count, rows));
		}

		case Command.CancelItem: {
			const item = batch?.items[dialog.cursor];
			return batchRun && isCancellable(item) ? emit(state, {type: 'cancel-item', batchId: batchRun.id, itemId: item.id}) : state;
		}

		case Command.CancelBatch: {
			return batchRun && isRunning(batch) ? emit(state, {type: 'cancel-batch', batchId: batchRun.id}) : state;
		}

		case Command.RetryFailed: {
			const items = retryPlan(batch);
			if (!batchRun || items.length === 0) {
				return state;
			}

			// The retry's batch replaces this one in the view: its cursor starts again at the top.
			const retrying = replaceDialog({...state, batches: state.batches + 1}, openQueueView());
			return emit(retrying, {type: 'retry', from: batchRun.from, items, parallel: state.parallel});
		}

		case Command.StopTransfer: {
			return openStopTransfer(state);
		}

		case Command.Help: {
			// On top of the view, which comes back when the help closes.
			return openDialog(state, {type: 'help', scrollTop: 0});
		}

		case Command.Cancel: {
			return closeDialog(state);
		}

		default: {
			return state;
		}
	}
}

/** A new picture of the batch: the view's cursor stays on its item, or starts at the top for another batch. */
export function followBatch(dialog: QueueDialog, sameRun: boolean, count: number, scrollRows: number): QueueDialog {
	const viewport = clampViewport(sameRun ? dialog : {cursor: 0, scrollTop: 0}, count, queueViewRows(scrollRows));
	return viewport.cursor === dialog.cursor && viewport.scrollTop === dialog.scrollTop ? dialog : {...dialog, ...viewport};
}
