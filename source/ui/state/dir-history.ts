/**
 * The directories a pane has shown, oldest first, as mc's per-panel directory history (Alt-y back, Alt-u forward,
 * Alt-Shift-H the list). `at` is the one shown now; `going` the one Alt-y, Alt-u or the list asked for, until its
 * listing arrives: that visit moves `at` instead of adding to the list.
 */
export type DirHistory = {readonly paths: readonly string[]; readonly at: number; readonly going?: number};

/** A pane that has shown nothing yet. */
export const emptyHistory: DirHistory = {paths: [], at: -1};

/** The most directories a pane remembers; the oldest go first. */
export const historyLimit = 50;

/** A directory shown: the one history asked for moves `at` there; any other drops what was ahead and goes last. */
export function recordVisit(history: DirHistory, path: string): DirHistory {
	if (history.going !== undefined && history.paths[history.going] === path) {
		return {paths: history.paths, at: history.going};
	}

	if (history.paths[history.at] === path) {
		return history.going === undefined ? history : {paths: history.paths, at: history.at};
	}

	const paths = [...history.paths.slice(0, history.at + 1), path].slice(-historyLimit);
	return {paths, at: paths.length - 1};
}

/** The history step `delta` away (-1 back, +1 forward), if there is one: where to go and the history on the way. */
export function historyStep(history: DirHistory, delta: number): {readonly path: string; readonly history: DirHistory} | undefined {
	return historyJump(history, history.at + delta);
}

/** Going to entry `index` of the list (Alt-Shift-H). */
export function historyJump(history: DirHistory, index: number): {readonly path: string; readonly history: DirHistory} | undefined {
	const path = history.paths[index];
	return path === undefined || index === history.at ? undefined : {path, history: {...history, going: index}};
}
