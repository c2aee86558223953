import {FtpaneError} from '../engine/api/errors.js';
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
			await printListing(engine, remote, url.path, printer, listingPrinter(printer, out));
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

/** A directory's entries as they arrive; for a URL naming a file, that file's own entry, as `ls` does. */
async function printListing(engine: BatchSession['engine'], remote: Host, path: string, printer: EntryPrinter, listing: ListingPrinter): Promise<void> {
	let received = false;
	try {
		await engine.listStream(path === '' || path === '.' ? undefined : path, (chunk, format) => {
			received = true;
			listing.receive(chunk, format);
		});
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
