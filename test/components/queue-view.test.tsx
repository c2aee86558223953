import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {QueueView} from '../../source/components/dialogs/QueueView.js';
import {createBatch, type QueueItemSpec} from '../../source/engine/api/transfer-queue.js';
import {queueViewRows} from '../../source/ui/state/queue-commands.js';
import {computeLayout} from '../../source/ui/view/layout.js';
import {renderApp, waitFor} from './helpers.js';

const copies = (count: number): QueueItemSpec[] => Array.from({length: count}, (_, index) => ({kind: 'copy', path: `/data/f${index}.bin`, target: `/r/f${index}.bin`, size: 4096}));

describe('QueueView', () => {
	it('draws a 1000-item batch in fewer rows than the app has, only the window\'s items', () => {
		for (const [columns, rows] of [[80, 24], [120, 50], [60, 12]] as const) {
			const layout = computeLayout(columns, rows);
			const {lastFrame, unmount} = render(<QueueView batch={createBatch(copies(1000))} viewport={{cursor: 500, scrollTop: 495}} rows={queueViewRows(layout.scrollRows)} width={layout.width - 4}/>);
			const frame = lastFrame() ?? '';
			const lines = frame.split('\n');
			// The app draws one row short of the terminal, and the dialog sits inside it.
			expect(lines.length, `${columns}x${rows}`).toBeLessThanOrEqual(layout.height);
			expect(frame).toContain('/data/f495.bin');
			expect(frame).toContain('0 of 1000 files');
			expect(frame).not.toContain('/data/f494.bin');
			expect(frame).not.toContain(`/data/f${495 + queueViewRows(layout.scrollRows)}.bin`);
			unmount();
		}
	});
});

describe('Ctrl-X j in the app', () => {
	it('opens the queue view over the panes and closes it again', async () => {
		const app = renderApp();
		await waitFor(() => expect(app.frame()).toContain('a.txt'));
		await app.press('\u0018', 'j');
		await waitFor(() => expect(app.frame()).toContain('Transfer queue'));
		expect(app.frame()).toContain('No copy yet');
		expect(app.frame().split('\n').length).toBeLessThanOrEqual(23);
		await app.press('\u0018', 'j');
		await waitFor(() => expect(app.frame()).not.toContain('Transfer queue'));
		app.unmount();
	});
});
