import {describe, expect, it} from 'vitest';
import {applyQueueEvent, createBatch, type QueueEvent, type QueueItemSpec, type TransferBatch} from '../../../source/engine/api/transfer-queue.js';
import {helpLines, keyLabel} from '../../../source/ui/keys/help-lines.js';
import {decodeKey} from '../../../source/ui/keys/decode-key.js';
import {Command, commandFor, isPrefixKey} from '../../../source/ui/keys/keymap.js';
import type {AppState} from '../../../source/ui/state/app-state.js';
import type {Effect} from '../../../source/ui/state/effects.js';
import {queueViewRows, retryPlan} from '../../../source/ui/state/queue-commands.js';
import {press, reduce, stateWith} from './helpers.js';

const ctrlX = '\u0018';
const f4 = '\u001BOS';
const f8 = '\u001B[19~';
const del = '\u001B[3~';
const f10 = '\u001B[21~';
const pageDown = '\u001B[6~';
const end = '\u001B[F';
const home = '\u001B[H';
const down = '\u001B[B';

const copies = (count: number): QueueItemSpec[] => Array.from({length: count}, (_, index) => ({kind: 'copy', path: `/l/f${index}`, target: `/r/f${index}`, size: 10}));
const run = (batch: TransferBatch, ...events: QueueEvent[]) => events.reduce(applyQueueEvent, batch);

/** The panes with a copy's batch published, as run 7 from the local side. */
function withBatch(batch: TransferBatch, state: AppState = stateWith([])): AppState {
	return reduce(state, {type: 'batch-progress', batch, run: {id: 7, from: 'local'}});
}

const effects = (state: AppState): Effect[] => state.outbox.filter(effect => effect.type !== 'list');

describe('Ctrl-X j, the queue view', () => {
	it('is a prefix key and the key after it, spelled as mc spells it', () => {
		expect(isPrefixKey(decodeKey(ctrlX), 'panes')).toBe(true);
		expect(isPrefixKey(decodeKey('j'), 'panes')).toBe(false);
		expect(isPrefixKey(decodeKey(ctrlX), 'text')).toBe(false);
		expect(commandFor(decodeKey('j'), 'panes', 'ctrl-x')).toBe(Command.Queue);
		expect(commandFor(decodeKey('j'), 'queue', 'ctrl-x')).toBe(Command.Cancel);
		expect(keyLabel('ctrl-x j')).toBe('Ctrl-X j');
	});

	it('opens on Ctrl-X j and closes on Ctrl-X j, Esc and F10', () => {
		const state = withBatch(createBatch(copies(3)));
		const waiting = press(state, ctrlX);
		expect(waiting.keyPrefix).toBe('ctrl-x');
		expect(waiting.dialog).toBeNull();
		const open = press(waiting, 'j');
		expect(open.dialog).toEqual({type: 'queue', cursor: 0, scrollTop: 0});
		expect(open.keyPrefix).toBeUndefined();
		expect(press(open, `${ctrlX}j`).dialog).toBeNull();
		expect(press(open, f10).dialog).toBeNull();
		expect(press(open, '\u001B\u001B').dialog).toBeNull();
	});

	it('drops a Ctrl-X pair that means nothing, and the key after it does not act alone', () => {
		const state = withBatch(createBatch(copies(3)));
		// `q` alone quits; after Ctrl-X it is an unknown pair and nothing happens.
		const after = press(state, `${ctrlX}q`);
		expect(after.keyPrefix).toBeUndefined();
		expect(after.dialog).toBeNull();
		expect(effects(after)).toEqual(effects(state));
	});

	it('leaves Ctrl-X alone in a text field: it is no prefix there', () => {
		const mkdir = press(stateWith([]), '\u001B[18~');
		expect(mkdir.dialog?.type).toBe('mkdir');
		const typed = press(mkdir, `${ctrlX}j`);
		expect(typed.keyPrefix).toBeUndefined();
		expect(typed.dialog).toMatchObject({type: 'mkdir', value: 'j'});
	});

	it('opens with no batch yet, and its keys then do nothing', () => {
		const open = press(stateWith([]), `${ctrlX}j`);
		expect(open.dialog?.type).toBe('queue');
		expect(press(open, `${down}${f8}${f4}r`)).toEqual(open);
	});
});

describe('moving in the queue view', () => {
	it('scrolls a 1000-item batch by rows, pages, Home and End, within the rows that fit', () => {
		const state = withBatch(createBatch(copies(1000)));
		const rows = queueViewRows(state.rows.scroll);
		expect(rows).toBe(state.rows.scroll - 1);
		const open = press(state, `${ctrlX}j`);
		expect(press(open, `${down}${down}${down}`).dialog).toEqual({type: 'queue', cursor: 3, scrollTop: 0});
		// A page moves cursor and window together, mc style.
		expect(press(open, `${down}${down}${down}${pageDown}`).dialog).toEqual({type: 'queue', cursor: 3 + rows, scrollTop: rows});
		expect(press(open, end).dialog).toEqual({type: 'queue', cursor: 999, scrollTop: 1000 - rows});
		expect(press(open, `${end}${home}`).dialog).toEqual({type: 'queue', cursor: 0, scrollTop: 0});
		expect(press(open, '\u001B[A')).toBe(open);
	});

	it('keeps the cursor in the window when the terminal shrinks', () => {
		// The cursor on the window's last row, then three rows fewer.
		const open = press(withBatch(createBatch(copies(100))), `${ctrlX}j${down.repeat(8)}`);
		expect(open.dialog).toEqual({type: 'queue', cursor: 8, scrollTop: 0});
		const small = reduce(open, {type: 'resize', rows: {list: 3, scroll: 4}});
		expect(queueViewRows(4)).toBe(3);
		expect(small.dialog).toEqual({type: 'queue', cursor: 8, scrollTop: 6});
	});

	it('keeps the cursor on its item as the same batch changes, and starts at the top for another batch', () => {
		const batch = createBatch(copies(20));
		const open = press(withBatch(batch), `${ctrlX}j${end}`);
		expect(open.dialog).toMatchObject({cursor: 19});
		const moved = reduce(open, {type: 'batch-progress', batch: run(batch, {type: 'item-started', id: 0}), run: {id: 7, from: 'local'}});
		expect(moved.dialog).toBe(open.dialog);
		const other = reduce(open, {type: 'batch-progress', batch: createBatch(copies(2)), run: {id: 9, from: 'remote'}});
		expect(other.dialog).toEqual({type: 'queue', cursor: 0, scrollTop: 0});
		expect(other.batchRun).toEqual({id: 9, from: 'remote'});
	});
});

describe('two copies at once', () => {
	it('shows the newer one while it runs, then the older one still under way', () => {
		const older = createBatch(copies(2));
		const newer = createBatch(copies(5));
		const both = reduce(withBatch(older), {type: 'batch-progress', batch: newer, run: {id: 8, from: 'remote'}});
		const olderAgain = reduce(both, {type: 'batch-progress', batch: run(older, {type: 'item-done', id: 0}), run: {id: 7, from: 'local'}});
		expect(olderAgain).toBe(both);
		const newerEnded = reduce(both, {type: 'batch-progress', batch: run(newer, {type: 'batch-cancelled'}), run: {id: 8, from: 'remote'}});
		const back = reduce(newerEnded, {type: 'batch-progress', batch: older, run: {id: 7, from: 'local'}});
		expect(back.batchRun).toEqual({id: 7, from: 'local'});
		expect(back.batch).toBe(older);
	});
});

describe('cancelling from the queue view', () => {
	it('F8 and Delete cancel the file under the cursor, queued or moving, naming its batch', () => {
		const batch = run(createBatch(copies(3)), {type: 'item-started', id: 0});
		const open = press(withBatch(batch), `${ctrlX}j`);
		expect(effects(press(open, f8)).at(-1)).toMatchObject({type: 'cancel-item', batchId: 7, itemId: 0});
		expect(effects(press(open, `${down}${down}${del}`)).at(-1)).toMatchObject({type: 'cancel-item', batchId: 7, itemId: 2});
	});

	it('F8 does nothing on a finished file or a folder', () => {
		const batch = run(createBatch([{kind: 'mkdir', path: '/r/d'}, ...copies(2)]), {type: 'item-done', id: 1});
		const open = press(withBatch(batch), `${ctrlX}j`);
		expect(press(open, f8)).toEqual(open);
		expect(effects(press(open, `${down}${f8}`))).toEqual(effects(open));
	});

	it('F4 and c cancel the whole batch while it runs, and nothing once it has ended', () => {
		const batch = createBatch(copies(3));
		const open = press(withBatch(batch), `${ctrlX}j`);
		expect(effects(press(open, f4)).at(-1)).toMatchObject({type: 'cancel-batch', batchId: 7});
		expect(effects(press(open, 'c')).at(-1)).toMatchObject({type: 'cancel-batch', batchId: 7});
		const ended = press(withBatch(run(batch, {type: 'batch-cancelled'})), `${ctrlX}j`);
		expect(press(ended, `${f4}c`)).toEqual(ended);
	});
});

describe('retrying from the queue view', () => {
	const failed = (id: number, kind: 'remote' | 'infected' = 'remote'): QueueEvent => ({type: 'item-failed', id, error: {kind, message: `${kind} trouble`}});

	it('r copies the failed files again from the same side, once the batch has ended: not the infected, the cancelled or the done', () => {
		const specs: QueueItemSpec[] = [{kind: 'mkdir', path: '/r'}, ...copies(5)];
		const batch = run(createBatch(specs), failed(0), {type: 'item-done', id: 1}, failed(2), failed(3, 'infected'), {type: 'item-cancelled', id: 4}, failed(5));
		const open = press(withBatch(batch, {...stateWith([]), parallel: 2}), `${ctrlX}j${end}`);
		const retried = press(open, 'r');
		expect(effects(retried).at(-1)).toMatchObject({
			type: 'retry',
			from: 'local',
			parallel: 2,
			items: [{type: 'copy', source: '/l/f1', target: '/r/f1', size: 10}, {type: 'copy', source: '/l/f4', target: '/r/f4', size: 10}],
		});
		expect(retried.batches).toBe(open.batches + 1);
		expect(retried.dialog).toEqual({type: 'queue', cursor: 0, scrollTop: 0});
		expect(retryPlan(batch).map(item => item.source)).toEqual(['/l/f1', '/l/f4']);
	});

	it('r does nothing while the batch runs, or when nothing failed', () => {
		const running = run(createBatch(copies(3)), failed(0));
		const open = press(withBatch(running), `${ctrlX}j`);
		expect(press(open, 'r')).toEqual(open);
		const clean = run(createBatch(copies(1)), {type: 'item-done', id: 0});
		const openClean = press(withBatch(clean), `${ctrlX}j`);
		expect(press(openClean, 'r')).toEqual(openClean);
	});
});

describe('the queue view and other dialogs', () => {
	it('lets a conflict question on top, and comes back once it is answered', () => {
		const open = press(withBatch(createBatch(copies(3))), `${ctrlX}j${down}`);
		const asked = reduce(open, {type: 'question', id: 4, question: {type: 'conflict', path: '/r/f1', side: 'remote'}});
		expect(asked.dialog?.type).toBe('conflict');
		const answered = press(asked, 'o');
		expect(effects(answered).at(-1)).toMatchObject({type: 'answer', questionId: 4, answer: 'overwrite'});
		expect(answered.dialog).toEqual({type: 'queue', cursor: 1, scrollTop: 0});
	});

	it('opens the help on F1 and is back when it closes', () => {
		const open = press(withBatch(createBatch(copies(3))), `${ctrlX}j${down}`);
		const help = press(open, '\u001BOP');
		expect(help.dialog?.type).toBe('help');
		expect(press(help, '\u001B\u001B').dialog).toEqual({type: 'queue', cursor: 1, scrollTop: 0});
	});

	it('is in the help, with the keys that cancel and retry', () => {
		const help = helpLines().join('\n');
		expect(help).toMatch(/Ctrl-X j +Transfer queue/);
		expect(help).toMatch(/F8 Del +Cancel the file under the cursor/);
		expect(help).toMatch(/F4 c +Cancel the whole batch/);
		expect(help).toMatch(/r +Retry the failed files/);
	});
});
