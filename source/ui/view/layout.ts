/** Where everything goes on a terminal of a given size; pure, so the reducer and the components agree. */
export type Layout = {
	readonly width: number;
	/** Rows actually drawn: one fewer than the terminal has. */
	readonly height: number;
	readonly leftWidth: number;
	readonly rightWidth: number;
	readonly paneHeight: number;
	/** Entry rows inside a pane. */
	readonly listRows: number;
	readonly queueRows: number;
	readonly logRows: number;
	/** Text rows inside the help and viewer dialogs. */
	readonly scrollRows: number;
};

/** Border (2), path, column titles, the mini-status line and the footer take six rows of each pane. */
export const paneChromeRows = 6;

/** Lays out a terminal of `columns` x `rows`; with `transcript` false (Ctrl-X t) its rows go to the panes. */
export function computeLayout(columns: number, rows: number, options: {readonly transcript?: boolean} = {}): Layout {
	const width = Math.max(20, columns);
	// Ink clears the whole screen on every render when a frame is as tall as the terminal, so stay one row short.
	const height = Math.max(8, rows - 1);
	const queueRows = height >= 30 ? 3 : (height >= 16 ? 1 : 0);
	const logRows = options.transcript === false ? 0 : (height >= 30 ? 4 : (height >= 20 ? 2 : 0));
	const paneHeight = height - 1 - queueRows - logRows;
	const leftWidth = Math.ceil(width / 2);
	return {
		width,
		height,
		leftWidth,
		rightWidth: width - leftWidth,
		paneHeight,
		listRows: Math.max(1, paneHeight - paneChromeRows),
		queueRows,
		logRows,
		scrollRows: Math.max(1, height - 6),
	};
}
