import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {defaultBookmarksPath} from '../../source/app/bookmark-store.js';
import {demoAppEnvironment, demoClamscan} from '../../source/demo/demo-files.js';
import {appPaths} from '../../source/engine/local/app-paths.js';
import {quarantineDirectory} from '../../source/engine/scan/quarantine.js';

describe('the demo keeps to its own folder', () => {
	const saved = {...process.env};

	afterEach(() => {
		for (const name of Object.keys(demoAppEnvironment('/'))) {
			if (saved[name] === undefined) {
				delete process.env[name];
			} else {
				process.env[name] = saved[name];
			}
		}
	});

	it('points every file ftpane stores (bookmarks, known certificates, quarantine) into it', () => {
		Object.assign(process.env, demoAppEnvironment('/tmp/ftpane-demo-x'));
		for (const path of [defaultBookmarksPath(), appPaths().config, appPaths().data, quarantineDirectory()]) {
			expect(path.startsWith('/tmp/ftpane-demo-x/')).toBe(true);
		}
	});
});

describe('the demo agent\'s clamscan', () => {
	it('is used when a clamd works, with the demo\'s own signatures when the system has none', () => {
		expect(demoClamscan(true, undefined)).toEqual({});
		expect(demoClamscan(true, join('/tmp/d', 'db'))).toEqual({clamscanDatabase: '/tmp/d/db'});
	});

	it('stays off with no working clamd, as the notice says uploads are refused', () => {
		expect(demoClamscan(false, undefined)).toEqual({clamscan: false});
	});
});
