import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// Real servers on loopback: a few files at once keeps 2 cores busy without starving the servers.
		maxWorkers: 2,
	},
});
