import {makeKey, type Key} from './key.js';

/**
 * How long a lone Esc waits for a digit before it counts as Esc by itself.
 * MC waits about a second; a shorter window makes Esc-then-digit on a slow link fall apart into Esc and a digit.
 */
export const escapePrefixTimeoutMs = 1000;

/** Whether a lone Esc is waiting to see if a digit follows (Esc 5 = F5, as in Midnight Commander). */
export type EscapePrefixState = {readonly pending: boolean};

/** What the machine decided: its next state and the keys to act on now. */
export type EscapePrefixStep = {readonly state: EscapePrefixState; readonly keys: readonly Key[]};

/** The machine at rest. */
export const idleEscapePrefix: EscapePrefixState = {pending: false};

/** Feeds one decoded key; a lone Esc is held back until the next key or the timeout says what it was. */
export function feedEscapePrefix(state: EscapePrefixState, key: Key): EscapePrefixStep {
	const isLoneEscape = key.name === 'escape' && key.sequence === '\u001B';
	if (!state.pending) {
		return isLoneEscape ? {state: {pending: true}, keys: []} : {state, keys: [key]};
	}

	if (key.name === 'char' && !key.ctrl && !key.meta && /^\d$/.test(key.char ?? '')) {
		const digit = Number(key.char);
		return {state: idleEscapePrefix, keys: [makeKey(`f${digit === 0 ? 10 : digit}`, `\u001B${key.sequence}`)]};
	}

	// Two Escs in a row close at once; MC users press Esc twice for exactly that.
	if (key.name === 'escape') {
		return {state: idleEscapePrefix, keys: [makeKey('escape', '\u001B\u001B')]};
	}

	if (key.name === 'char' && !key.meta) {
		return {state: idleEscapePrefix, keys: [{...key, meta: true, sequence: `\u001B${key.sequence}`}]};
	}

	return {state: idleEscapePrefix, keys: [makeKey('escape', '\u001B'), key]};
}

/** Called when the window closes with nothing after the Esc: it was Esc by itself. */
export function expireEscapePrefix(state: EscapePrefixState): EscapePrefixStep {
	return state.pending ? {state: idleEscapePrefix, keys: [makeKey('escape', '\u001B')]} : {state, keys: []};
}
