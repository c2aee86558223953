import {createHash} from 'node:crypto';
import {closeSync, constants, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs';
import Module, {createRequire} from 'node:module';
import path from 'node:path';
import process from 'node:process';
import vm from 'node:vm';

/** A cache file larger than this is not V8's code for our bundle: it is not read. */
const maxCacheBytes = 32 * 1024 * 1024;

/**
 * The most cache files kept: three builds' worth of commands. Another build's caches are not removed at once: two
 * installs of ftpane used by turns would each compile again every time, as each removed the other's.
 */
const maxCacheFiles = 24;

/** A cache file starts with the SHA-256 of the rest, V8's code. */
const digestBytes = 32;

/** Where the compiled code is kept, and under which name: one cache per command, as each runs other functions. */
export type CodeCacheOptions = {
	/** The directory of the cache files ($XDG_CACHE_HOME/ftpane/code); none: compile every time. */
	directory: string | undefined;
	/** Which run the cache is for, part of its file's name (`get`, `ls`...): each command's own functions are in it. */
	name: string;
};

/** A loaded bundle's exports, and how to keep its compiled code for the next run. */
export type CodeCacheLoad = {
	exports: unknown;
	/** Whether V8 took its compiled code from the cache instead of compiling the source. */
	fromCache: boolean;
	/**
	 * Writes V8's code for every function that has run so far, unless the cache already held it: call it as the process
	 * exits, when the command's functions have all been compiled. Never throws: a cache that cannot be written only
	 * means the next start compiles again.
	 */
	save(): void;
};

/**
 * Loads a CommonJS bundle (dist/command-line.cjs) with V8's code cache: the batch commands reach their server about
 * 30 ms sooner, as V8 neither parses their 0.5 MB of source again nor compiles each function as it is first called.
 * Node 22's `module.enableCompileCache()` does this for every module; Node 20 has no cache for ES modules, hence the
 * bundle in CommonJS form, compiled here as Node's own loader compiles a CommonJS file, with `cachedData`.
 *
 * V8 checks the cache against its own version and flags and the source's length only: the file's name carries a
 * SHA-256 of the source and Node's version and architecture, so a rebuilt ftpane or another Node never reads a cache
 * that is not its own. V8 does not check the code itself (Node 20's V8 verifies no checksum outside debug builds), and
 * a damaged cache crashed Node with a segmentation fault in a test: the file holds a SHA-256 of V8's bytes, and bytes
 * that do not match it are never given to V8, as Node 22 keeps a checksum of its own. The cache is code this process
 * runs: it is read only from a regular file of this user's that no one else may write, through the descriptor it was
 * checked on, and written 0600 in a 0700 directory.
 */
export function loadWithCodeCache(file: string, options: CodeCacheOptions): CodeCacheLoad {
	const bytes = readFileSync(file);
	const key = sha256(bytes).toString('hex').slice(0, 32);
	// A bundle's first line may be a shebang, which is not JavaScript inside the function Module.wrap makes.
	const source = bytes.toString('utf8').replace(/^#!.*/, '');
	const cachePath = options.directory === undefined
		? undefined
		: path.join(options.directory, `${key}-node${safeName(process.version)}-${safeName(process.arch)}-${safeName(options.name)}.v8`);
	const cachedData = cachePath === undefined ? undefined : readOwnCache(cachePath);
	const script = new vm.Script(Module.wrap(source), {filename: file, ...(cachedData ? {cachedData} : {})});
	const fromCache = cachedData !== undefined && !script.cachedDataRejected;
	const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: {exports: unknown}, filename: string, dirname: string) => void;
	const module = {exports: {} as unknown};
	wrapper.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
	return {
		exports: module.exports,
		fromCache,
		save() {
			if (cachePath !== undefined && !fromCache) {
				writeCache(cachePath, script);
			}
		},
	};
}

/**
 * V8's code from the cache file, if the file is a regular file of this user's that nobody else can write and the code
 * matches the digest before it; otherwise none.
 */
function readOwnCache(cachePath: string): Buffer | undefined {
	let fd: number;
	try {
		// O_NOFOLLOW: a symbolic link put in the cache's place is not followed to somebody else's file.
		fd = openSync(cachePath, constants.O_RDONLY | constants.O_NOFOLLOW);
	} catch {
		return undefined;
	}

	try {
		const stats = fstatSync(fd);
		const ownUser = process.getuid === undefined || stats.uid === process.getuid();
		if (!stats.isFile() || !ownUser || (stats.mode & 0o022) !== 0 || stats.size > maxCacheBytes) {
			return undefined;
		}

		const bytes = readFileSync(fd);
		const code = bytes.subarray(digestBytes);
		return bytes.length > digestBytes && sha256(code).equals(bytes.subarray(0, digestBytes)) ? code : undefined;
	} catch {
		return undefined;
	} finally {
		closeSync(fd);
	}
}

/** Writes the script's code beside, then over, the cache file; then the oldest files go, beyond `maxCacheFiles`. */
function writeCache(cachePath: string, script: vm.Script): void {
	const directory = path.dirname(cachePath);
	const partial = `${cachePath}.${process.pid}.partial`;
	try {
		mkdirSync(directory, {recursive: true, mode: 0o700});
		const code = script.createCachedData();
		writeFileSync(partial, Buffer.concat([sha256(code), code]), {mode: 0o600, flag: 'wx'});
		// A rename replaces the file at once: another ftpane reading it sees the old cache or the new one, whole.
		renameSync(partial, cachePath);
		const caches = readdirSync(directory).filter(name => name.endsWith('.v8')).map(name => {
			const file = path.join(directory, name);
			return {file, written: statSync(file).mtimeMs};
		});
		for (const {file} of caches.sort((a, b) => b.written - a.written).slice(maxCacheFiles)) {
			rmSync(file, {force: true});
		}
	} catch {
		try {
			rmSync(partial, {force: true});
		} catch {}
	}
}

function sha256(bytes: Buffer): Buffer {
	return createHash('sha256').update(bytes).digest();
}

/** A part of a cache file's name made safe: letters, digits, `.` and `-` only. */
function safeName(name: string): string {
	return name.replaceAll(/[^a-z\d.-]/gi, '_').slice(0, 32);
}
