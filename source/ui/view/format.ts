import prettyBytes from 'pretty-bytes';

/** The widest formatBytes gives (`1023 KiB`, `9.54 MiB`): a pane's size column. */
export const sizeColumnWidth = 8;

const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const halfYearMs = 182 * 24 * 60 * 60 * 1000;

/**
 * A modification time in 12 cells, as ls and mc show it: `Dec  1 21:07` for the last six months, `Dec  1  2019` for
 * older files and for times in the future (a clock that differs), so that the name column gets the room.
 */
export function formatShortDate(date: Date | undefined, now: Date = new Date()): string {
	if (!date || Number.isNaN(date.getTime())) {
		return '';
	}

	const age = now.getTime() - date.getTime();
	const day = `${monthNames[date.getMonth()]} ${String(date.getDate()).padStart(2, ' ')}`;
	if (age < 0 - (60 * 60 * 1000) || age > halfYearMs) {
		return `${day}  ${String(date.getFullYear()).padStart(4, ' ')}`;
	}

	return `${day} ${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/** A modification time as `YYYY-MM-DD HH:MM` in local time: fixed width, sorts as text, no locale surprises. */
export function formatDate(date: Date | undefined): string {
	if (!date || Number.isNaN(date.getTime())) {
		return '';
	}

	const pad = (value: number) => String(value).padStart(2, '0');
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A byte count for people: `1.5 MiB`; the one size format of the TUI, pane columns included. */
export function formatBytes(bytes: number): string {
	return prettyBytes(bytes, {binary: true});
}

/** A transfer rate: `1.2 MiB/s`. */
export function formatRate(bytesPerSecond: number): string {
	return `${prettyBytes(Math.max(0, bytesPerSecond), {binary: true})}/s`;
}

/** A duration as `m:ss` or `h:mm:ss`. */
export function formatDuration(seconds: number): string {
	const whole = Math.max(0, Math.round(seconds));
	const hours = Math.floor(whole / 3600);
	const minutes = Math.floor((whole % 3600) / 60);
	const rest = String(whole % 60).padStart(2, '0');
	return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}
