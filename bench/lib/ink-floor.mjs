#!/usr/bin/env node
// The least a full-screen Ink client costs before anything shows: node starts, React and Ink load (production builds,
// as ftpane runs them) and one <Text> line is drawn. bench/tui-speed.mjs times it from launch to that line on screen in
// the same terminal as ftpane's open, as the floor of the open time. No ftpane code. Ends on q, Ctrl-C or after a minute.
process.env.NODE_ENV ??= 'production';
if (process.stdout.isTTY) {
	// As ftpane does: Ink would draw only the last frame with CI set.
	delete process.env.CI;
	delete process.env.CONTINUOUS_INTEGRATION;
}

const [{createElement}, {render, Text, useApp, useInput}] = await Promise.all([import('react'), import('ink')]);

function Floor() {
	const {exit} = useApp();
	useInput(input => {
		if (input === 'q') {
			exit();
		}
	});
	return createElement(Text, null, 'ink floor ready');
}

const app = render(createElement(Floor));
const timer = setTimeout(() => app.unmount(), 60_000);
await app.waitUntilExit();
clearTimeout(timer);
