/** One entry of a directory, local or remote: panes and the CLI show these without caring which side they came from. */
export type FileEntry = {
	name: string;
	type: 'file' | 'dir' | 'link' | 'unknown';
	/** Bytes; undefined when the listing did not say. */
	size?: number;
	modified?: Date;
	/** `rwxr-xr-x` style, or MLSD's `perm` fact, when known. */
	permissions?: string;
	/** Target of a symbolic link, when the listing names it. */
	target?: string;
	/** The listing line as received, kept for lines no parser understood. */
	raw?: string;
};

/**
 * `rwxr-xr-x` for a mode's permission bits, with setuid, setgid and sticky shown as `ls -l` shows them (s/S, t/T): the
 * `permissions` of an entry the local disk or an SFTP server describes by its mode.
 */
export function permissionsText(mode: number): string {
	const bit = (mask: number, char: string): string => (mode & mask ? char : '-');
	const special = (execute: number, flag: number, set: string): string => {
		if (mode & flag) {
			return mode & execute ? set : set.toUpperCase();
		}

		return bit(execute, 'x');
	};

	return (
		bit(0o400, 'r') + bit(0o200, 'w') + special(0o100, 0o4000, 's')
		+ bit(0o040, 'r') + bit(0o020, 'w') + special(0o010, 0o2000, 's')
		+ bit(0o004, 'r') + bit(0o002, 'w') + special(0o001, 0o1000, 't')
	);
}
