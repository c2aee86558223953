/**
 * `ftpane COMMAND --help`: each batch command's own usage, what it does and an example, so that a script's author
 * need not read the whole help; `ftpane --help` keeps the overview. Kept as data: test/cli/command-help.test.ts
 * checks that every command has one and that each example parses.
 */
export const commandHelp: Readonly<Record<string, string>> = {
	ls: `
  Usage
    $ ftpane ls [--json] URL

  Lists a remote directory, one entry per line: type, size, modification time (UTC), name.
  A URL naming a file lists that file's own entry.

  Options
    --json    one JSON array of objects: name, type (file, dir, link, unknown), size (bytes or
              null), modified (ISO 8601 UTC or null), permissions (or null), target (links)
    --identity, -i FILE  sftp://: a private key to try first (as ssh -i)
    --trust SHA256:...   sftp://: accept the host key with this fingerprint

  Example
    $ ftpane ls --json ftp://alice@ftp.example.org/pub | jq -r '.[] | select(.type == "file") | .name'
    $ ftpane ls sftp://alice@lab1/~/        # the login directory, over SFTP
    $ ftpane ls sftp://lab1/var/log/        # lab1: a Host alias of ~/.ssh/config
`,
	get: `
  Usage
    $ ftpane get URL [DEST]          one file; DEST a file, a directory, or - (stdout);
                                     DEST/ is a directory that must exist
    $ ftpane get -r URL DESTDIR      a whole tree, --parallel files at once

  Downloads never leave half a file under the destination's name: bytes go to a temporary
  file renamed over it when complete. --scan-downloads scans each file first.

  Options
    --on-conflict WHAT   overwrite (default), skip, resume, rename, newer, different, ask
    --resume             continue a partial download (--on-conflict resume)
    --parallel N         files at once with -r (default 3)
    --retries N          reconnects after a dropped connection (default 5)
    --identity, -i FILE  sftp://: a private key to try first (as ssh -i)
    --trust SHA256:...   sftp://: accept the host key with this fingerprint

  Example
    $ ftpane get -r --parallel 4 ftp://alice@ftp.example.org/pub/data ./data
    $ ftpane get -i ~/.ssh/lab_ed25519 sftp://alice@lab1/~/results.csv .
`,
	put: `
  Usage
    $ ftpane put SRC URL             one file; URL a file or a directory ending in /
    $ ftpane put -r SRCDIR URL       a whole tree

  Every file is scanned by the scan agent (ftpane agent, --agent HOST:PORT) and sent only
  after its CLEAN; the bytes sent are checked against the bytes scanned. Exit 6: infected,
  exit 7: the agent could not scan it.

  Options
    --on-conflict WHAT   overwrite (default), skip, resume, rename, newer, different, ask
    --resume             continue a partial upload (--on-conflict resume)
    --parallel N         files at once with -r (default 3)
    --agent HOST:PORT    scan agent (default 127.0.0.1:15116)
    --identity, -i FILE  sftp://: a private key to try first (as ssh -i)
    --trust SHA256:...   sftp://: accept the host key with this fingerprint

  Example
    $ ftpane put -r ./site ftpes://alice@ftp.example.org/www/
    $ ftpane put -r ./site sftp://lab1/var/www/
`,
	rm: `
  Usage
    $ ftpane rm URL

  Deletes one remote file.

  Example
    $ ftpane rm ftp://alice@ftp.example.org/incoming/old.log
`,
	mkdir: `
  Usage
    $ ftpane mkdir URL

  Makes one remote directory.

  Example
    $ ftpane mkdir ftp://alice@ftp.example.org/incoming/2026
`,
	rmdir: `
  Usage
    $ ftpane rmdir URL

  Removes one empty remote directory.

  Example
    $ ftpane rmdir ftp://alice@ftp.example.org/incoming/2025
`,
	mv: `
  Usage
    $ ftpane mv URL NEWPATH

  Renames or moves a remote file or directory on the same server (RNFR, RNTO). NEWPATH is a
  path (relative to the URL's directory, or absolute) or a URL on the same server.

  Example
    $ ftpane mv ftp://alice@ftp.example.org/incoming/report.pdf archive/report.pdf
`,
};
