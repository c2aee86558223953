import {permissionsText, type FileEntry} from '../api/file-entry.js';

/** The file attributes an SFTP server sends (SFTP v3, draft-ietf-secsh-filexfer-02 §5): each may be missing. */
export type SftpAttributes = {
	mode?: number;
	size?: number;
	mtime?: number;
	atime?: number;
};

// The file-type field of a POSIX mode (S_IFMT), as OpenSSH sends it in the permissions attribute.
const typeMask = 0o170_000;
const typeBits = {dir: 0o040_000, file: 0o100_000, link: 0o120_000} as const;

/** The entry type a POSIX mode names; devices, FIFOs and sockets are 'unknown', as in the local and FTP listings. */
export function typeOfMode(mode: number): FileEntry['type'] {
	switch (mode & typeMask) {
		case typeBits.dir: {
			return 'dir';
		}

		case typeBits.file: {
			return 'file';
		}

		case typeBits.link: {
			return 'link';
		}

		default: {
			return 'unknown';
		}
	}
}

// `ls -l`'s first letter, for a server whose READDIR sends no permissions attribute but a long name.
const typeByLetter: Record<string, FileEntry['type']> = {'-': 'file', d: 'dir', l: 'link'};

/**
 * One directory entry from READDIR's name, long name and attributes. The type comes from the mode (never from
 * following a link); without one, from the long name's `ls -l` letter, which SFTP v3 servers send for display.
 */
export function entryFromAttributes(name: string, attributes: SftpAttributes, longName?: string): FileEntry {
	const {mode} = attributes;
	const type = mode === undefined
		? (longName && typeByLetter[longName[0]!]) || 'unknown'
		: typeOfMode(mode);
	const entry: FileEntry = {name, type};
	if (type === 'file' && attributes.size !== undefined) {
		entry.size = attributes.size;
	}

	if (attributes.mtime !== undefined) {
		entry.modified = new Date(attributes.mtime * 1000);
	}

	if (mode !== undefined) {
		entry.permissions = permissionsText(mode);
	}

	return entry;
}
