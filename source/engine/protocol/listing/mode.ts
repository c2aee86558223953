/**
 * `rwxr-xr-x` for an octal mode such as MLSD's `unix.mode=0755` or EPLF's `up755`, with the
 * setuid, setgid and sticky bits shown the way `ls -l` shows them; undefined when not octal.
 */
export function octalModeToPermissions(octal: string): string | undefined {
	if (!/^[0-7]{1,7}$/.test(octal)) {
		return undefined;
	}

	// Only the permission and special bits: a leading file-type part (0100644) is not permissions.
	const mode = Number.parseInt(octal, 8) & 0o7777;
	const triad = (shift: number, special: boolean, setLetter: string): string => {
		const bits = (mode >> shift) & 7;
		const read = bits & 4 ? 'r' : '-';
		const write = bits & 2 ? 'w' : '-';
		const execute = bits & 1;
		let last = execute ? 'x' : '-';
		if (special) {
			last = execute ? setLetter : setLetter.toUpperCase();
		}

		return read + write + last;
	};

	return (
		triad(6, (mode & 0o4000) !== 0, 's') + triad(3, (mode & 0o2000) !== 0, 's') + triad(0, (mode & 0o1000) !== 0, 't')
	);
}
