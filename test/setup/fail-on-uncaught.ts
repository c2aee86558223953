import {afterEach, beforeEach} from 'vitest';

/**
 * Fails the test during which an error went unhandled (an 'error' event nobody listened to, a rejection nobody awaited).
 * Vitest reports such errors for the whole run; this names the test that caused them. The listeners exist only while a
 * test (with its hooks) runs: vitest stands back whenever another listener exists, and must catch what happens between tests.
 */
const unhandled: unknown[] = [];
const record = (error: unknown) => {
	unhandled.push(error);
};

beforeEach(() => {
	unhandled.length = 0;
	process.on('uncaughtException', record);
	process.on('unhandledRejection', record);
});

// Registered first, so with vitest's default hook order it runs after the test file's own afterEach hooks.
afterEach(() => {
	process.off('uncaughtException', record);
	process.off('unhandledRejection', record);
	const errors = unhandled.splice(0);
	if (errors.length > 0) {
		const first = errors[0];
		const what = first instanceof Error ? `${first.name}: ${first.message}` : String(first);
		throw new AggregateError(errors, `${errors.length} unhandled error(s) during this test, the first: ${what}`);
	}
});
