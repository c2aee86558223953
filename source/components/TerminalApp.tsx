import {App, type AppProps} from './App.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';

/** `App` sized to the terminal and re-laid out when it is resized. */
export function TerminalApp(props: Omit<AppProps, 'width' | 'height'>) {
	const {columns, rows} = useTerminalSize();
	return <App {...props} width={columns} height={rows}/>;
}
