import type {AnswerTo, Question} from '../../engine/api/engine-api.js';

/** A question waiting for the user, with the number its answer comes back under. */
export type PendingQuestion = {readonly id: number; readonly question: Question};

/** An answer to any question: a conflict's, a trust question's, or a secret (undefined when none was given). */
type Answer = AnswerTo<Question>;

type Waiting = {question: Question; resolve: (answer: Answer) => void; announced: boolean};

/**
 * Turns the engine's questions (a conflict? trust this certificate or host key? a passphrase?) into promises the UI answers through dialogs.
 * Created next to the engine, outside React, and handed to both: the engine calls `ask`, the app `listen`s and `answer`s.
 */
export class QuestionBridge {
	#nextId = 1;
	readonly #waiting = new Map<number, Waiting>();
	#listener: ((pending: PendingQuestion) => void) | undefined;
	#closed = false;

	/** Asks the user; resolves with the answer. Bound, so it can be passed around as a plain function. */
	readonly ask = async <Q extends Question>(question: Q): Promise<AnswerTo<Q>> => new Promise(resolve => {
		if (this.#closed) {
			resolve(safeAnswer(question) as AnswerTo<Q>);
			return;
		}

		const id = this.#nextId++;
		const waiting: Waiting = {question, resolve: resolve as (answer: Answer) => void, announced: false};
		this.#waiting.set(id, waiting);
		this.#announce(id, waiting);
	});

	/** Registers the one UI that shows questions; questions asked before it arrived are shown now. */
	listen(listener: (pending: PendingQuestion) => void): () => void {
		this.#listener = listener;
		for (const [id, waiting] of this.#waiting) {
			this.#announce(id, waiting);
		}

		return () => {
			if (this.#listener === listener) {
				this.#listener = undefined;
				for (const waiting of this.#waiting.values()) {
					waiting.announced = false;
				}
			}
		};
	}

	/** Delivers the user's answer; unknown or already answered ids are ignored. */
	answer(id: number, answer: Answer): void {
		const waiting = this.#waiting.get(id);
		if (waiting) {
			this.#waiting.delete(id);
			waiting.resolve(answer);
		}
	}

	/** Answers every open question with its safe "no", so nothing waits forever when the UI goes away. */
	dismissAll(): void {
		for (const [id, waiting] of this.#waiting) {
			this.answer(id, safeAnswer(waiting.question));
		}
	}

	/**
	 * For when the UI is gone for good: every open question and every later one gets its safe "no" at once. A question
	 * asked after the last dismissAll (a certificate met while closing) would otherwise wait forever, and so would
	 * everything queued behind it, the engine's close included.
	 */
	close(): void {
		this.#closed = true;
		this.dismissAll();
	}

	/** How many questions wait for an answer. */
	get size(): number {
		return this.#waiting.size;
	}

	#announce(id: number, waiting: Waiting): void {
		if (this.#listener && !waiting.announced) {
			waiting.announced = true;
			this.#listener({id, question: waiting.question});
		}
	}
}

function safeAnswer(question: Question): Answer {
	if (question.type === 'secret') {
		return undefined;
	}

	return question.type === 'conflict' ? 'abort' : 'cancel';
}
