import {toUiError} from '../../engine/api/errors.js';
import type {Action} from '../state/app-state.js';
import type {Effect} from '../state/effects.js';
import type {EffectPorts} from './effect-ports.js';

/**
 * One window of the viewer's file, read through its side's host: on a server REST, RETR and ABOR once the bytes
 * are in, so a 4 GiB file costs what a 64 KiB one does. The bytes go back to the reducer as they are; what is shown
 * of them is decided there and in ui/view, never here.
 */
export async function viewerRead(effect: Extract<Effect, {type: 'viewer-read'}>, ports: EffectPorts): Promise<Action> {
	const {session, offset, length} = effect;
	try {
		const bytes = await ports.hosts[effect.side].readRange(effect.path, offset, length);
		return {type: 'viewer-bytes', session, offset, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), asked: length};
	} catch (error) {
		return {type: 'viewer-read-failed', session, offset, error: toUiError(error)};
	}
}
