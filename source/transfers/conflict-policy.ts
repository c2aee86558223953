import type {ConflictAnswer} from '../engine/api/engine-api.js';
import type {FileEntry} from '../engine/api/file-entry.js';

/**
 * What the batch CLI's `--on-conflict` settles every conflict with (`ask` aside): overwrite, skip, resume,
 * rename, `newer` (overwrite only an older file) or `different` (overwrite only a file whose size or
 * modification time differs).
 */
export type ConflictRule = 'overwrite' | 'skip' | 'resume' | 'rename' | 'newer' | 'different';

/** The values `--on-conflict` takes: a rule, or `ask` at a terminal. */
export const onConflictValues = ['overwrite', 'skip', 'resume', 'rename', 'newer', 'different', 'ask'] as const;

/** One value of `--on-conflict`. */
export type OnConflict = (typeof onConflictValues)[number];

/** What settles one conflict: a rule from the command line, or the user's answer in the dialog or at the prompt. */
export type ConflictChoice = ConflictRule | Exclude<ConflictAnswer, 'abort'>;

/** What a batch does with the next existing file: ask the user, or apply a choice already made for the rest. */
export type ConflictPolicy = 'ask' | ConflictChoice;

/** What happens to one existing file; a skip says why. */
export type ConflictAction = {readonly type: 'overwrite' | 'resume' | 'rename'} | {readonly type: 'skip'; readonly reason: string};

/** What a conflict is decided on, for the file being copied and for the one already there. */
export type ConflictFacts = Pick<FileEntry, 'size' | 'modified'>;

/**
 * The one conflict policy of both front ends: a choice (the CLI's rule or the user's answer), the file being
 * copied and the existing one give overwrite, resume, rename, or skip with its reason. Older and `newer` are mc's
 * "Overwrite older": only a destination older than its source is replaced; Size differs is mc's "Overwrite if size
 * differs"; `different` also replaces a file whose modification time differs.
 */
export function resolveConflict(choice: ConflictChoice, source: ConflictFacts, existing: ConflictFacts): ConflictAction {
	switch (choice) {
		case 'overwrite':
		case 'overwrite-all': {
			return {type: 'overwrite'};
		}

		case 'skip':
		case 'skip-all': {
			return {type: 'skip', reason: 'already exists'};
		}

		case 'resume':
		case 'rename': {
			return {type: choice};
		}

		case 'newer':
		case 'older': {
			const order = compareTimes(source.modified, existing.modified);
			if (order === undefined) {
				return {type: 'skip', reason: 'cannot tell which is newer: a modification time is not known'};
			}

			return order > 0 ? {type: 'overwrite'} : {type: 'skip', reason: 'not newer than the existing file'};
		}

		case 'size-differs': {
			if (source.size === undefined || existing.size === undefined) {
				return {type: 'skip', reason: 'cannot compare sizes: a size is not known'};
			}

			return source.size === existing.size ? {type: 'skip', reason: 'same size as the existing file'} : {type: 'overwrite'};
		}

		case 'different': {
			const sizes = source.size === undefined || existing.size === undefined ? undefined : source.size - existing.size;
			const times = compareTimes(source.modified, existing.modified);
			if ((sizes !== undefined && sizes !== 0) || (times !== undefined && times !== 0)) {
				return {type: 'overwrite'};
			}

			return {
				type: 'skip',
				reason: sizes === undefined || times === undefined
					? 'cannot tell whether it differs: a size or modification time is not known'
					: 'same size and modification time as the existing file',
			};
		}
	}
}

/** The policy for the files after this answer: "all", Older and Size differs hold for the rest of the batch; the others ask again. */
export function policyAfter(answer: Exclude<ConflictAnswer, 'abort'>, policy: ConflictPolicy): ConflictPolicy {
	return answer === 'overwrite-all' || answer === 'skip-all' || answer === 'older' || answer === 'size-differs' ? answer : policy;
}

const day = 24 * 60 * 60 * 1000;

/**
 * Compares two modification times at the coarser precision of the two: an `ls -l` listing gives minutes (and only
 * the day for files older than six months), while a local file has milliseconds. A time that falls exactly on a
 * day or a minute is taken to be given only that precisely. Undefined when either time is unknown.
 */
export function compareTimes(a: Date | undefined, b: Date | undefined): number | undefined {
	if (a === undefined || b === undefined) {
		return undefined;
	}

	const unit = Math.max(precisionOf(a.getTime()), precisionOf(b.getTime()));
	return Math.sign(Math.floor(a.getTime() / unit) - Math.floor(b.getTime() / unit));
}

function precisionOf(time: number): number {
	for (const unit of [day, 60_000, 1000]) {
		if (time % unit === 0) {
			return unit;
		}
	}

	return 1;
}
