import type {ConnectOptions, TransferSettings} from '../api/engine-api.js';

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

/** The form an upload of `fileName` is scanned and sent in: 'crlf' when it goes in TYPE A, its bytes as they are otherwise. */
export function uploadForm(mode: TransferSettings['mode'], fileName: string): 'crlf' | undefined {
	return usesAscii(mode, fileName) ? 'crlf' : undefined;
}

/**
 * The user's settings as they apply to a session of `protocol`: SFTP (version 3, OpenSSH's) has no ASCII type and no
 * active mode, so its files always go byte for byte; converting line endings on this side alone would send bytes the
 * server stores as they are.
 */
export function sessionSettings(settings: TransferSettings, protocol: ConnectOptions['protocol']): TransferSettings {
	return protocol === 'sftp' ? {...settings, mode: 'binary', active: false} : settings;
}
