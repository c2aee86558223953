import {Text} from 'ink';
import {fieldView, sanitize, truncateToWidth} from '../../ui/view/text-width.js';

/** Props of `TextFieldView`. */
export type TextFieldViewProps = {
	readonly value: string;
	readonly cursor: number;
	readonly width: number;
	readonly focused: boolean;
	/** Shown instead of each character, for passwords. */
	readonly mask?: string;
};

/**
 * A one-line text field drawn from reducer state; the reducer does the editing (`ui/state/text-edit.ts`), this only
 * shows it. ftpane does not use ink-text-input: measured, its field lost the keys that arrived in the same input chunk
 * as the key that opened its dialog (F7 then a name typed fast, a paste, keys over a slow SSH link), because it
 * subscribes to input only once it has mounted. Here every key goes through the one reducer, in order.
 */
export function TextFieldView({value, cursor, width, focused, mask}: TextFieldViewProps) {
	if (!focused) {
		const shown = mask ? mask.repeat([...value].length) : sanitize(value);
		return <Text wrap="truncate">{truncateToWidth(shown, width)}</Text>;
	}

	const view = fieldView(value, cursor, width, mask);
	return (
		<Text wrap="truncate">
			{view.before}
			<Text inverse>{view.at}</Text>
			{view.after}
		</Text>
	);
}
