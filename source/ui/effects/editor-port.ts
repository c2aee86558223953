/** How one run of the user's editor went. */
export type EditorRun = {
	/** The command run, as the help and messages name it (`$VISUAL`, `$EDITOR`, or `vi`). */
	readonly editor: string;
	/** The editor's exit status; undefined when it could not be started or was killed. */
	readonly status?: number;
	/** Why it could not be run, if it could not. */
	readonly problem?: string;
};

/**
 * The user's editor, run on one file with the terminal handed over to it (F4). The full-screen client provides it
 * (app/terminal-editor.ts): the screen and the keyboard go to the editor and come back once it exits.
 */
export type EditorPort = {
	edit(path: string): Promise<EditorRun>;
};
