import {spawnSync} from 'node:child_process';
import type {EditorPort, EditorRun} from '../ui/effects/editor-port.js';

/** Mc's fallback is its own editor; ftpane has none, so it falls back to `vi`, which every Unix has. */
export const fallbackEditor = 'vi';

/** The editor command the user chose: `$VISUAL`, else `$EDITOR` (as git and mc read them), else `vi`. */
export function editorCommand(env: NodeJS.ProcessEnv): string {
	for (const name of ['VISUAL', 'EDITOR'] as const) {
		const value = env[name]?.trim();
		if (value) {
			return value;
		}
	}

	return fallbackEditor;
}

/** What the editor's run needs of the screen: give the terminal away, and take it back and draw again. */
export type TerminalHandoff = {
	/** Raw mode off, the alternate screen left: the terminal is as the shell left it. */
	release(): void;
	/** Raw mode on, the alternate screen entered again; the app draws its whole screen afresh. */
	reclaim(): void;
};

/** How the editor process is run; tests may pass a stand-in, the app passes nothing. */
export type RunProcess = typeof spawnSync;

/**
 * The user's editor with the terminal handed over to it. It runs synchronously, as mc runs it: while the editor
 * has the terminal, no other reader of standard input may take its keys, and stopping Node's event loop is the one
 * sure way. Transfers under way pause meanwhile and go on afterwards. The command is run by `sh -c` as git runs
 * `$EDITOR`, so `EDITOR="code --wait"` works, and the file is passed as an argument, never pasted into the command.
 */
export function terminalEditor(env: NodeJS.ProcessEnv, handoff: TerminalHandoff, run: RunProcess = spawnSync): EditorPort {
	return {
		async edit(path: string): Promise<EditorRun> {
			const editor = editorCommand(env);
			handoff.release();
			try {
				const result = run('/bin/sh', ['-c', `${editor} "$1"`, editor, path], {stdio: 'inherit', env});
				if (result.error) {
					return {editor, problem: result.error.message};
				}

				// The shell's own answers: 127 not found, 126 found but not runnable.
				if (result.status === 127 || result.status === 126) {
					return {editor, status: result.status, problem: result.status === 127 ? 'command not found' : 'not executable'};
				}

				return result.status === null ? {editor} : {editor, status: result.status};
			} finally {
				handoff.reclaim();
			}
		},
	};
}
