import {randomBytes} from 'node:crypto';
import {mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';

/** The EICAR anti-virus test string, joined only at run time so that the shipped script is not itself a test file. */
export function eicarText(): string {
	const first = String.raw`X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR`;
	const second = String.raw`-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`;
	return first + second;
}

/**
 * The environment that gives the demo's client config and data directories of its own under the demo's temporary
 * folder: bookmarks saved in the demo (with a port that dies with it), certificates trusted and files quarantined
 * there must not land in the user's ~/.config/ftpane and ~/.local/share/ftpane.
 */
export function demoAppEnvironment(root: string): Record<'XDG_CONFIG_HOME' | 'XDG_DATA_HOME' | 'XDG_CACHE_HOME' | 'XDG_STATE_HOME', string> {
	return {
		XDG_CONFIG_HOME: join(root, 'config'),
		XDG_DATA_HOME: join(root, 'data'),
		XDG_CACHE_HOME: join(root, 'cache'),
		XDG_STATE_HOME: join(root, 'state'),
	};
}

/**
 * The agent's clamscan for the demo: clamd streams only files up to its limit (25 MiB), and clamscan scans the bigger
 * ones, with the demo's own signatures when the system has none. With no working clamd it stays off, so that the
 * scanner the notice describes (none: uploads refused) is the one used.
 */
export function demoClamscan(scannerWorks: boolean, ownDatabaseDir: string | undefined): {clamscan?: false; clamscanDatabase?: string} {
	if (!scannerWorks) {
		return {clamscan: false};
	}

	return ownDatabaseDir === undefined ? {} : {clamscanDatabase: ownDatabaseDir};
}

/** Where the demo's two trees are. */
export type DemoTrees = {readonly serverDir: string; readonly localDir: string};

/**
 * Fills `root` with what the demo shows: a small server tree (text files, a nested folder, a binary) and a
 * local folder with two clean files and the EICAR test file, which the scan gate must refuse to upload.
 */
export async function createDemoTrees(root: string): Promise<DemoTrees> {
	const serverDir = join(root, 'server');
	const localDir = join(root, 'local');
	const files: Record<string, string | Buffer> = {
		[join(serverDir, 'README.txt')]: 'Welcome to the ftpane demo server.\n\nCopy files with F5, view them with F3, switch panes with Tab.\n',
		[join(serverDir, 'notes', 'todo.txt')]: '- try F5 on a directory\n- try F8 on a directory\n- press F1 for all keys\n',
		[join(serverDir, 'notes', 'meeting', 'minutes.md')]: '# Minutes\n\n* ftpane scans every upload with ClamAV before it leaves.\n',
		[join(serverDir, 'pub', 'release-notes.txt')]: 'ftpane 0.1.0\n\n- two panes\n- scan gate on uploads\n',
		[join(serverDir, 'pub', 'data.bin')]: randomBytes(256 * 1024),
		[join(localDir, 'hello.txt')]: 'Hello from the local side. This file is clean.\n',
		[join(localDir, 'report.csv')]: 'month,uploads,refused\njan,12,0\nfeb,9,1\n',
		[join(localDir, 'eicar.com')]: eicarText(),
	};
	for (const [path, content] of Object.entries(files)) {
		await mkdir(join(path, '..'), {recursive: true});
		await writeFile(path, content);
	}

	await mkdir(join(serverDir, 'incoming'), {recursive: true});
	return {serverDir, localDir};
}
