import type {ConflictAnswer} from '../../engine/api/engine-api.js';

/** What a batch does with the next existing file: ask, or what an "all" answer settled. */
export type ConflictPolicy = 'ask' | 'overwrite' | 'skip';

/** What to do with one existing file, and the policy for the files after it. */
export type ConflictStep = {readonly action: 'overwrite' | 'skip' | 'resume' | 'rename' | 'abort'; readonly policy: ConflictPolicy};

/** The action an "all" answer already decided, or undefined when the user must be asked. */
export function settledAction(policy: ConflictPolicy): ConflictStep | undefined {
	return policy === 'ask' ? undefined : {action: policy, policy};
}

/** Turns the user's answer into this file's action; "all" answers also change the policy for the rest. */
export function conflictStep(answer: ConflictAnswer, policy: ConflictPolicy): ConflictStep {
	switch (answer) {
		case 'overwrite-all': {
			return {action: 'overwrite', policy: 'overwrite'};
		}

		case 'skip-all': {
			return {action: 'skip', policy: 'skip'};
		}

		default: {
			return {action: answer, policy};
		}
	}
}
