import {FtpaneError} from '../api/errors.js';

/** One complete FTP reply: its code and its text lines (the code prefix stripped from the first and last). */
export type FtpReply = {
	code: number;
	/** The reply's text, lines joined with '\n', code prefixes of first and last line removed. */
	text: string;
	/** Every line as received, without line terminators. */
	lines: string[];
};

/** Replies longer than this end the connection: a hostile server must not grow our memory without bound. */
export const maxReplyBytes = 64 * 1024;

const firstLinePattern = /^(\d{3})([ -])(.*)$/s;

/** True for a preliminary (1xx) reply: a final one is still to come. */
export function isPreliminary(reply: FtpReply): boolean {
	return reply.code >= 100 && reply.code < 200;
}

/**
 * Incremental parser of the control connection's text (RFC 959 §4.2).
 * A multi-line reply `123-...` ends only at a line that starts with the same
 * code followed by a space, whatever lines in between look like.
 */
export class ReplyParser {
	private partialLine = '';
	private group: {code: string; lines: string[]} | undefined;
	private groupBytes = 0;

	/** Feeds decoded text; returns the replies completed by it. Throws when a reply grows past the cap. */
	feed(text: string): FtpReply[] {
		const replies: FtpReply[] = [];
		let data = this.partialLine + text;
		let start = 0;
		for (;;) {
			const newline = data.indexOf('\n', start);
			if (newline === -1) {
				break;
			}

			let line = data.slice(start, newline);
			if (line.endsWith('\r')) {
				line = line.slice(0, -1);
			}

			start = newline + 1;
			const reply = this.takeLine(line);
			if (reply) {
				replies.push(reply);
			}
		}

		data = data.slice(start);
		this.partialLine = data;
		if (this.groupBytes + this.partialLine.length > maxReplyBytes) {
			throw new FtpaneError('protocol', `server reply exceeds ${maxReplyBytes / 1024} KiB; connection closed`);
		}

		return replies;
	}

	/** True while a multi-line reply or a partial line is waiting for more text. */
	get isPending(): boolean {
		return this.group !== undefined || this.partialLine.length > 0;
	}

	private takeLine(line: string): FtpReply | undefined {
		if (this.group) {
			this.group.lines.push(line);
			this.groupBytes += line.length + 2;
			if (this.groupBytes > maxReplyBytes) {
				throw new FtpaneError('protocol', `server reply exceeds ${maxReplyBytes / 1024} KiB; connection closed`);
			}

			if (line.startsWith(this.group.code) && (line.length === 3 || line[3] === ' ')) {
				const {code, lines} = this.group;
				this.group = undefined;
				this.groupBytes = 0;
				return makeReply(Number(code), lines);
			}

			return undefined;
		}

		const match = firstLinePattern.exec(line) ?? /^(\d{3})()$/.exec(line);
		if (!match) {
			// Text outside any reply (some servers send stray banner lines): not a reply, nothing to answer.
			return undefined;
		}

		const [, code = '', separator] = match;
		if (separator === '-') {
			this.group = {code, lines: [line]};
			this.groupBytes = line.length + 2;
			return undefined;
		}

		return makeReply(Number(code), [line]);
	}
}

function makeReply(code: number, lines: string[]): FtpReply {
	const texts = lines.map((line, index) => {
		const isEdge = index === 0 || index === lines.length - 1;
		return isEdge && /^\d{3}[ -]?/.test(line) ? line.slice(4) : line;
	});
	return {code, text: texts.join('\n'), lines};
}
