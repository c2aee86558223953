import {describe, expect, it} from 'vitest';
import {QuestionBridge, type PendingQuestion} from '../../../source/ui/effects/question-bridge.js';

const conflict = {type: 'conflict', path: '/a', side: 'local'} as const;

describe('QuestionBridge', () => {
	it('shows a question to the listener and resolves with the answer', async () => {
		const bridge = new QuestionBridge();
		const seen: PendingQuestion[] = [];
		bridge.listen(pending => seen.push(pending));
		const answer = bridge.ask(conflict);
		expect(seen).toEqual([{id: 1, question: conflict}]);
		bridge.answer(1, 'skip');
		await expect(answer).resolves.toBe('skip');
		expect(bridge.size).toBe(0);
	});

	it('holds questions asked before the UI listens', async () => {
		const bridge = new QuestionBridge();
		const answer = bridge.ask(conflict);
		const seen: PendingQuestion[] = [];
		bridge.listen(pending => seen.push(pending));
		expect(seen).toHaveLength(1);
		bridge.answer(seen[0]!.id, 'overwrite');
		await expect(answer).resolves.toBe('overwrite');
	});

	it('answers every open question with its safe no when dismissed', async () => {
		const bridge = new QuestionBridge();
		const first = bridge.ask(conflict);
		const second = bridge.ask({type: 'trust-certificate', certificate: {host: 'h', port: 21, subject: '', issuer: '', validFrom: '', validTo: '', fingerprint256: '', reason: ''}});
		bridge.dismissAll();
		await expect(first).resolves.toBe('abort');
		await expect(second).resolves.toBe('cancel');
	});

	it('carries a secret as answered, and dismisses one with no secret at all', async () => {
		const bridge = new QuestionBridge();
		const secret = {type: 'secret', secret: 'passphrase', prompt: 'Passphrase:'} as const;
		const typed = bridge.ask(secret);
		bridge.answer(1, 'pass phrase');
		await expect(typed).resolves.toBe('pass phrase');
		const dismissed = bridge.ask(secret);
		bridge.dismissAll();
		await expect(dismissed).resolves.toBeUndefined();
		bridge.close();
		await expect(bridge.ask(secret)).resolves.toBeUndefined();
	});

	it('ignores unknown and repeated answers', async () => {
		const bridge = new QuestionBridge();
		const answer = bridge.ask(conflict);
		bridge.answer(99, 'skip');
		bridge.answer(1, 'resume');
		bridge.answer(1, 'skip');
		await expect(answer).resolves.toBe('resume');
	});
});
