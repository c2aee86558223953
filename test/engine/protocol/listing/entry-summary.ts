import type {FileEntry} from '../../../../source/engine/api/file-entry.js';
import type {ParsedLine} from '../../../../source/engine/protocol/listing/line-parser.js';

/** What a corpus case expects of one parsed line; permissions are checked only when given. */
export type Expected = {
	name: string;
	type: FileEntry['type'];
	size?: number;
	modified?: Date;
	target?: string;
	permissions?: string;
};

/** A Date from wall-clock fields written `2024-01-05T12:00[:ss[.sss]]`, taken as UTC like the parsers do. */
export function at(text: string): Date {
	return new Date(`${text}Z`);
}

/** The fields a corpus case checks, so that a missing size or target is asserted missing too. */
export function summarize(parsed: ParsedLine, expected: Expected): Expected | ParsedLine {
	if (parsed === null || parsed === undefined) {
		return parsed;
	}

	const summary: Expected = {name: parsed.name, type: parsed.type};
	if (parsed.size !== undefined) {
		summary.size = parsed.size;
	}

	if (parsed.modified !== undefined) {
		summary.modified = parsed.modified;
	}

	if (parsed.target !== undefined) {
		summary.target = parsed.target;
	}

	if (expected.permissions !== undefined) {
		summary.permissions = parsed.permissions;
	}

	return summary;
}
