/** Which host a path belongs to: this machine, or the server. The panes, the planner and the batch CLI share the word. */
export type Side = 'local' | 'remote';

/** The side that is not `side`: where a copy from `side` goes. */
export function otherSide(side: Side): Side {
	return side === 'local' ? 'remote' : 'local';
}
