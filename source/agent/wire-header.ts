/** The literal text between the file name and its size in a request header. */
export const SEPARATOR = '<SEPARATOR>';

/** Longest header accepted, newline included. */
export const MAX_HEADER_BYTES = 4096;

/** What a client announces before the file's bytes. */
export type RequestHeader = {
	name: string;
	size: number;
};

/** Outcome of looking at the bytes received so far for a header line. */
export type HeaderParse =
	| {state: 'incomplete'}
	| {state: 'complete'; header: RequestHeader; headerLength: number}
	| {state: 'invalid'; reason: string};

const utf8 = new TextDecoder('utf-8', {fatal: true});

/** Looks for a complete `<name><SEPARATOR><size>\n` at the start of `received`; pure. */
export function parseHeader(received: Uint8Array): HeaderParse {
	const newline = received.subarray(0, MAX_HEADER_BYTES).indexOf(0x0A);
	if (newline === -1) {
		return received.length >= MAX_HEADER_BYTES
			? {state: 'invalid', reason: `header longer than ${MAX_HEADER_BYTES} bytes`}
			: {state: 'incomplete'};
	}

	const parsed = parseHeaderLine(received.subarray(0, newline));
	return 'reason' in parsed
		? {state: 'invalid', reason: parsed.reason}
		: {state: 'complete', header: parsed, headerLength: newline + 1};
}

function parseHeaderLine(line: Uint8Array): RequestHeader | {reason: string} {
	let text: string;
	try {
		text = utf8.decode(line);
	} catch {
		return {reason: 'header is not valid UTF-8'};
	}

	// The size is digits only, so the last separator is the real one and a name may itself contain the separator text.
	const at = text.lastIndexOf(SEPARATOR);
	if (at === -1) {
		return {reason: `header has no ${SEPARATOR}`};
	}

	const name = text.slice(0, at);
	const sizeText = text.slice(at + SEPARATOR.length);
	if (name.length === 0) {
		return {reason: 'header has an empty file name'};
	}

	// Control characters would let a name forge lines in the agent's log.
	if (/[\u0000-\u001F\u007F]/.test(name)) {
		return {reason: 'file name contains control characters'};
	}

	if (!/^(0|[1-9]\d*)$/.test(sizeText)) {
		return {reason: `size ${JSON.stringify(sizeText.slice(0, 40))} is not a decimal number`};
	}

	const size = Number(sizeText);
	if (!Number.isSafeInteger(size)) {
		return {reason: `size ${sizeText.slice(0, 40)} is too large`};
	}

	return {name, size};
}
