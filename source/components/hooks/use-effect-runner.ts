import {useEffect, useRef} from 'react';
import {runEffect} from '../../ui/effects/effect-runner.js';
import type {EffectPorts} from '../../ui/effects/effect-ports.js';
import type {Action} from '../../ui/state/app-state.js';
import type {Effect} from '../../ui/state/effects.js';

/** Runs each effect the reducer queued exactly once, then tells the reducer to drop them. */
export function useEffectRunner(outbox: readonly Effect[], ports: EffectPorts, dispatch: (action: Action) => void): void {
	const portsRef = useRef(ports);
	portsRef.current = ports;
	const taken = useRef(0);

	useEffect(() => {
		const fresh = outbox.filter(effect => effect.id > taken.current);
		if (fresh.length === 0) {
			return;
		}

		taken.current = fresh.at(-1)!.id;
		dispatch({type: 'effects-taken', upTo: taken.current});
		for (const effect of fresh) {
			void runEffect(effect, portsRef.current, dispatch);
		}
	}, [outbox, dispatch]);
}
