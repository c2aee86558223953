import {createRequire} from 'node:module';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {describe, expect, it} from 'vitest';

// Ink's log-update, the module that writes frames; ink's package exports only its index, so it is found beside it.
type LogUpdate = {create(stream: {write(text: string): boolean}, options: {incremental: boolean}): (frame: string) => void};
const inkIndex = createRequire(import.meta.url).resolve('ink');
const {default: logUpdate} = await import(pathToFileURL(path.join(path.dirname(inkIndex), 'log-update.js')).href) as {default: LogUpdate};

/**
 * The few things a terminal does with what log-update writes: text at the cursor, newline (with the tty's CR), cursor
 * up, next line, to a column, and erasing a line or its end. Whatever else arrives fails the test, so a sequence this
 * model does not know cannot pass unseen.
 */
class Terminal {
	readonly lines: string[][] = [];
	private row = 0;
	private column = 0;

	write(text: string): boolean {
		// eslint-disable-next-line no-control-regex -- escape sequences are what a terminal reads
		const pieces = text.split(/(\u001B\[[?\d;]*[A-Za-z]|\n)/);
		for (const piece of pieces) {
			this.apply(piece);
		}

		return true;
	}

	screen(): string[] {
		return this.lines.map(line => line.join('').trimEnd());
	}

	private apply(piece: string): void {
		if (piece === '') {
			return;
		}

		if (piece === '\n') {
			this.row++;
			this.column = 0;
			return;
		}

		// eslint-disable-next-line no-control-regex -- escape sequences are what a terminal reads
		const escape = /^\u001B\[([?\d;]*)([A-Za-z])$/.exec(piece);
		if (!escape) {
			const line = this.line();
			for (const character of piece) {
				line[this.column++] = character;
			}

			return;
		}

		const [, parameter = '', command] = escape;
		const count = parameter === '' ? 1 : Number(parameter);
		switch (`${parameter.startsWith('?') ? '?' : ''}${command}`) {
			case 'A': {
				// As xterm and tmux: a count of 0 moves one row.
				this.row = Math.max(0, this.row - Math.max(1, count));
				break;
			}

			case 'E': {
				this.row += Math.max(1, count);
				this.column = 0;
				break;
			}

			case 'G': {
				this.column = Math.max(1, count) - 1;
				break;
			}

			case 'K': {
				const line = this.line();
				line.splice(parameter === '2' ? 0 : this.column);
				break;
			}

			case '?l':
			case '?h': {
				// Cursor shown or hidden: nothing on screen changes.
				break;
			}

			default: {
				throw new Error(`the terminal model does not know ${JSON.stringify(piece)}`);
			}
		}
	}

	private line(): string[] {
		while (this.lines.length <= this.row) {
			this.lines.push([]);
		}

		return this.lines[this.row]!;
	}
}

const frame = (rows: readonly string[]) => `${rows.join('\n')}\n`;

describe('Ink incremental rendering (patches/ink+6.8.0.patch)', () => {
	it('redraws a frame that ends with a newline in place, as the standard renderer does', () => {
		// Ink ends every frame shorter than the terminal with a newline, so the cursor rests below its last row.
		const frames = [
			['..', 'a.txt', 'b.txt', 'c.txt'],
			['..', 'A.TXT', 'b.txt', 'c.txt'],
			['..', 'A.TXT', 'b.txt', 'C.TXT'],
			['..', 'A.TXT', 'b.txt', 'C.TXT'],
			['..', 'A.TXT'],
			['..', 'x', 'y', 'z', 'w'],
		];
		const incremental = new Terminal();
		const standard = new Terminal();
		const drawIncremental = logUpdate.create(incremental, {incremental: true});
		const drawStandard = logUpdate.create(standard, {incremental: false});
		for (const rows of frames) {
			drawIncremental(frame(rows));
			drawStandard(frame(rows));
			// Unpatched, each frame after the first was drawn one row lower than the one before.
			expect(incremental.screen().slice(0, rows.length)).toEqual(rows);
			expect(incremental.screen().filter(Boolean)).toEqual(standard.screen().filter(Boolean));
		}
	});

	it('writes only the rows that changed', () => {
		const writes: string[] = [];
		const terminal = new Terminal();
		const draw = logUpdate.create({write(text: string) {
			writes.push(text);
			return terminal.write(text);
		}}, {incremental: true});
		const rows = Array.from({length: 30}, (_, index) => `file-${index}`);
		draw(frame(rows));
		draw(frame(rows.map((row, index) => (index === 7 ? row.toUpperCase() : row))));
		const last = writes.at(-1) ?? '';
		expect(last).toContain('FILE-7');
		expect(last).not.toContain('file-6');
		expect(last).not.toContain('file-8');
		expect(terminal.screen()[7]).toBe('FILE-7');
	});
});
