import prettyBytes from 'pretty-bytes';

const sizeUnits = ['K', 'M', 'G', 'T', 'P'];

/** A size that fits `width` columns, MC style: plain bytes while they fit, then K, M, G (powers of 1024). */
export function formatSize(bytes: number, width = 7): string {
	const plain = String(bytes);
	if (plain.length <= width) {
		return plain;
	}

	let value = bytes;
	for (const unit of sizeUnits) {
		value = Math.round(value / 1024);
		const text = `${value}${unit}`;
		if (text.length <= width) {
			return text;
		}
	}

	return `${value}${sizeUnits.at(-1)!}`;
}

/** A modification time as `YYYY-MM-DD HH:MM` in local time: fixed width, sorts as text, no locale surprises. */
export function formatDate(date: Date | undefined): string {
	if (!date || Number.isNaN(date.getTime())) {
		return '';
	}

	const pad = (value: number) => String(value).padStart(2, '0');
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A byte count for people: `1.5 MiB`. */
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
