import {formatBytes, formatDate} from './format.js';
import type {Dialog} from '../state/dialog.js';
import {displayWidth, sanitize} from './text-width.js';

const graphemes = new Intl.Segmenter(undefined, {granularity: 'grapheme'});

/** How a dialog looks: errors and virus verdicts stand out. */
export type DialogTone = 'normal' | 'warning' | 'danger';

/** The words of a dialog, apart from its fields and buttons. */
export type DialogText = {readonly title: string; readonly lines: readonly string[]; readonly tone: DialogTone};

/** Title and message lines of any dialog, as plain text (names already made safe to print). */
export function dialogText(dialog: Dialog): DialogText {
	switch (dialog.type) {
		case 'connect': {
			return {title: 'Connect', lines: dialog.problem ? [dialog.problem] : [], tone: dialog.problem ? 'warning' : 'normal'};
		}

		case 'confirm-copy': {
			const verb = dialog.from === 'local' ? 'Upload' : 'Download';
			return {title: 'Copy', lines: [`${verb} ${what(dialog.entries)} to:`], tone: 'normal'};
		}

		case 'confirm-delete': {
			const dirs = dialog.entries.filter(entry => entry.type === 'dir').length;
			let line = `Delete ${what(dialog.entries)}?`;
			if (dirs > 0) {
				line = dialog.entries.length === 1 ? `Delete ${what(dialog.entries)} and everything in it?` : `Delete ${what(dialog.entries)}, directories with everything in them?`;
			}

			return {title: 'Delete', lines: [line], tone: 'danger'};
		}

		case 'mkdir': {
			return {title: 'Make directory', lines: ['Enter directory name:'], tone: 'normal'};
		}

		case 'rename': {
			const line = dialog.entries.length === 1 ? `Rename or move ${what(dialog.entries)} to:` : `Move ${what(dialog.entries)} into directory:`;
			return {title: 'Rename/Move', lines: [line], tone: 'normal'};
		}

		case 'conflict': {
			return {title: 'File exists', lines: conflictLines(dialog.question), tone: 'warning'};
		}

		case 'trust-certificate': {
			const certificate = dialog.certificate;
			return {
				title: 'Untrusted certificate',
				lines: [
					`${sanitize(certificate.host)}:${certificate.port}: ${sanitize(certificate.reason)}`,
					`Subject: ${sanitize(certificate.subject)}`,
					`Issuer:  ${sanitize(certificate.issuer)}`,
					`Valid:   ${sanitize(certificate.validFrom)} to ${sanitize(certificate.validTo)}`,
					`SHA-256: ${sanitize(certificate.fingerprint256)}`,
				],
				tone: 'warning',
			};
		}

		case 'trust-host-key': {
			return {title: 'Unknown host key', lines: hostKeyLines(dialog.hostKey), tone: 'warning'};
		}

		case 'secret': {
			// The prompt may be the server's own (keyboard-interactive): made safe like any remote text.
			return {title: sanitize(dialog.prompt), lines: dialog.secret === 'passphrase' ? ['Cancel skips this key.'] : [], tone: 'normal'};
		}

		case 'infected': {
			return {title: 'Virus found', lines: [sanitize(dialog.message)], tone: 'danger'};
		}

		case 'scan-failed': {
			return {title: 'Scan failed', lines: [sanitize(dialog.message)], tone: 'danger'};
		}

		case 'error': {
			const code = dialog.error.code === undefined ? [] : [`Server reply code: ${dialog.error.code}`];
			return {title: 'Error', lines: [sanitize(dialog.error.message), ...code], tone: 'danger'};
		}

		case 'help': {
			return {title: 'Help', lines: [], tone: 'normal'};
		}

		case 'options': {
			return {title: 'Options', lines: [], tone: 'normal'};
		}

		case 'select-pattern': {
			return {title: dialog.mode === 'select' ? 'Select' : 'Unselect', lines: [`${dialog.filesOnly ? 'Files' : 'Files and directories'} matching (* ? [...]):`], tone: 'normal'};
		}

		case 'filter': {
			return {title: 'Filter', lines: ['Show files named with (or matching * ?) in this directory; directories stay; empty shows all:'], tone: 'normal'};
		}

		case 'quit-confirm': {
			const running = {0: 'A copy or delete is', 1: 'A transfer is'}[dialog.running] ?? `${dialog.running} transfers are`;
			return {title: 'Quit', lines: [`${running} still under way; quitting stops ${dialog.running > 1 ? 'them' : 'it'}.`, 'Do you really want to quit ftpane?'], tone: 'warning'};
		}

		case 'bookmarks': {
			return {title: 'Bookmarks', lines: [], tone: 'normal'};
		}

		case 'history': {
			return {title: 'Directory history', lines: [], tone: 'normal'};
		}

		case 'notice': {
			return {title: sanitize(dialog.title), lines: dialog.lines.map(line => sanitize(line)), tone: 'normal'};
		}

		case 'cancel-job': {
			const job = dialog.job;
			const lines = job ? [`${job.state === 'running' ? 'Running' : 'Queued'}: ${job.direction === 'upload' ? 'upload of' : 'download of'} ${sanitize(job.label)}`] : ['A copy or delete is being prepared.'];
			if (dialog.others > 0) {
				lines.push(`${dialog.others} more queued.`);
			}

			return {title: 'Stop transfer', lines, tone: 'warning'};
		}

		case 'viewer': {
			return {title: sanitize(dialog.title), lines: [], tone: 'normal'};
		}

		case 'queue': {
			return {title: 'Transfer queue', lines: [], tone: 'normal'};
		}

		case 'chmod': {
			return {title: 'Chmod command', lines: [], tone: 'normal'};
		}

		case 'compare': {
			return {title: 'Compare directories', lines: ['Select compare method:', 'Quick: size and date.  Size only: size.'], tone: 'normal'};
		}
	}
}

function what(entries: ReadonlyArray<{name: string; type: string}>): string {
	if (entries.length === 1) {
		const entry = entries[0]!;
		return `${entry.type === 'dir' ? 'directory ' : ''}"${sanitize(entry.name)}"`;
	}

	return `${entries.length} entries`;
}

/**
 * The secret dialog's words for a dialog `inner` columns wide: the prompt is the title when it fits; a longer one (a
 * key's full path) would lose its end there, so it moves into the lines, wrapped whole, under a short title.
 */
export function secretDialogText(dialog: Extract<Dialog, {type: 'secret'}>, inner: number): DialogText {
	const text = dialogText(dialog);
	if (displayWidth(text.title) <= inner) {
		return text;
	}

	return {...text, title: dialog.secret === 'passphrase' ? 'Passphrase' : 'Password', lines: [text.title, ...text.lines]};
}

/**
 * OpenSSH's first-contact question, in its words: the host as known_hosts names it (`[host]:port` off port 22), the
 * key's type and its SHA256 fingerprint, and, when known_hosts has this host under another key type, that too.
 */
function hostKeyLines(hostKey: Extract<Dialog, {type: 'trust-host-key'}>['hostKey']): string[] {
	const host = sanitize(hostKey.host);
	const named = hostKey.port === 22 ? host : `[${host}]:${hostKey.port}`;
	return [
		`The authenticity of host '${named}' can't be established.`,
		...(hostKey.reason === 'unknown-type' ? ['Keys of a different type are already known for this host.'] : []),
		`${sshKeyTypeName(hostKey.keyType)} key fingerprint is ${sanitize(hostKey.fingerprint256)}.`,
		'Are you sure you want to continue connecting?',
		'Once: this session only.  Always: also add it to ~/.ssh/known_hosts.',
	];
}

const sshKeyTypes: Readonly<Record<string, string>> = {
	'ssh-ed25519': 'ED25519',
	'ssh-ed448': 'ED448',
	'sk-ssh-ed25519@openssh.com': 'ED25519-SK',
	'sk-ecdsa-sha2-nistp256@openssh.com': 'ECDSA-SK',
	'ssh-rsa': 'RSA',
	'rsa-sha2-256': 'RSA',
	'rsa-sha2-512': 'RSA',
	'ssh-dss': 'DSA',
};

/** A host key's type as OpenSSH's prompt names it: `ssh-ed25519` is ED25519, every `ecdsa-sha2-*` is ECDSA. */
export function sshKeyTypeName(keyType: string): string {
	return sshKeyTypes[keyType] ?? (keyType.startsWith('ecdsa-sha2-') ? 'ECDSA' : sanitize(keyType).toUpperCase());
}

/** What Older and Size differs are decided on: each side's size and modification time, where known. */
function conflictLines(question: Extract<Dialog, {type: 'conflict'}>['question']): string[] {
	const lines = [sanitize(question.path), `already exists on the ${question.side} side.`];
	// Both sides always, as mc's dialog: a side the listing told nothing about says so rather than vanishing.
	const facts = (label: string, size: number | undefined, modified: Date | undefined) => {
		const known = [size === undefined ? '' : formatBytes(size), formatDate(modified)].filter(text => text !== '');
		return [`${label} ${known.length > 0 ? known.join(', ') : 'size and date unknown'}`];
	};

	return [...lines, ...facts('Existing:', question.existingSize, question.existingModified), ...facts('New:     ', question.newSize, question.newModified)];
}

/**
 * Wraps one line of dialog text to `width` columns between words: a wrapped line never starts (or ends) with the
 * spaces it was broken at, as Ink's own wrapping leaves them; spaces inside a line stay (aligned columns), and a
 * word wider than the line is cut by display width.
 */
export function wrapText(text: string, width: number): string[] {
	const room = Math.max(1, width);
	if (displayWidth(text) <= room) {
		return [text];
	}

	// Words with the spaces before each: ['', '  ', 'a', ' ', 'b'] for '  a b'.
	const parts = text.split(/( +)/);
	const lines: string[] = [];
	let line = parts[0] ?? '';
	for (let index = 1; index < parts.length; index += 2) {
		const spaces = parts[index]!;
		const word = parts[index + 1] ?? '';
		if (displayWidth(line + spaces + word) <= room) {
			line += spaces + word;
			continue;
		}

		// A word no line can hold (a certificate fingerprint, a long path) is cut anyway: it may as well start here.
		if (displayWidth(word) > room && line.trim() !== '') {
			line = cutInto(lines, line + spaces + word, room);
			continue;
		}

		if (line.trim() !== '') {
			lines.push(line);
			line = '';
		}

		line = cutInto(lines, line === '' ? word : line + spaces + word, room);
	}

	if (lines.length === 0 || line !== '') {
		lines.push(displayWidth(line) > room ? cutInto(lines, line, room) : line);
	}

	return lines.filter((row, index) => row !== '' || index === 0);
}

/** Pushes whole-width pieces of `text` onto `lines` and returns the rest, which fits. */
function cutInto(lines: string[], text: string, room: number): string {
	let piece = '';
	for (const {segment} of graphemes.segment(text)) {
		if (piece !== '' && displayWidth(piece + segment) > room) {
			lines.push(piece);
			piece = '';
		}

		piece += segment;
	}

	return piece;
}
