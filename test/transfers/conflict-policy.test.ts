import {describe, expect, it} from 'vitest';
import type {ConflictAnswer} from '../../source/engine/api/engine-api.js';
import {compareTimes, policyAfter, resolveConflict, type ConflictChoice, type ConflictFacts} from '../../source/transfers/conflict-policy.js';

const at = (iso: string) => new Date(iso);
const existing: ConflictFacts = {size: 100, modified: at('2024-05-01T10:00:00.000Z')};
/** The file being copied, against `existing`: newer or older, of the same size or not. */
const sources: Record<string, ConflictFacts> = {
	'newer, same size': {size: 100, modified: at('2024-05-02T10:00:00.000Z')},
	'newer, different size': {size: 7, modified: at('2024-05-02T10:00:00.000Z')},
	'older, same size': {size: 100, modified: at('2024-04-30T10:00:00.000Z')},
	'older, different size': {size: 7, modified: at('2024-04-30T10:00:00.000Z')},
	'same time, same size': {size: 100, modified: at('2024-05-01T10:00:00.000Z')},
	'same time, different size': {size: 7, modified: at('2024-05-01T10:00:00.000Z')},
};

const overwrite = 'overwrite';
const skip = (reason: string) => `skip: ${reason}`;
const notNewer = skip('not newer than the existing file');
const sameSize = skip('same size as the existing file');
const same = skip('same size and modification time as the existing file');
const exists = skip('already exists');

/** Every choice (the dialog's answers and the CLI's rules) against every kind of source, row by row as in `sources`. */
const expected: Record<ConflictChoice, string[]> = {
	overwrite: [overwrite, overwrite, overwrite, overwrite, overwrite, overwrite],
	'overwrite-all': [overwrite, overwrite, overwrite, overwrite, overwrite, overwrite],
	skip: [exists, exists, exists, exists, exists, exists],
	'skip-all': [exists, exists, exists, exists, exists, exists],
	resume: ['resume', 'resume', 'resume', 'resume', 'resume', 'resume'],
	rename: ['rename', 'rename', 'rename', 'rename', 'rename', 'rename'],
	older: [overwrite, overwrite, notNewer, notNewer, notNewer, notNewer],
	newer: [overwrite, overwrite, notNewer, notNewer, notNewer, notNewer],
	'size-differs': [sameSize, overwrite, sameSize, overwrite, sameSize, overwrite],
	different: [overwrite, overwrite, overwrite, overwrite, same, overwrite],
};

function shown(choice: ConflictChoice, source: ConflictFacts, there: ConflictFacts = existing): string {
	const action = resolveConflict(choice, source, there);
	return action.type === 'skip' ? skip(action.reason) : action.type;
}

describe('resolveConflict', () => {
	for (const [choice, row] of Object.entries(expected) as Array<[ConflictChoice, string[]]>) {
		it(`${choice}: newer/older x same/different size`, () => {
			expect(Object.values(sources).map(source => shown(choice, source))).toEqual(row);
		});
	}

	it('skips, saying why, when what a rule compares is not known', () => {
		expect(shown('newer', {size: 1}, existing)).toBe(skip('cannot tell which is newer: a modification time is not known'));
		expect(shown('older', existing, {size: 1})).toBe(skip('cannot tell which is newer: a modification time is not known'));
		expect(shown('size-differs', {modified: existing.modified}, existing)).toBe(skip('cannot compare sizes: a size is not known'));
		expect(shown('different', {size: 100}, existing)).toBe(skip('cannot tell whether it differs: a size or modification time is not known'));
		// What is known and differs is enough.
		expect(shown('different', {size: 7}, existing)).toBe(overwrite);
	});

	it('compares times only as precisely as the coarser side gives them (an ls -l listing: minutes, or the day)', () => {
		const listedMinute = at('2024-05-01T10:00:00.000Z');
		expect(shown('newer', {size: 1, modified: at('2024-05-01T10:00:42.123Z')}, {size: 1, modified: listedMinute})).toBe(notNewer);
		expect(shown('newer', {size: 1, modified: at('2024-05-01T10:01:00.500Z')}, {size: 1, modified: listedMinute})).toBe(overwrite);
		expect(shown('different', {size: 1, modified: at('2024-05-01T10:00:42.123Z')}, {size: 1, modified: listedMinute})).toBe(same);
		const listedDay = at('2023-01-01T00:00:00.000Z');
		expect(compareTimes(at('2023-01-01T17:30:12.345Z'), listedDay)).toBe(0);
		expect(compareTimes(at('2023-01-02T00:00:00.001Z'), listedDay)).toBe(1);
		expect(compareTimes(at('2024-05-01T10:00:00.001Z'), at('2024-05-01T10:00:00.002Z'))).toBe(-1);
		expect(compareTimes(undefined, listedDay)).toBeUndefined();
	});
});

describe('policyAfter', () => {
	it('keeps All, Skip all, Older and Size differs for the rest of the batch; the others ask again', () => {
		const answers: Array<Exclude<ConflictAnswer, 'abort'>> = ['overwrite', 'overwrite-all', 'older', 'size-differs', 'skip', 'skip-all', 'resume', 'rename'];
		expect(answers.map(answer => policyAfter(answer, 'ask'))).toEqual(['ask', 'overwrite-all', 'older', 'size-differs', 'ask', 'skip-all', 'ask', 'ask']);
	});
});
