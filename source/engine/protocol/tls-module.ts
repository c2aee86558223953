import {createRequire} from 'node:module';
import type net from 'node:net';
import type tls from 'node:tls';

/*
 * node:tls, loaded when ftpane first needs TLS rather than when it starts: a plain FTP session never does, and loading
 * it at every start cost a batch command some 2 ms (node:tls and the five modules it brings, after node:crypto).
 */

let loaded: typeof tls | undefined;

/** node:tls, loaded on the first call. */
export function tlsModule(): typeof tls {
	loaded ??= createRequire(import.meta.url)('node:tls') as typeof tls;
	return loaded;
}

/** Whether `socket` is a TLS socket; no socket is one before node:tls has been loaded. */
export function isTlsSocket(socket: net.Socket | undefined): socket is tls.TLSSocket {
	return loaded !== undefined && socket instanceof loaded.TLSSocket;
}
