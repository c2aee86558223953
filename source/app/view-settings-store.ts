import {join} from 'node:path';
import {appPaths} from '../engine/local/app-paths.js';
import {readJsonFile, writePrivateJsonFile} from '../engine/local/private-json-file.js';
import {parseViewSettings, type ViewSettingsStore} from '../ui/state/view-settings.js';

/** `$XDG_CONFIG_HOME/ftpane/view.json`, read at call time so tests can point it elsewhere. */
export function defaultViewSettingsPath(): string {
	return join(appPaths().config, 'view.json');
}

/** The panes' arrangement in a JSON file, as mc keeps its panels.ini: sort orders, hidden files, transcript, sides. */
export function fileViewSettingsStore(path = defaultViewSettingsPath()): ViewSettingsStore {
	// One write at a time, in order: two quick toggles must not land as the older one last.
	let writing: Promise<void> = Promise.resolve();
	return {
		async load() {
			return parseViewSettings(await readJsonFile<unknown>(path, {}));
		},
		async save(settings) {
			const write = writing.then(async () => writePrivateJsonFile(path, settings));
			writing = write.catch(() => undefined);
			await write;
		},
	};
}
