import type {FileEntry} from '../../engine/api/file-entry.js';
import {formatBytes, formatDate, formatShortDate, sizeColumnWidth} from './format.js';
import type {PaneState} from '../state/pane.js';
import type {SortKey} from '../state/pane-view.js';
import type {SortOrder} from '../state/sort-entries.js';
import {displayWidth, fitToWidth, fitToWidthRight, sanitize, truncateToWidth} from './text-width.js';

/** Widths of a pane's columns; 0 means the column does not fit and is left out. */
export type Columns = {readonly name: number; readonly size: number; readonly date: number; readonly permissions: number};

const sizeWidth = sizeColumnWidth;
// `Dec  1 21:07`: the full date and time are on the mini-status line, so the names get the room.
const dateWidth = 12;
const permissionsWidth = 10;
const minimumName = 8;

/** Chooses columns for `width` cells: name always, then size, date and permissions as room allows. */
export function paneColumns(width: number): Columns {
	const withSize = minimumName + 1 + sizeWidth;
	const withDate = withSize + 1 + dateWidth;
	const withPermissions = withDate + 1 + permissionsWidth;
	if (width >= withPermissions) {
		return {name: width - (withPermissions - minimumName), size: sizeWidth, date: dateWidth, permissions: permissionsWidth};
	}

	if (width >= withDate) {
		return {name: width - (withDate - minimumName), size: sizeWidth, date: dateWidth, permissions: 0};
	}

	if (width >= withSize) {
		return {name: width - (withSize - minimumName), size: sizeWidth, date: 0, permissions: 0};
	}

	return {name: Math.max(0, width), size: 0, date: 0, permissions: 0};
}

/** The column titles row; the column the pane is sorted by carries an arrow, as mc marks it (`↑`, or `↓` reversed). */
export function headerRow(columns: Columns, order: SortOrder = {sort: 'name', reverse: false}): string {
	const arrow = order.reverse ? '↓' : '↑';
	const mark = (sort: SortKey, title: string) => (order.sort === sort ? title + arrow : title);
	return joinColumns(columns, {
		name: fitToWidth(order.sort === 'extension' ? ` Name.ext${arrow}` : mark('name', ' Name'), columns.name),
		size: fitToWidthRight(mark('size', 'Size'), columns.size),
		date: fitToWidth(mark('time', 'Modified'), columns.date),
		permissions: fitToWidth('Perms', columns.permissions),
	});
}

/** One entry as a row of exactly the pane's width; only called for rows on screen. */
export function entryRow(entry: FileEntry, columns: Columns, now?: Date): string {
	const cells = entryCells(entry, columns, now);
	return fitToWidth(cells.name, columns.name) + cells.rest;
}

/**
 * One entry as its name, cut to the name column but not padded, and the columns after it. Drawing the two apart
 * leaves the padding to the blank screen: at 200 columns half of a row is padding, and every character drawn costs.
 */
export function entryCells(entry: FileEntry, columns: Columns, now?: Date): {readonly name: string; readonly rest: string} {
	const name = truncateToWidth(typeMark(entry) + sanitize(entry.name), columns.name);
	const full = joinColumns(columns, {
		name: '',
		size: fitToWidthRight(sizeText(entry), columns.size),
		date: fitToWidth(formatShortDate(entry.modified, now), columns.date),
		permissions: fitToWidth(sanitize(entry.permissions ?? ''), columns.permissions),
	});
	return {name, rest: full};
}

/** The pane's bottom line: marked total when anything is marked, else the entry count; plus filter and loading state. */
export function footerText(pane: PaneState): string {
	const parts: string[] = [];
	if (pane.status === 'disconnected') {
		return 'Not connected: F2 to connect';
	}

	if (pane.marked.size > 0) {
		parts.push(`${formatBytes(pane.markedBytes)} in ${pane.marked.size} marked`);
	} else {
		const count = pane.visible.length - (pane.visible[0]?.name === '..' ? 1 : 0);
		// While a directory's listing still arrives, the count is of what has come.
		parts.push(`${count} ${count === 1 ? 'entry' : 'entries'}${pane.arrival?.shown ? ' so far' : ''}`);
	}

	if (pane.filter !== '') {
		parts.push(`filter: ${sanitize(pane.filter)}`);
	}

	if (!pane.view.showHidden && pane.entries.length < pane.listing.length) {
		// Say so, or a missing .htaccess looks like a missing file.
		parts.push(`${pane.listing.length - pane.entries.length} hidden (Alt-.)`);
	}

	if (pane.status === 'loading') {
		parts.push('loading...');
	}

	return parts.join(', ');
}

function typeMark(entry: FileEntry): string {
	if (entry.type === 'dir') {
		return '/';
	}

	return entry.type === 'link' ? '@' : ' ';
}

function sizeText(entry: FileEntry): string {
	if (entry.name === '..') {
		return 'UP--DIR';
	}

	if (entry.type === 'dir') {
		return '<DIR>';
	}

	return entry.size === undefined ? '' : formatBytes(entry.size);
}

/**
 * The mini-status line under a pane, as mc's: the whole name of the entry under the cursor (a link with its target),
 * then its exact size and full date at the right; the name is cut first when the pane is narrow.
 */
export function miniStatus(entry: FileEntry | undefined, width: number): string {
	if (!entry) {
		return ' '.repeat(Math.max(0, width));
	}

	const name = sanitize(entry.name) + (entry.target ? ` -> ${sanitize(entry.target)}` : '');
	const facts = [miniSize(entry), formatDate(entry.modified)].filter(text => text !== '').join('  ');
	const room = width - (facts === '' ? 0 : displayWidth(facts) + 1);
	if (room < 8) {
		return fitToWidth(name, width);
	}

	return fitToWidth(name, room) + (facts === '' ? '' : ` ${facts}`);
}

function miniSize(entry: FileEntry): string {
	if (entry.name === '..') {
		return 'UP--DIR';
	}

	if (entry.type === 'dir') {
		return '<DIR>';
	}

	if (entry.size === undefined) {
		return '';
	}

	// Exact bytes, grouped; the column above has the short form.
	return entry.size < 1024 ? `${entry.size} B` : `${entry.size.toLocaleString('en-US')} B (${formatBytes(entry.size)})`;
}

function joinColumns(columns: Columns, cells: Record<keyof Columns, string>): string {
	let row = cells.name;
	for (const key of ['size', 'date', 'permissions'] as const) {
		if (columns[key] > 0) {
			row += `│${cells[key]}`;
		}
	}

	return row;
}
