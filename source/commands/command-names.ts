/** The batch commands, by the name typed after `ftpane`: `ftpane get URL`. */
export const batchCommandNames = ['ls', 'get', 'put', 'rm', 'mkdir', 'rmdir', 'mv'] as const;

/** One of the batch commands' names. */
export type BatchCommandName = typeof batchCommandNames[number];

/** Whether `word` names a batch command (`constructor` and the like do not). */
export function isBatchCommandName(word: string | undefined): word is BatchCommandName {
	return batchCommandNames.includes(word as BatchCommandName);
}
