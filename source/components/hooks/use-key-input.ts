import {useStdin} from 'ink';
import {useEffect, useRef} from 'react';
import {decodeKeys} from '../../ui/keys/decode-key.js';
import {escapePrefixTimeoutMs, expireEscapePrefix, feedEscapePrefix, idleEscapePrefix, type EscapePrefixStep} from '../../ui/keys/escape-prefix.js';
import type {Key} from '../../ui/keys/key.js';

/**
 * Delivers decoded keys, function keys included: Ink's `useInput` reports F1-F12 as empty input with no flags,
 * so this listens to the raw sequences Ink's stdin handling emits ('input', one key sequence or a run of text per event).
 * The handler should only dispatch: several keys can arrive in one event, before React re-renders.
 */
export function useKeyInput(onKey: (key: Key) => void, options: {escapeTimeoutMs?: number; isActive?: boolean} = {}): void {
	const {internal_eventEmitter: emitter, setRawMode, isRawModeSupported} = useStdin();
	const onKeyRef = useRef(onKey);
	onKeyRef.current = onKey;
	const isActive = options.isActive ?? true;
	const timeoutMs = options.escapeTimeoutMs ?? escapePrefixTimeoutMs;

	useEffect(() => {
		if (!isActive || !isRawModeSupported) {
			return;
		}

		setRawMode(true);
		return () => {
			setRawMode(false);
		};
	}, [isActive, isRawModeSupported, setRawMode]);

	useEffect(() => {
		if (!isActive) {
			return;
		}

		let state = idleEscapePrefix;
		let timer: NodeJS.Timeout | undefined;
		const deliver = (step: EscapePrefixStep) => {
			state = step.state;
			for (const key of step.keys) {
				onKeyRef.current(key);
			}
		};

		const onInput = (input: string) => {
			clearTimeout(timer);
			timer = undefined;
			for (const key of decodeKeys(input)) {
				deliver(feedEscapePrefix(state, key));
			}

			if (state.pending) {
				timer = setTimeout(() => {
					timer = undefined;
					deliver(expireEscapePrefix(state));
				}, timeoutMs);
			}
		};

		emitter.on('input', onInput);
		return () => {
			clearTimeout(timer);
			emitter.off('input', onInput);
		};
	}, [emitter, isActive, timeoutMs]);
}
