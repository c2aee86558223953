import {Box, Text} from 'ink';
import {memo} from 'react';
import {paneChromeRows} from '../ui/view/layout.js';
import {entryCells, footerText, headerRow, miniStatus, paneColumns} from '../ui/view/pane-rows.js';
import {clampViewport} from '../ui/state/cursor.js';
import type {PaneState} from '../ui/state/pane.js';
import {fitToWidth, sanitize} from '../ui/view/text-width.js';

/** Props of `Pane`. */
export type PaneProps = {
	readonly pane: PaneState;
	/** Shown in the top line: the path, with the host for the remote side. */
	readonly title: string;
	readonly width: number;
	readonly height: number;
	readonly active: boolean;
	/** The quick search's text while one runs in this pane: shown in the bottom line, as mc shows it. */
	readonly search?: string;
};

/**
 * One file pane, MC style. Renders only the rows on screen, so a directory of 100,000 entries
 * costs the same per key press as one of ten.
 */
export const Pane = memo(function Pane({pane, title, width, height, active, search}: PaneProps) {
	const inner = Math.max(1, width - 2);
	const listRows = Math.max(1, height - paneChromeRows);
	const columns = paneColumns(inner);
	// The reducer's window is sized for the same rows; clamping again covers the render between a resize and its action.
	const {scrollTop, cursor} = clampViewport(pane, pane.visible.length, listRows);
	const shown = pane.visible.slice(scrollTop, scrollTop + listRows);
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="single" borderColor={active ? 'cyan' : 'gray'}>
			<Text bold inverse={active} wrap="truncate">{fitToWidth(sanitize(title), inner)}</Text>
			<Text dimColor wrap="truncate">{headerRow(columns, pane.view)}</Text>
			{shown.map((entry, index) => {
				const cells = entryCells(entry, columns);
				return (
					<PaneRow
						// Rows are positions on screen, not entries: scrolling re-uses the same row components.
						key={index}
						name={cells.name}
						rest={cells.rest}
						nameWidth={columns.name}
						isCursor={active && scrollTop + index === cursor}
						isMarked={pane.marked.has(entry.name)}
						isDir={entry.type === 'dir'}
					/>
				);
			})}
			{/* Rows below the last entry stay blank: nothing drawn there costs nothing. */}
			<Box height={listRows - shown.length}/>
			<Text wrap="truncate" dimColor={!active}>{miniStatus(pane.visible[cursor], inner)}</Text>
			{search === undefined
				? <Text wrap="truncate">{fitToWidth(footerText(pane), inner)}</Text>
				: <Text wrap="truncate" inverse>{fitToWidth(`Search: ${sanitize(search)}`, inner)}</Text>}
		</Box>
	);
});

type PaneRowProps = {
	readonly name: string;
	readonly rest: string;
	readonly nameWidth: number;
	readonly isCursor: boolean;
	readonly isMarked: boolean;
	readonly isDir: boolean;
};

// One `<Text>` a row, the cursor's too: moving the cursor changes two rows' props, not their nodes, and Ink lays out
// and draws one node a row instead of four (the rows of boxes cost 15 to 40 % more CPU per Down key).
const PaneRow = memo(function PaneRow({name, rest, nameWidth, isCursor, isMarked, isDir}: PaneRowProps) {
	// The cursor bar is inverse across the whole row, padding included.
	return (
		<Text wrap="truncate" inverse={isCursor} bold={isMarked || isDir} color={isMarked ? 'yellow' : undefined}>
			{fitToWidth(name, nameWidth) + rest}
		</Text>
	);
});
