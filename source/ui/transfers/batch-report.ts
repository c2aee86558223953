import type {UiError} from '../../engine/api/errors.js';
import type {Action} from '../state/app-state.js';
import {sanitize} from '../view/text-width.js';

/** At most this many error dialogs for one batch: forty files failing for one lost connection is not forty dialogs. */
const maxErrorDialogs = 3;
const maxSkippedLines = 6;

/**
 * Tells the user how a batch went: every virus verdict gets its own dialog (it must not be missed),
 * other failures one dialog per distinct message up to a few, and entries that could not be copied one notice.
 */
export function reportBatch(
	failures: ReadonlyArray<{path: string; error: UiError}>,
	skipped: ReadonlyArray<{path: string; reason: string}>,
	dispatch: (action: Action) => void,
): void {
	const seen = new Set<string>();
	let shown = 0;
	let hidden = 0;
	for (const {error} of failures) {
		if (error.kind === 'cancelled' || seen.has(error.message)) {
			continue;
		}

		seen.add(error.message);
		if (error.kind !== 'infected' && shown >= maxErrorDialogs) {
			hidden++;
			continue;
		}

		if (error.kind !== 'infected') {
			shown++;
		}

		dispatch({type: 'operation-failed', error});
	}

	if (hidden > 0) {
		dispatch({type: 'notice', title: 'More errors', lines: [`${hidden} more ${hidden === 1 ? 'error' : 'errors'}; the transfer list shows each file.`]});
	}

	if (skipped.length > 0) {
		const lines = skipped.slice(0, maxSkippedLines).map(item => `${sanitize(item.path)}: ${sanitize(item.reason)}`);
		if (skipped.length > maxSkippedLines) {
			lines.push(`and ${skipped.length - maxSkippedLines} more`);
		}

		dispatch({type: 'notice', title: 'Not copied', lines});
	}
}
