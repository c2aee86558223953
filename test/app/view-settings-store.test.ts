import {readFile, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {fileViewSettingsStore} from '../../source/app/view-settings-store.js';
import {defaultPaneView} from '../../source/ui/state/pane-view.js';
import {defaultViewSettings, type ViewSettings} from '../../source/ui/state/view-settings.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';

describe('the view settings file', () => {
	let dir: TempDir | undefined;

	afterEach(async () => {
		await dir?.remove();
	});

	it('starts from the defaults, keeps what was saved (0600), and lands the last of quick saves last', async () => {
		dir = await createTempDir();
		const file = path.join(dir.path, 'ftpane', 'view.json');
		const store = fileViewSettingsStore(file);
		expect(await store.load()).toEqual(defaultViewSettings);
		const sorted: ViewSettings = {...defaultViewSettings, panes: {local: {...defaultPaneView, sort: 'size'}, remote: defaultPaneView}};
		const last: ViewSettings = {...sorted, transcript: false};
		await Promise.all([store.save(sorted), store.save(last)]);
		expect(await store.load()).toEqual(last);
		expect(await fileViewSettingsStore(file).load()).toEqual(last);
		expect((await stat(file)).mode & 0o777).toBe(0o600);
	});

	it('refuses a file that is not JSON rather than writing over it', async () => {
		dir = await createTempDir();
		const file = path.join(dir.path, 'view.json');
		await writeFile(file, '{not json');
		await expect(fileViewSettingsStore(file).load()).rejects.toThrow(/not valid JSON/);
		expect(await readFile(file, 'utf8')).toBe('{not json');
	});
});
