import {useEffect} from 'react';
import type {EngineApi} from '../../engine/engine-api.js';
import type {QuestionBridge} from '../../ui/question-bridge.js';
import type {Action} from '../../ui/state/app-state.js';

/** Turns what the engine tells on its own (a dropped connection, a question) into actions. */
export function useEngineEvents(engine: Pick<EngineApi, 'onEvent'>, questions: QuestionBridge | undefined, dispatch: (action: Action) => void): void {
	useEffect(() => engine.onEvent(event => {
		if (event.type === 'connection' && (event.state === 'closed' || event.state === 'disconnected')) {
			dispatch({type: 'disconnected', error: {kind: 'connection', message: event.detail ?? 'Connection closed.'}});
		}
	}), [engine, dispatch]);

	useEffect(() => questions?.listen(pending => {
		dispatch({type: 'question', id: pending.id, question: pending.question});
	}), [questions, dispatch]);
}
