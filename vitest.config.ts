import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// An error nobody handled fails the test it happened in, not only the run.
		setupFiles: ['test/setup/fail-on-uncaught.ts'],
		// Real servers on loopback: a few files at once keeps 2 cores busy without starving the servers.
		maxWorkers: 2,
	},
});
