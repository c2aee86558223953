import {createBatch, type QueueItemSpec, type TransferBatch} from '../engine/api/transfer-queue.js';
import type {DeleteItem, WorkItem} from './transfer-plan.js';

/**
 * A copy's plan as a queue batch, one item per work item in the same order (an item's id is its index in the plan):
 * the totals are known before a byte moves, and the plan's skips are skipped already, each with its reason.
 */
export function batchOfCopyPlan(plan: readonly WorkItem[]): TransferBatch {
	return createBatch(plan.map((item): QueueItemSpec => {
		switch (item.type) {
			case 'mkdir': {
				return {kind: 'mkdir', path: item.target};
			}

			case 'copy': {
				return {kind: 'copy', path: item.source, target: item.target, ...(item.size === undefined ? {} : {size: item.size})};
			}

			case 'skip': {
				// The plan does not know whether what it left out was a file; the user counts it among the files.
				return {kind: 'copy', path: item.source, skipped: {reason: item.reason, ...(item.failure ? {failure: item.failure} : {})}};
			}
		}
	}));
}

/** A recursive delete's plan as a queue batch, in the plan's order: contents before their directory. */
export function batchOfDeletePlan(plan: readonly DeleteItem[]): TransferBatch {
	return createBatch(plan.map((item): QueueItemSpec => ({kind: 'delete', path: item.path, ...(item.type === 'dir' ? {dir: true} : {})})));
}
