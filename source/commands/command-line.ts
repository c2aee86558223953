import process from 'node:process';
import {meowSettings, type CliFlags} from './cli-flags.js';
import {type BatchCommandName, isBatchCommandName} from './command-names.js';
import {hideCommandLineSecrets, scrubSecrets, secretsIn} from './command-line-secrets.js';
import {FtpaneError} from '../engine/api/errors.js';
import {maskUserInfo} from '../engine/protocol/url.js';
import type {BatchCommand} from './open-session.js';
import {textWriter} from './standard-output.js';
import {reportFailure} from './failure-report.js';

const usage = `
  Usage
    $ ftpane [URL]                       full-screen two-pane client (connect dialog without URL)
    $ ftpane ls [--json] URL             list a remote directory (--json: one JSON array)
    $ ftpane get [-r] URL [DEST]         download a file (a tree with -r); DEST - is stdout
    $ ftpane put [-r] SRC URL            upload a file or tree; every file is scanned first
    $ ftpane rm URL | mkdir URL | rmdir URL
    $ ftpane mv URL NEWPATH              NEWPATH: a path, or a URL on the same server
    $ ftpane agent [--listen HOST:PORT] [--clamd SOCKET|tcp://HOST:PORT]   (ftpane agent --help)
    $ ftpane COMMAND --help              one command's usage, with an example

  URLs
    ftp://[user[:password]@]host[:port]/path   path relative to the login directory; %2F for absolute
    ftpes://...  explicit FTPS (AUTH TLS)       ftps://...  implicit FTPS (port 990)
    Credentials also from ~/.netrc and FTPANE_PASSWORD (safer than the URL, which
    other local users can see while ftpane starts); anonymous when none.
    sftp://[user@]host[:port]/path   SFTP over SSH (port 22); the path is absolute,
                         sftp://host/~/path is relative to the login directory; host may be
                         a Host alias of ~/.ssh/config (HostName, User, Port, IdentityFile)
    SFTP logs in as ssh does: ssh-agent, then ~/.ssh/id_ed25519, id_ecdsa, id_rsa
    (a passphrase asked at a terminal), then a password; the host key must be in
    ~/.ssh/known_hosts or named by --trust. ~ is $HOME.
      $ ftpane ls sftp://alice@lab1/~/
      $ ftpane put -r ./site sftp://lab1/var/www/

  Options
    --active             active mode (EPRT/PORT) instead of passive
    --ascii              ASCII transfers (TYPE A, CRLF <-> LF)
    --timeout SECONDS    idle timeout (default 30)
    --scan-timeout SECONDS  scan without progress before an upload is refused (default 300)
    --verbose, -v        control-connection transcript on stderr (password masked)
    --recursive, -r      whole trees for get and put
    --parallel N         files get -r and put -r copy at once (default 3)
    --retries N          reconnects after a dropped connection, the file continued (default 5; 0: none)
    --on-conflict WHAT   a file already at the destination (get, put, -r too):
                         overwrite (default), skip, resume, rename (a free name
                         beside it), newer (only if the source is newer),
                         different (only if size or time differ), ask (at a terminal)
    --resume             continue a partial download or upload (--on-conflict resume)
    --tls                explicit FTPS on an ftp:// URL
    --ca FILE            extra certificate authority (PEM), repeatable
    --trust SHA256       accept the certificate with this fingerprint; for sftp://,
                         the host key with this fingerprint (SHA256:... as ssh prints it)
    --identity, -i FILE  sftp://: a private key to try first (as ssh -i)
    --insecure           accept any certificate (warns)
    --clear-data         keep data connections unencrypted (PROT C) under TLS
    --agent HOST:PORT    scan agent (default 127.0.0.1:15116)
    --scan-downloads     scan downloads too; infected files go to quarantine

  Exit codes
    0 ok, 1 other error, 2 usage, 3 connection or timeout, 4 login failed,
    5 remote file error, 6 infected file refused, 7 scan agent unavailable or failed,
    8 TLS, or an SSH host key not trusted
`;

const batchCommands: Record<BatchCommandName, () => Promise<BatchCommand>> = {
	// `ls` has a module of its own: it loads none of the transfer code.
	ls: async () => (await import('./ls-command.js')).ls,
	get: async () => (await import('./batch-commands.js')).get,
	put: async () => (await import('./batch-commands.js')).put,
	rm: async () => (await import('./batch-commands.js')).rm,
	mkdir: async () => (await import('./batch-commands.js')).mkdir,
	rmdir: async () => (await import('./batch-commands.js')).rmdir,
	mv: async () => (await import('./batch-commands.js')).mv,
};

/** The loader of a batch command's module by its name; none for any other word (`constructor` included). */
function commandLoader(name: string | undefined): (() => Promise<BatchCommand>) | undefined {
	return isBatchCommandName(name) ? batchCommands[name] : undefined;
}

/** How a command line ends: with an exit code, or with the full-screen client to open (a URL given with flags). */
export type CommandLineOutcome = {exitCode: number} | {screen: {url: string | undefined; flags: CliFlags}};

/**
 * Runs a command line that is not a bare start (cli.ts): meow reads its flags, then a batch command runs, or the
 * usage is printed, or the screen is asked for. `packageUrl` is the entry's `import.meta.url`, from which meow finds
 * package.json for --version. Errors end here, as a line on stderr and their exit code: this module may be loaded as
 * a bundle of its own (app/code-cache.ts), whose error classes are not the entry's.
 */
export async function runCommandLine(commandLine: readonly string[], packageUrl: string): Promise<CommandLineOutcome> {
	const secrets = secretsIn(commandLine);
	try {
		return await readCommandLine(commandLine, packageUrl, secrets);
	} catch (error) {
		return {exitCode: reportFailure(error, secrets)};
	}
}

async function readCommandLine(commandLine: readonly string[], packageUrl: string, secrets: readonly string[]): Promise<CommandLineOutcome> {
	const {default: meow} = await import('meow');
	const cli = meow(usage, {importMeta: {url: packageUrl} as ImportMeta, argv: [...commandLine], ...meowSettings});
	// meow sets the title to the bare command name.
	hideCommandLineSecrets(commandLine);
	const flags = cli.flags as CliFlags;
	const [name, ...args] = cli.input;
	const output = textWriter(process.stdout);
	if (flags.help) {
		const {commandHelp} = await import('./command-help.js');
		output.write(`${(name === undefined ? undefined : commandHelp[name]) ?? usage}\n`);
		return {exitCode: 0};
	}

	// Where stderr has gone too (`2>&1 | head`), nothing is left to report a failed write to.
	process.stderr.on('error', () => undefined);
	const io = {
		stdout(text: string) {
			output.write(`${text}\n`);
		},
		write: output.write,
		stderr: (text: string) => process.stderr.write(`${scrubSecrets(text, secrets)}\n`),
		env: process.env,
	};
	const loadCommand = commandLoader(name);
	if (loadCommand) {
		const command = await loadCommand();
		const exitCode = await command(args, flags, io);
		output.check();
		return {exitCode};
	}

	if (name !== undefined && !name.includes('://')) {
		throw new FtpaneError('usage', `unknown command '${maskUserInfo(name)}' (see ftpane --help)`);
	}

	return {screen: {url: name, flags}};
}
