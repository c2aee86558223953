import type {EngineEvent} from '../engine/api/events.js';
import {escapeTerminal} from '../engine/paths/names.js';

type UploadsLeft = Extract<EngineEvent, {type: 'uploads-left'}>;

/**
 * The line, after "ftpane: ", that names the temporary files failed uploads left on a server the session could not
 * reach to delete them: only the user can now. The batch commands print it as it comes; the full-screen client once
 * its screen has closed.
 */
export function uploadsLeftLine(event: UploadsLeft): string {
	return `could not reach ${event.server} to delete what failed uploads left there: ${event.paths.map(path => escapeTerminal(path)).join(', ')}`;
}
