import {type AgentOptions, type RunningAgent, startAgent} from '../../source/agent/agent-server.js';

/** An agent started for a test, with the log lines it has written so far. */
export type TestAgent = {port: number; lines: string[]; agent: RunningAgent};

/** The agents one test file starts on loopback, each with its log kept, all closed by closeAll() in afterAll. */
export class TestAgents {
	readonly #agents: RunningAgent[] = [];
	readonly #defaults: () => Partial<AgentOptions>;

	/** `defaults` is read at each start, so it may name a clamd that beforeAll starts. */
	constructor(defaults: () => Partial<AgentOptions>) {
		this.#defaults = defaults;
	}

	/** Starts an agent with the file's defaults, then `options`, on a free loopback port; never the clamscan of the machine. */
	async start(options: Partial<AgentOptions> = {}): Promise<TestAgent> {
		const lines: string[] = [];
		const agent = await startAgent({
			host: '127.0.0.1',
			port: 0,
			clamscan: false,
			log: line => lines.push(line),
			...this.#defaults(),
			...options,
		});
		this.#agents.push(agent);
		return {port: agent.port, lines, agent};
	}

	/** Closes every agent started so far. */
	async closeAll(): Promise<void> {
		await Promise.all(this.#agents.splice(0).map(async agent => agent.close()));
	}
}
