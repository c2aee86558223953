import {useEffect} from 'react';
import type {EngineApi} from '../../engine/api/engine-api.js';
import type {QuestionBridge} from '../../ui/effects/question-bridge.js';
import type {Action} from '../../ui/state/app-state.js';

/** Turns what the engine tells on its own (a dropped connection, where it is, a question) into actions. */
export function useEngineEvents(engine: Pick<EngineApi, 'onEvent'>, questions: QuestionBridge | undefined, dispatch: (action: Action) => void): void {
	useEffect(() => engine.onEvent(event => {
		// A plain 'disconnected' without a reason is the engine hanging up on purpose before it connects again.
		if (event.type === 'connection' && (event.state === 'closed' || (event.state === 'disconnected' && event.detail !== undefined))) {
			dispatch({type: 'disconnected', error: {kind: 'connection', message: event.detail ?? 'Connection closed.'}});
		} else if (event.type === 'cwd') {
			dispatch({type: 'remote-cwd', path: event.path});
		}
	}), [engine, dispatch]);

	useEffect(() => questions?.listen(pending => {
		dispatch({type: 'question', id: pending.id, question: pending.question});
	}), [questions, dispatch]);
}
