import type {ConflictAnswer} from '../engine/api/engine-api.js';

/** One answer to a conflict: its label, the letter that gives it, and the mc habit it follows. */
export type ConflictAnswerKey = {readonly answer: ConflictAnswer; readonly label: string; readonly hotkey: string; readonly habit: string};

/**
 * The answers to "the file is already there", left to right, as data: the TUI's conflict dialog shows them as
 * buttons and the batch CLI's `--on-conflict ask` prompt takes the same letters. The letters are ftpane's own
 * where mc's clash with each other (mc gives Overwrite older the `o` that ftpane's Overwrite has held since it began).
 */
export const conflictAnswerKeys: readonly ConflictAnswerKey[] = [
	{answer: 'overwrite', label: 'Overwrite', hotkey: 'o', habit: 'mc: Yes (this file)'},
	{answer: 'overwrite-all', label: 'All', hotkey: 'a', habit: 'mc: All (every later file too)'},
	{answer: 'older', label: 'Older', hotkey: 'd', habit: 'mc: Older (every file whose destination is older)'},
	{answer: 'size-differs', label: 'Size differs', hotkey: 'z', habit: 'mc: Size differs (every file whose size differs)'},
	{answer: 'skip', label: 'Skip', hotkey: 's', habit: 'mc: No (this file)'},
	{answer: 'skip-all', label: 'Skip all', hotkey: 'k', habit: 'mc: None (every later file too)'},
	{answer: 'resume', label: 'Resume', hotkey: 'r', habit: 'mc: Reget'},
	{answer: 'rename', label: 'Rename', hotkey: 'n', habit: 'termscp: rename beside'},
	{answer: 'abort', label: 'Abort', hotkey: 'b', habit: 'mc: Abort (the whole batch)'},
];

/** The answer a typed letter gives, if any (case does not matter). */
export function conflictAnswerFor(letter: string): ConflictAnswer | undefined {
	return conflictAnswerKeys.find(key => key.hotkey === letter.toLowerCase())?.answer;
}
