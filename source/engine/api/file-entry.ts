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
