import type {AppState} from './app-state.js';
import {openDialog} from './transitions.js';

/** Stop: the running file or every transfer (copies, deletes and lone transfers such as an edit's), or why not. */
export function openStopTransfer(state: AppState): AppState {
	if (state.activeJobs.length === 0 && state.batches === 0) {
		return openDialog(state, {type: 'notice', title: 'Stop', lines: ['No transfer is running.'], focus: 0});
	}

	const [job, ...others] = state.activeJobs;
	return openDialog(state, {type: 'cancel-job', ...(job ? {job} : {}), others: others.length, focus: 0});
}
