import {createRequire} from 'node:module';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import type {ReactElement} from 'react';
import {describe, expect, it} from 'vitest';

// Colours are off when output is not a terminal; force them before Ink (and its chalk) load.
process.env.FORCE_COLOR = '1';
const {Box, Text} = await import('ink');
const {render} = await import('ink-testing-library');

/** What patches/ink+6.8.0.patch adds to ink/build/output.js: the line cache shared by all frames, and its counts. */
type OutputCacheProbe = {
	outputCacheStats(): {lines: number; hits: number; misses: number; textsMeasured: number; rowsDrawn: number};
	clearOutputCaches(): void;
};

// The module Ink itself loads (ink's package exports only its index, so it is found beside it).
const inkIndex = createRequire(import.meta.url).resolve('ink');
const inkOutput = await import(pathToFileURL(path.join(path.dirname(inkIndex), 'output.js')).href) as Partial<OutputCacheProbe>;

/** The probe, or a failure saying the patch is missing: `npm install` runs patch-package (the postinstall script). */
function probe(): OutputCacheProbe {
	const {outputCacheStats, clearOutputCaches} = inkOutput;
	if (typeof outputCacheStats !== 'function' || typeof clearOutputCaches !== 'function') {
		throw new TypeError('node_modules/ink is not patched: run `npx patch-package` (patches/README.md)');
	}

	return {outputCacheStats, clearOutputCaches};
}

function Rows({rows, cursor = -1}: {readonly rows: readonly string[]; readonly cursor?: number}) {
	return (
		<Box flexDirection="column" borderStyle="single" width={24}>
			{rows.map((row, index) => <Text key={row} inverse={index === cursor}>{row}</Text>)}
		</Box>
	);
}

/** The frame an element draws with an empty cache: what Ink 6.8 unpatched draws. */
function coldFrame(element: ReactElement): string {
	probe().clearOutputCaches();
	const instance = render(element);
	const frame = instance.lastFrame() ?? '';
	instance.unmount();
	return frame;
}

const names = Array.from({length: 12}, (_, index) => `file-${String(index).padStart(3, '0')}.txt`);

// The screens the cache must not change: wide characters, clipping through them, colours, inverse and a border.
const screens: Array<{readonly name: string; readonly element: ReactElement}> = [
	{name: 'ASCII rows with an inverse cursor', element: <Rows rows={names} cursor={3}/>},
	{name: 'the cursor one row down', element: <Rows rows={names} cursor={4}/>},
	{
		name: 'CJK and emoji, whole and clipped',
		element: (
			<Box flexDirection="column" width={30}>
				<Text>日本語のファイル名.txt</Text>
				<Text color="green">🎉 party 👩‍👩‍👧 family</Text>
				<Box width={7} overflow="hidden">
					<Box width={40} flexShrink={0}><Text>日本語のファイル名</Text></Box>
				</Box>
				<Box width={5} overflow="hidden">
					<Box width={40} flexShrink={0}><Text inverse>a🎉b🎉c🎉</Text></Box>
				</Box>
			</Box>
		),
	},
	{
		name: 'colours and inverse clipped in a box narrower than the text',
		element: (
			<Box flexDirection="column" width={30}>
				<Box width={10} overflow="hidden">
					<Box width={40} flexShrink={0}><Text><Text color="red">red-red-</Text><Text inverse>inverse-inverse</Text></Text></Box>
				</Box>
				<Text backgroundColor="blue" color="yellow" bold>yellow on blue</Text>
			</Box>
		),
	},
	{
		name: 'styles nested and changing within a line',
		element: (
			<Box flexDirection="column" width={40}>
				<Text>plain <Text bold>bold <Text color="red">bold red <Text inverse>all three</Text></Text> bold</Text> plain</Text>
				<Text dimColor>dim <Text bold>dim bold</Text> dim</Text>
			</Box>
		),
	},
];

// The same screens as unpatched Ink 6.8.0 draws them (rendered once with the ink from npm): the patch must not
// change a byte.
const upstreamFrames = [
	'┌──────────────────────┐\n│file-000.txt          │\n│file-001.txt          │\n│file-002.txt          │\n│\u001B[7mfile-003.txt\u001B[27m          │\n│file-004.txt          │\n│file-005.txt          │\n│file-006.txt          │\n│file-007.txt          │\n│file-008.txt          │\n│file-009.txt          │\n│file-010.txt          │\n│file-011.txt          │\n└──────────────────────┘',
	'┌──────────────────────┐\n│file-000.txt          │\n│file-001.txt          │\n│file-002.txt          │\n│file-003.txt          │\n│\u001B[7mfile-004.txt\u001B[27m          │\n│file-005.txt          │\n│file-006.txt          │\n│file-007.txt          │\n│file-008.txt          │\n│file-009.txt          │\n│file-010.txt          │\n│file-011.txt          │\n└──────────────────────┘',
	'日本語のファイル名.txt\n\u001B[32m🎉 party 👩‍👩‍👧 family\u001B[39m\n日本語の\n\u001B[7ma🎉b🎉\u001B[27m',
	'\u001B[31mred-red-\u001B[39m\u001B[7min\u001B[27m\n\u001B[1m\u001B[44m\u001B[33myellow on blue\u001B[39m\u001B[49m\u001B[22m',
	'plain \u001B[1mbold \u001B[31mbold red \u001B[7mall three\u001B[27m\u001B[39m bold\u001B[22m plain\n\u001B[2mdim \u001B[1mdim bold\u001B[22m dim\u001B[22m',
];

describe('Ink output line cache (patches/ink+6.8.0.patch)', () => {
	it('tokenizes no line of a frame that repeats the last one', () => {
		const {clearOutputCaches, outputCacheStats} = probe();
		clearOutputCaches();
		const instance = render(<Rows rows={names} cursor={0}/>);
		const first = outputCacheStats();
		expect(first.misses).toBeGreaterThan(names.length);
		instance.rerender(<Rows rows={[...names]} cursor={0}/>);
		const second = outputCacheStats();
		// Every line of the second frame, the border's too, came from the cache, and no text was measured again.
		expect(second.misses).toBe(first.misses);
		expect(second.hits - first.hits).toBeGreaterThanOrEqual(names.length + 2);
		expect(first.textsMeasured).toBeGreaterThanOrEqual(names.length);
		expect(second.textsMeasured).toBe(first.textsMeasured);
		// Nor was any row of the screen laid out again: each was written with the same lines at the same places.
		expect(first.rowsDrawn).toBeGreaterThanOrEqual(names.length + 2);
		expect(second.rowsDrawn).toBe(first.rowsDrawn);
		instance.unmount();
	});

	it('redraws the lines that changed, and only tokenizes those', () => {
		const {clearOutputCaches, outputCacheStats} = probe();
		clearOutputCaches();
		const instance = render(<Rows rows={names} cursor={0}/>);
		const before = outputCacheStats();
		instance.rerender(<Rows rows={names} cursor={1}/>);
		// The old cursor row and the new one: tokenized, and laid out as rows of the screen; no other row.
		expect(outputCacheStats().misses - before.misses).toBe(2);
		expect(outputCacheStats().rowsDrawn - before.rowsDrawn).toBe(2);
		const lines = (instance.lastFrame() ?? '').split('\n');
		const row = (name: string) => lines.find(line => line.includes(name)) ?? '';
		expect(row(names[1]!)).toContain('\u001B[7m');
		expect(row(names[0]!)).not.toContain('\u001B[7m');
		instance.rerender(<Rows rows={names.map(name => name.replace('file', 'FILE'))} cursor={1}/>);
		expect(instance.lastFrame()).toContain('FILE-000.txt');
		expect(instance.lastFrame()).not.toContain('file-000.txt');
		instance.unmount();
	});

	it('draws every screen, from an empty cache or a warm one, byte for byte as unpatched Ink does', () => {
		const cold = screens.map(screen => coldFrame(screen.element));
		expect(cold).toEqual(upstreamFrames);
		expect(cold[2]).toContain('日本語のファイル名.txt');
		expect(cold[3]).toContain('\u001B[31mred-red-');
		expect(cold[3]).not.toContain('inverse-');

		// Each screen in turn and back again in one Ink instance, so every frame meets lines cached by the others.
		probe().clearOutputCaches();
		const instance = render(screens[0]!.element);
		for (const index of [0, 1, 2, 3, 4, 1, 0, 4, 3, 2, 2, 0]) {
			instance.rerender(screens[index]!.element);
			expect(instance.lastFrame(), screens[index]!.name).toBe(cold[index]);
		}

		instance.unmount();
	});

	it('stays bounded however many distinct lines a session shows', () => {
		const {clearOutputCaches, outputCacheStats} = probe();
		clearOutputCaches();
		const instance = render(<Rows rows={[]}/>);
		// 200 frames of 40 new lines each: 8000 distinct lines, four times the cache's 2048 lines a generation.
		for (let frame = 0; frame < 200; frame++) {
			instance.rerender(<Rows rows={Array.from({length: 40}, (_, row) => `f${frame}-r${row}`)}/>);
		}

		const {lines, misses} = outputCacheStats();
		expect(misses).toBeGreaterThanOrEqual(8000);
		expect(lines).toBeLessThanOrEqual(2 * 2048);
		// And what the last frame showed is still cached.
		instance.rerender(<Rows rows={Array.from({length: 40}, (_, row) => `f199-r${row}`)}/>);
		expect(outputCacheStats().misses).toBe(misses);
		instance.unmount();
	});
});
