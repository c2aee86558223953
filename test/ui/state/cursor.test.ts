import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {clampViewport, cursorTo, moveCursor, scrollBy, stepCursor, turnPage} from '../../../source/ui/state/cursor.js';

describe('cursor arithmetic', () => {
	it('scrolls just enough to follow the cursor down and up', () => {
		expect(moveCursor({cursor: 9, scrollTop: 0}, 1, 100, 10)).toEqual({cursor: 10, scrollTop: 1});
		expect(moveCursor({cursor: 5, scrollTop: 5}, -1, 100, 10)).toEqual({cursor: 4, scrollTop: 4});
	});

	it('steps a file pane as mc does: past the window\'s edge, the window jumps half a screen', () => {
		// Inside the window only the cursor moves.
		expect(stepCursor({cursor: 3, scrollTop: 0}, 1, 100, 10)).toEqual({cursor: 4, scrollTop: 0});
		expect(stepCursor({cursor: 9, scrollTop: 0}, 1, 100, 10)).toEqual({cursor: 10, scrollTop: 5});
		expect(stepCursor({cursor: 10, scrollTop: 5}, 1, 100, 10)).toEqual({cursor: 11, scrollTop: 5});
		expect(stepCursor({cursor: 5, scrollTop: 5}, -1, 100, 10)).toEqual({cursor: 4, scrollTop: 0});
		// Odd heights: half rounds down, as mc's items / 2.
		expect(stepCursor({cursor: 6, scrollTop: 0}, 1, 100, 7)).toEqual({cursor: 7, scrollTop: 3});
	});

	it('never jumps past either end of the listing, and a one-row window still follows', () => {
		// The last jump stops where the last entry fills the last row.
		expect(stepCursor({cursor: 95, scrollTop: 86}, 1, 100, 10)).toEqual({cursor: 96, scrollTop: 90});
		expect(stepCursor({cursor: 99, scrollTop: 90}, 1, 100, 10)).toEqual({cursor: 99, scrollTop: 90});
		expect(stepCursor({cursor: 2, scrollTop: 2}, -1, 100, 10)).toEqual({cursor: 1, scrollTop: 0});
		expect(stepCursor({cursor: 0, scrollTop: 0}, -1, 100, 10)).toEqual({cursor: 0, scrollTop: 0});
		expect(stepCursor({cursor: 4, scrollTop: 4}, 1, 100, 1)).toEqual({cursor: 5, scrollTop: 5});
		expect(stepCursor({cursor: 0, scrollTop: 0}, 1, 0, 10)).toEqual({cursor: 0, scrollTop: 0});
	});

	it('stops at both ends', () => {
		expect(moveCursor({cursor: 0, scrollTop: 0}, -1, 100, 10)).toEqual({cursor: 0, scrollTop: 0});
		expect(moveCursor({cursor: 99, scrollTop: 90}, 1, 100, 10)).toEqual({cursor: 99, scrollTop: 90});
	});

	it('turns pages MC style: the cursor keeps its row', () => {
		expect(turnPage({cursor: 3, scrollTop: 0}, 1, 100, 10)).toEqual({cursor: 13, scrollTop: 10});
		expect(turnPage({cursor: 13, scrollTop: 10}, -1, 100, 10)).toEqual({cursor: 3, scrollTop: 0});
	});

	it('moves the window only as far as it can, then the cursor to the end', () => {
		expect(turnPage({cursor: 90, scrollTop: 85}, 1, 100, 10)).toEqual({cursor: 95, scrollTop: 90});
		expect(turnPage({cursor: 95, scrollTop: 90}, 1, 100, 10)).toEqual({cursor: 99, scrollTop: 90});
		expect(turnPage({cursor: 3, scrollTop: 0}, -1, 100, 10)).toEqual({cursor: 0, scrollTop: 0});
	});

	it('handles lists shorter than the window and empty lists', () => {
		expect(turnPage({cursor: 0, scrollTop: 0}, 1, 5, 10)).toEqual({cursor: 4, scrollTop: 0});
		expect(cursorTo({cursor: 0, scrollTop: 0}, 7, 0, 10)).toEqual({cursor: 0, scrollTop: 0});
	});

	it('always leaves the cursor inside the list and on screen', () => {
		fc.assert(fc.property(
			fc.integer({min: 0, max: 500}),
			fc.integer({min: 1, max: 60}),
			fc.integer({min: -1000, max: 1000}),
			fc.integer({min: -1000, max: 1000}),
			fc.integer({min: -100, max: 100}),
			(count, rows, cursor, scrollTop, delta) => {
				const result = moveCursor(clampViewport({cursor, scrollTop}, count, rows), delta, count, rows);
				const paged = turnPage(result, delta >= 0 ? 1 : -1, count, rows);
				const stepped = stepCursor({cursor, scrollTop}, delta >= 0 ? 1 : -1, count, rows);
				for (const viewport of [result, paged, stepped]) {
					expect(viewport.cursor).toBeGreaterThanOrEqual(0);
					expect(viewport.cursor).toBeLessThan(Math.max(1, count));
					expect(viewport.cursor).toBeGreaterThanOrEqual(viewport.scrollTop);
					expect(viewport.cursor).toBeLessThan(viewport.scrollTop + rows);
					expect(viewport.scrollTop).toBeLessThanOrEqual(Math.max(0, count - rows));
				}
			},
		));
	});

	it('scrolls read-only lists within bounds', () => {
		expect(scrollBy(0, -5, 100, 10)).toBe(0);
		expect(scrollBy(85, 20, 100, 10)).toBe(90);
		expect(scrollBy(0, 5, 3, 10)).toBe(0);
	});
});
