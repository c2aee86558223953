// The scan agent's wire protocol, both ends of it (docs/agent-protocol.md): the client sends `<name><SEPARATOR><size>\n`
// and then exactly `size` bytes; the agent answers one line, `CLEAN`, `INFECTED <signature>` or `ERROR <reason>`.
// A client may first open a session (`SESSION\n`, answered `SESSION\n`) to send requests one after another on the
// connection. The agent formats what the client parses, so both import this file and neither writes the format again.

/** The literal text between the file name and its size in a request header. */
export const headerSeparator = '<SEPARATOR>';

/** Longest header accepted, newline included. */
export const maxHeaderBytes = 4096;

/** Longest reply line a client waits for; an agent's line is far shorter. */
export const maxReplyBytes = 4096;

/**
 * The line that opens a session: sent first on a connection, it asks the agent to keep the connection for more requests
 * after each CLEAN or INFECTED. It has no separator, so an agent without sessions refuses it as a bad header.
 */
export const sessionOpening = 'SESSION\n';

/** The agent's answer to sessionOpening: from here on, a verdict other than ERROR leaves the connection open. */
export const sessionReply = 'SESSION\n';

/** Whether `received`, the first bytes of a connection, opens a session: the opening's length, 'no', or 'incomplete'; pure. */
export function parseSessionOpening(received: Uint8Array): {length: number} | 'no' | 'incomplete' {
	const opening = Buffer.from(sessionOpening);
	const compared = Math.min(received.length, opening.length);
	if (!Buffer.from(received.buffer, received.byteOffset, compared).equals(opening.subarray(0, compared))) {
		return 'no';
	}

	return compared === opening.length ? {length: opening.length} : 'incomplete';
}

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

/** The agent's answer about one file: what a scan came to, whichever scanner ran it. */
export type ScanReply =
	| {verdict: 'clean'}
	| {verdict: 'infected'; signature: string}
	| {verdict: 'error'; reason: string};

/** Outcome of looking at the bytes received so far for the agent's reply. */
export type ReplyParse =
	| {state: 'incomplete'}
	| {state: 'complete'; reply: ScanReply}
	| {state: 'invalid'; reason: string};

const utf8 = new TextDecoder('utf-8', {fatal: true});

/** The header line a client sends, newline included; the name is made one line without control characters and cut to fit. */
export function formatHeader(name: string, size: number): string {
	let clean = name.replaceAll(/[\u0000-\u001F\u007F]/g, '_') || 'file';
	const budget = maxHeaderBytes - headerSeparator.length - 20;
	while (Buffer.byteLength(clean) > budget) {
		clean = [...clean].slice(0, -1).join('');
	}

	return `${clean}${headerSeparator}${size}\n`;
}

/** Looks for a complete `<name><SEPARATOR><size>\n` at the start of `received`; pure. */
export function parseHeader(received: Uint8Array): HeaderParse {
	const newline = received.subarray(0, maxHeaderBytes).indexOf(0x0A);
	if (newline === -1) {
		return received.length >= maxHeaderBytes
			? {state: 'invalid', reason: `header longer than ${maxHeaderBytes} bytes`}
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
	const at = text.lastIndexOf(headerSeparator);
	if (at === -1) {
		return {reason: `header has no ${headerSeparator}`};
	}

	const name = text.slice(0, at);
	const sizeText = text.slice(at + headerSeparator.length);
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

/** The one line the agent answers with, newline-terminated; signature and reason are made one line. */
export function formatReply(reply: ScanReply): string {
	switch (reply.verdict) {
		case 'clean': {
			return 'CLEAN\n';
		}

		case 'infected': {
			// A signature that sanitises to nothing must still not read as a bare `INFECTED`.
			return `INFECTED ${oneLine(reply.signature) || 'unnamed'}\n`;
		}

		case 'error': {
			return `ERROR ${oneLine(reply.reason) || 'scan failed'}\n`;
		}
	}
}

/**
 * Reads the agent's reply, failing closed: only `CLEAN\n` and `INFECTED <signature>\n` are verdicts, `ERROR <reason>\n`
 * is the agent's error, and anything else (other case, CR, missing newline at the end, bytes after the line) is invalid.
 */
export function parseReply(received: Uint8Array, ended = false): ReplyParse {
	const newline = received.indexOf(0x0A);
	if (newline === -1) {
		if (received.length > maxReplyBytes) {
			return {state: 'invalid', reason: 'reply line too long'};
		}

		if (!ended) {
			return {state: 'incomplete'};
		}

		return received.length === 0
			? {state: 'invalid', reason: 'closed the connection without a verdict'}
			: {state: 'invalid', reason: `reply ${quote(received)} has no newline`};
	}

	if (newline + 1 < received.length) {
		return {state: 'invalid', reason: `unexpected bytes after the reply ${quote(received.subarray(0, newline))}`};
	}

	let line: string;
	try {
		line = utf8.decode(received.subarray(0, newline));
	} catch {
		return {state: 'invalid', reason: 'reply is not valid UTF-8'};
	}

	if (line === 'CLEAN') {
		return {state: 'complete', reply: {verdict: 'clean'}};
	}

	// No control characters in a signature: it ends up in messages printed to a terminal.
	const infected = /^INFECTED ([^\u0000-\u001F\u007F]+)$/.exec(line);
	if (infected && infected[1]!.trim() !== '') {
		return {state: 'complete', reply: {verdict: 'infected', signature: infected[1]!}};
	}

	const error = /^ERROR(?: (.*))?$/.exec(line);
	if (error) {
		return {state: 'complete', reply: {verdict: 'error', reason: oneLine(error[1] ?? '', 500) || 'no reason given'}};
	}

	return {state: 'invalid', reason: `unexpected reply ${quote(received.subarray(0, newline))}`};
}

/** Text made safe for a one-line reply: controls, format characters and line separators become spaces, length is capped. */
export function oneLine(text: string, max = 1000): string {
	// The cut must not split a surrogate pair: half of one is not UTF-8.
	return text.replaceAll(/[\p{C}\p{Zl}\p{Zp}]+/gu, ' ').trim().slice(0, max).replace(/[\uD800-\uDBFF]$/, '');
}

function quote(bytes: Uint8Array): string {
	return JSON.stringify(Buffer.from(bytes).toString('latin1').slice(0, 80));
}
