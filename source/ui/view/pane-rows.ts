import type {FileEntry} from '../../engine/api/file-entry.js';
import {formatBytes, formatDate, formatSize} from './format.js';
import type {PaneState} from '../state/pane.js';
import {fitToWidth, fitToWidthRight, sanitize, truncateToWidth} from './text-width.js';

/** Widths of a pane's columns; 0 means the column does not fit and is left out. */
export type Columns = {readonly name: number; readonly size: number; readonly date: number; readonly permissions: number};

const sizeWidth = 7;
const dateWidth = 16;
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

/** The column titles row. */
export function headerRow(columns: Columns): string {
	return joinColumns(columns, {name: fitToWidth(' Name', columns.name), size: fitToWidthRight('Size', columns.size), date: fitToWidth('Modified', columns.date), permissions: fitToWidth('Perms', columns.permissions)});
}

/** One entry as a row of exactly the pane's width; only called for rows on screen. */
export function entryRow(entry: FileEntry, columns: Columns): string {
	const cells = entryCells(entry, columns);
	return fitToWidth(cells.name, columns.name) + cells.rest;
}

/**
 * One entry as its name, cut to the name column but not padded, and the columns after it. Drawing the two apart
 * leaves the padding to the blank screen: at 200 columns half of a row is padding, and every character drawn costs.
 */
export function entryCells(entry: FileEntry, columns: Columns): {readonly name: string; readonly rest: string} {
	const name = truncateToWidth(typeMark(entry) + sanitize(entry.name), columns.name);
	const full = joinColumns(columns, {
		name: '',
		size: fitToWidthRight(sizeText(entry), columns.size),
		date: fitToWidth(formatDate(entry.modified), columns.date),
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
		parts.push(`${count} ${count === 1 ? 'entry' : 'entries'}`);
	}

	if (pane.filter !== '') {
		parts.push(`filter: ${sanitize(pane.filter)}`);
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

	return entry.size === undefined ? '' : formatSize(entry.size, sizeWidth);
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
