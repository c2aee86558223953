import {afterEach, describe, expect, it} from 'vitest';
import {renderApp, waitFor} from './helpers.js';

const apps: Array<{unmount: () => void}> = [];

afterEach(() => {
	for (const app of apps.splice(0)) {
		app.unmount();
	}
});

describe('the status line', () => {
	it('says why F5 did nothing (not connected), in the transfer strip\'s row, or the key bar\'s on a short terminal; the next key clears it', async () => {
		for (const height of [24, 12]) {
			const app = renderApp({height});
			apps.push(app);
			// eslint-disable-next-line no-await-in-loop
			await waitFor(() => expect(app.frame()).toContain('a.txt'));
			// eslint-disable-next-line no-await-in-loop
			await app.press('\u001B[15~');
			// eslint-disable-next-line no-await-in-loop
			await waitFor(() => expect(app.frame()).toContain('press F2 or Ctrl-O'));
			const rows = app.frame().split('\n');
			expect(rows.findIndex(row => row.includes('press F2 or Ctrl-O'))).toBe(height === 24 ? rows.findIndex(row => row.startsWith('└')) + 1 : rows.length - 1);
			// eslint-disable-next-line no-await-in-loop
			await app.press('\u001B[B');
			// eslint-disable-next-line no-await-in-loop
			await waitFor(() => expect(app.frame()).not.toContain('press F2 or Ctrl-O'));
			expect(app.frame()).toContain('10Quit');
		}
	});
});
