import type {Side} from '../../engine/api/side.js';
import {defaultPaneView, parsePaneView, type PaneView} from './pane-view.js';

/** How the screen was arranged, kept between runs as mc keeps its panels.ini: each pane's view, the transcript, the sides. */
export type ViewSettings = {
	readonly panes: Readonly<Record<Side, PaneView>>;
	readonly transcript: boolean;
	readonly swapped: boolean;
};

/** The arrangement of a first run: both panes by name with dot files, the transcript shown, this disk on the left. */
export const defaultViewSettings: ViewSettings = {panes: {local: defaultPaneView, remote: defaultPaneView}, transcript: true, swapped: false};

/** Reads and writes the view settings; the app keeps them in a file, tests in memory. */
export type ViewSettingsStore = {
	load(): Promise<ViewSettings>;
	save(settings: ViewSettings): Promise<void>;
};

/** View settings from a file a user may have edited by hand: anything not understood is the default. */
export function parseViewSettings(value: unknown): ViewSettings {
	if (typeof value !== 'object' || value === null) {
		return defaultViewSettings;
	}

	const {panes, transcript, swapped} = value as Record<string, unknown>;
	const byside = (typeof panes === 'object' && panes !== null ? panes : {}) as Record<string, unknown>;
	return {
		panes: {local: parsePaneView(byside['local']), remote: parsePaneView(byside['remote'])},
		transcript: typeof transcript === 'boolean' ? transcript : defaultViewSettings.transcript,
		swapped: typeof swapped === 'boolean' ? swapped : defaultViewSettings.swapped,
	};
}
