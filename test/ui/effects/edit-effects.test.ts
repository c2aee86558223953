import {describe, expect, it} from 'vitest';
import {changedMeanwhile, editTarget, wasSaved} from '../../../source/ui/effects/edit-effects.js';

const at = (text: string) => new Date(text);

describe('F4: was the file saved, did the server change it meanwhile, where does the edit go', () => {
	it('counts a new modification time or new bytes as saved', () => {
		const before = {size: 9, mtimeMs: 1000, sha256: 'a'};
		expect(wasSaved(before, {...before})).toBe(false);
		expect(wasSaved(before, {...before, mtimeMs: 2000})).toBe(true);
		expect(wasSaved(before, {...before, sha256: 'b'})).toBe(true);
	});

	it('compares a fresh listing with the one taken at fetch time, at the listing\'s precision', () => {
		const fetched = {size: 9, modified: at('2026-12-01T10:15:00Z')};
		expect(changedMeanwhile(fetched, {size: 9, modified: at('2026-12-01T10:15:00Z')})).toBe(false);
		expect(changedMeanwhile(fetched, {size: 10, modified: at('2026-12-01T10:15:00Z')})).toBe(true);
		expect(changedMeanwhile(fetched, {size: 9, modified: at('2026-12-01T10:16:00Z')})).toBe(true);
		// A time known now and not before (or the other way) is a different listing.
		expect(changedMeanwhile({size: 9}, {size: 9, modified: at('2026-12-01T10:16:00Z')})).toBe(true);
		// Gone meanwhile: saving puts it back, there is nothing to overwrite.
		expect(changedMeanwhile(fetched, undefined)).toBe(false);
	});

	it('follows the conflict answer: overwrite, a free name beside, or not at all', () => {
		const saved = {size: 20, modified: at('2026-12-01T11:00:00Z')};
		const now = {size: 30, modified: at('2026-12-01T10:30:00Z')};
		const siblings = ['notes.txt', 'notes (1).txt'];
		expect(editTarget('overwrite', '/pub/notes.txt', saved, now, siblings)).toEqual({target: '/pub/notes.txt'});
		expect(editTarget('rename', '/pub/notes.txt', saved, now, siblings)).toEqual({target: '/pub/notes (2).txt'});
		expect(editTarget('older', '/pub/notes.txt', saved, now, siblings)).toEqual({target: '/pub/notes.txt'});
		expect(editTarget('older', '/pub/notes.txt', {...saved, modified: at('2026-12-01T10:00:00Z')}, now, siblings)).toEqual({skipped: 'not uploaded: not newer than the existing file'});
		expect(editTarget('skip', '/pub/notes.txt', saved, now, siblings)).toEqual({skipped: 'not uploaded: already exists'});
		expect(editTarget('resume', '/pub/notes.txt', saved, now, siblings)).toEqual({skipped: 'an edited file cannot be resumed'});
		expect(editTarget('abort', '/pub/notes.txt', saved, now, siblings)).toEqual({skipped: 'not uploaded, as asked'});
	});
});
