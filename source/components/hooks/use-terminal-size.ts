import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

/** The terminal's size, updated on resize; the one place that measures it. */
export function useTerminalSize(): {columns: number; rows: number} {
	const {stdout} = useStdout();
	const [size, setSize] = useState(() => ({columns: stdout.columns || 80, rows: stdout.rows || 24}));
	useEffect(() => {
		const onResize = () => {
			setSize({columns: stdout.columns || 80, rows: stdout.rows || 24});
		};

		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);
	return size;
}
