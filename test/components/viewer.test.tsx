import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {Viewer} from '../../source/components/dialogs/Viewer.js';
import {createViewer, settleViewer, withBytes, type ViewerState} from '../../source/ui/state/viewer-state.js';

/** A viewer of `text` with its first window read, as the reducer would have it. */
function viewerOf(text: string, change: Partial<ViewerState> = {}): ViewerState {
	const bytes = Buffer.from(text, 'utf8');
	const opened = createViewer({side: 'remote', path: '/pub/notes.txt', size: bytes.length, session: 1});
	return settleViewer({...withBytes(opened, 0, bytes, 65_536), ...change}, {rows: 5, columns: 40}).viewer;
}

describe('Viewer', () => {
	it('draws the status line, the rows and mc\'s key bar', () => {
		const {lastFrame} = render(<Viewer viewer={viewerOf('alpha\nbeta\n')} width={60} rows={5}/>);
		const lines = (lastFrame() ?? '').split('\n');
		expect(lines).toHaveLength(7);
		expect(lines[0]).toMatch(/^\/pub\/notes\.txt {3}Line 1 {3}11 B {3}100% *$/);
		expect(lines.slice(1, 3).map(line => line.trimEnd())).toEqual(['alpha', 'beta']);
		expect(lines[6]).toMatch(/^1 +2UnWrap +3Quit +4Hex +5 +6 +7Search +8 +9 +10Quit/);
	});

	it('shows the search being typed in place of the key bar, and no escape from the file reaches the output', () => {
		const viewer = viewerOf('\u001B]0;owned\u0007\u001B[2Jsafe\n', {prompt: {backward: false, value: 'needle', cursor: 3}});
		const {lastFrame} = render(<Viewer viewer={viewer} width={40} rows={5}/>);
		const frame = lastFrame() ?? '';
		expect(frame).toContain('.]0;owned..[2Jsafe');
		expect(frame).toContain('Search: needle');
		expect(frame.replaceAll(/\u001B\[[\d;]*m/g, '')).not.toMatch(/[\u0000-\u0009\u000B-\u001F]/);
	});
});
