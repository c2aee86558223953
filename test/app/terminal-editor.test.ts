import {chmod, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {editorCommand, terminalEditor} from '../../source/app/terminal-editor.js';
import {createTempDir, type TempDir} from '../helpers/temp-dir.js';

let dir: TempDir | undefined;

afterEach(async () => {
	await dir?.remove();
	dir = undefined;
});

describe('the editor F4 runs', () => {
	it('is $VISUAL, else $EDITOR, else vi (ftpane has no editor of its own, as mc has)', () => {
		expect(editorCommand({VISUAL: 'nano', EDITOR: 'ed'})).toBe('nano');
		expect(editorCommand({VISUAL: ' ', EDITOR: 'emacs -nw'})).toBe('emacs -nw');
		expect(editorCommand({})).toBe('vi');
	});

	it('gets the terminal between release and reclaim, with its arguments and a file name the shell never reads', async () => {
		dir = await createTempDir('ftpane-editor-');
		const script = path.join(dir.path, 'fake editor.sh');
		await writeFile(script, '#!/bin/sh\nprintf "%s|" "$@" >> "$2"\n');
		await chmod(script, 0o755);
		const file = path.join(dir.path, 'it\'s $(not run).txt');
		await writeFile(file, '');
		const steps: string[] = [];
		const editor = terminalEditor({EDITOR: `'${script}' --flag`}, {release: () => steps.push('release'), reclaim: () => steps.push('reclaim')});
		const run = await editor.edit(file);
		expect(run).toEqual({editor: `'${script}' --flag`, status: 0});
		expect(steps).toEqual(['release', 'reclaim']);
		await expect(readFile(file, 'utf8')).resolves.toBe(`--flag|${file}|`);
	});

	it('says when the editor cannot be found, and still gives the terminal back', async () => {
		const steps: string[] = [];
		const editor = terminalEditor({EDITOR: 'ftpane-no-such-editor'}, {release: () => steps.push('release'), reclaim: () => steps.push('reclaim')});
		await expect(editor.edit('/dev/null')).resolves.toEqual({editor: 'ftpane-no-such-editor', status: 127, problem: 'command not found'});
		expect(steps).toEqual(['release', 'reclaim']);
	});
});
