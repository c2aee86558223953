import {FtpaneError} from '../engine/api/errors.js';
import type {FileEntry} from '../engine/api/file-entry.js';
import type {Host} from '../engine/host/host.js';
import {type EntryPrinter, jsonPrinter, listingPrinter, type ListingPrinter, OutputBatcher, textPrinter} from './ls-output.js';
import {type BatchCommand, type BatchSession, requireArgs, withSession} from './open-session.js';

// A module of its own so that `ftpane ls` loads neither the transfer planner nor the copy runner: it starts sooner.

/** `ftpane ls URL`: one entry per line; with --json, one JSON array (entryJson). Printed while the listing arrives. */
export const ls: BatchCommand = async (args, flags, io) => {
	requireArgs(args, 1, 'ftpane ls [--json] URL');
	return withSession(args[0], flags, io, async ({engine, remote, url}) => {
		// Without a raw writer (an injected CliIo), the output is gathered and goes out once, at the end.
		const gathered: string[] = [];
		const out = new OutputBatcher(io.write ?? (text => {
			gathered.push(text);
		}));
		const printer = flags.json ? jsonPrinter(out) : textPrinter(out);
		try {
			// SFTP's READDIR gives entries, not lines of text: they are printed a part at a time as they come.
			const listing = url.scheme === 'sftp' ? entriesPrinter(printer, out) : listingPrinter(printer, out);
			await printListing(engine, remote, url.path, printer, listing);
		} finally {
			// What was parsed before a failure is shown (a JSON array left open says it is incomplete), then the error.
			out.flush();
			if (gathered.length > 0) {
				io.stdout(gathered.join('').replace(/\n$/, ''));
			}
		}

		return 0;
	});
};

/** How a listing reaches the printer: the text of an FTP listing as it arrives (ListingPrinter), or SFTP's entries. */
type ListingSink = ListingPrinter | EntriesPrinter;

/** SFTP's listing printed as its parts arrive. */
type EntriesPrinter = {
	receiveEntries(entries: readonly FileEntry[]): void;
	end(): void;
};

function entriesPrinter(printer: EntryPrinter, out: OutputBatcher): EntriesPrinter {
	return {
		receiveEntries(entries) {
			for (const entry of entries) {
				printer.entry(entry);
			}

			out.settle();
		},
		end() {
			printer.end();
		},
	};
}

/** A directory's entries as they arrive; for a URL naming a file, that file's own entry, as `ls` does. */
async function printListing(engine: BatchSession['engine'], remote: Host, path: string, printer: EntryPrinter, listing: ListingSink): Promise<void> {
	let received = false;
	const target = path === '' || path === '.' ? undefined : path;
	try {
		await ('receiveEntries' in listing
			? engine.listParts(target, entries => {
				received = true;
				listing.receiveEntries(entries);
			})
			: engine.listStream(target, (chunk, format) => {
				received = true;
				listing.receive(chunk, format);
			}));
	} catch (error) {
		if (received || !(error instanceof FtpaneError) || error.kind !== 'remote' || path === '' || path.endsWith('/')) {
			throw error;
		}

		// The server's refusal says more than a failed look-up would: it is what the user sees when nothing is there.
		const entry = await remote.stat(path).catch(() => undefined);
		if (!entry) {
			throw error;
		}

		printer.entry(entry);
		printer.end();
		return;
	}

	listing.end();
}
