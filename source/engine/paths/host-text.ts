/** A host as messages and addresses print it beside a port: an IPv6 address in brackets (`[::1]`), anything else as is. */
export function bracketHost(host: string): string {
	return host.includes(':') ? `[${host}]` : host;
}
