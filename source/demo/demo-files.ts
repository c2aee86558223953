import {randomBytes} from 'node:crypto';
import {mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';

/** The EICAR anti-virus test string, joined only at run time so that the shipped script is not itself a test file. */
export function eicarText(): string {
	const first = String.raw`X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR`;
	const second = String.raw`-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`;
	return first + second;
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
