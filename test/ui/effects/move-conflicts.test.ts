import {describe, expect, it} from 'vitest';
import type {ConflictAnswer, Question} from '../../../source/engine/api/engine-api.js';
import type {FileEntry} from '../../../source/engine/api/file-entry.js';
import {settleMoveConflicts} from '../../../source/ui/effects/move-conflicts.js';

// F6 onto a name that is there asks as mc's move does; the answers decide which renames are made, and to what.
const old = new Date('2026-01-01T00:00:00Z');
const recent = new Date('2026-06-01T00:00:00Z');
const listings: Record<string, FileEntry[]> = {
	'/d': [
		{name: 'a.txt', type: 'file', size: 1, modified: recent},
		{name: 'b.txt', type: 'file', size: 2, modified: old},
		{name: 'c.txt', type: 'file', size: 3, modified: recent},
		{name: 'sub', type: 'dir'},
		{name: 'link', type: 'link', target: 'a.txt'},
	],
	'/d/sub': [
		{name: 'a.txt', type: 'file', size: 9, modified: old},
		{name: 'b.txt', type: 'file', size: 9, modified: recent},
		{name: 'c.txt', type: 'dir'},
		{name: 'a (1).txt', type: 'file', size: 1},
	],
};

async function settle(moves: Array<{from: string; to: string}>, answers: ConflictAnswer[]) {
	const asked: Array<Extract<Question, {type: 'conflict'}>> = [];
	const result = await settleMoveConflicts(moves, 'remote', async dir => listings[dir] ?? [], async question => {
		asked.push(question);
		const answer = answers.shift();
		if (answer === undefined) {
			throw new Error(`not expected to ask about ${question.path}`);
		}

		return answer;
	});
	return {...result, asked};
}

describe('settleMoveConflicts', () => {
	it('asks only for an existing file or link, with both sides\' facts; a new name or a directory goes ahead', async () => {
		const {moves, aborted, asked} = await settle([
			{from: '/d/a.txt', to: '/d/new.txt'},
			{from: '/d/c.txt', to: '/d/sub/c.txt'},
			{from: '/d/a.txt', to: '/d/link'},
		], ['overwrite']);
		expect(aborted).toBe(false);
		expect(asked).toEqual([{type: 'conflict', path: '/d/link', side: 'remote', existingSize: undefined, existingModified: undefined, newSize: 1, newModified: recent}]);
		expect(moves).toEqual([{from: '/d/a.txt', to: '/d/new.txt'}, {from: '/d/c.txt', to: '/d/sub/c.txt'}, {from: '/d/a.txt', to: '/d/link'}]);
	});

	it('Skip drops the rename, Rename picks a free name, Resume (which a rename cannot do) skips', async () => {
		const {moves} = await settle([
			{from: '/d/a.txt', to: '/d/b.txt'},
			{from: '/d/a.txt', to: '/d/sub/a.txt'},
			{from: '/d/b.txt', to: '/d/sub/b.txt'},
		], ['skip', 'rename', 'resume']);
		expect(moves).toEqual([{from: '/d/a.txt', to: '/d/sub/a (2).txt'}]);
	});

	it('an answer for all holds for the rest: Older replaces only an older file, without asking again', async () => {
		const {moves, asked} = await settle([
			{from: '/d/a.txt', to: '/d/sub/a.txt'},
			{from: '/d/b.txt', to: '/d/sub/b.txt'},
		], ['older']);
		expect(asked).toHaveLength(1);
		// a.txt (June) replaces the January one; b.txt (January) does not replace the June one.
		expect(moves).toEqual([{from: '/d/a.txt', to: '/d/sub/a.txt'}]);
	});

	it('Abort stops: only what was settled before it is kept', async () => {
		const {moves, aborted} = await settle([
			{from: '/d/c.txt', to: '/d/new.txt'},
			{from: '/d/a.txt', to: '/d/b.txt'},
			{from: '/d/b.txt', to: '/d/other.txt'},
		], ['abort']);
		expect(aborted).toBe(true);
		expect(moves).toEqual([{from: '/d/c.txt', to: '/d/new.txt'}]);
	});
});
