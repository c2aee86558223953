import type {TransferSettings} from '../api/engine-api.js';

const textExtensions = new Set([
	'txt', 'text', 'md', 'csv', 'tsv', 'log', 'ini', 'cfg', 'conf', 'json', 'xml', 'html', 'htm', 'css', 'js', 'ts',
	'c', 'h', 'cpp', 'hpp', 'java', 'py', 'rb', 'pl', 'sh', 'bat', 'cmd', 'sql', 'yml', 'yaml', 'properties', 'php',
]);

/** Whether a file goes in TYPE A: always in ASCII mode, never in binary, by extension in auto mode. */
export function usesAscii(mode: TransferSettings['mode'], fileName: string): boolean {
	if (mode !== 'auto') {
		return mode === 'ascii';
	}

	const dot = fileName.lastIndexOf('.');
	return dot > 0 && textExtensions.has(fileName.slice(dot + 1).toLowerCase());
}
