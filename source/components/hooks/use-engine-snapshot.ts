import {useCallback, useSyncExternalStore} from 'react';
import type {EngineApi, EngineSnapshot} from '../../engine/api/engine-api.js';

/**
 * The engine's current snapshot. Change notices are batched (50 ms by default) so a busy transcript
 * or many progress ticks cost one render per batch, not one per line.
 */
export function useEngineSnapshot(engine: Pick<EngineApi, 'subscribe' | 'getSnapshot'>, batchMs = 50): EngineSnapshot {
	const subscribe = useCallback((listener: () => void) => {
		let timer: NodeJS.Timeout | undefined;
		const unsubscribe = engine.subscribe(() => {
			timer ??= setTimeout(() => {
				timer = undefined;
				listener();
			}, batchMs);
		});
		return () => {
			clearTimeout(timer);
			unsubscribe();
		};
	}, [engine, batchMs]);
	const getSnapshot = useCallback(() => engine.getSnapshot(), [engine]);
	return useSyncExternalStore(subscribe, getSnapshot);
}
