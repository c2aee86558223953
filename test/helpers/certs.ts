import {execFile} from 'node:child_process';
import {randomBytes, X509Certificate} from 'node:crypto';
import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {promisify} from 'node:util';
import {createTempDir} from './temp-dir.js';

const run = promisify(execFile);

/** A certificate and its private key, as files and as text. */
export type Certificate = {
	certPath: string;
	keyPath: string;
	/** The certificate itself in PEM (for a signed leaf, the leaf alone, without its CA). */
	pem: string;
	keyPem: string;
	/** SHA-256 fingerprint in Node's format (`AB:CD:…`), as `getPeerCertificate().fingerprint256` reports it. */
	fingerprint256: string;
	/** Directory holding the files. */
	dir: string;
};

/** What a certificate is issued for. */
export type CertificateSubject = {
	commonName?: string;
	/** subjectAltName entries in openssl syntax, e.g. `IP:127.0.0.1`, `DNS:localhost`. */
	altNames?: string[];
	/** Where to write the files; a fresh temp dir unless given. */
	dir?: string;
};

const localhost = {commonName: 'localhost', altNames: ['IP:127.0.0.1', 'DNS:localhost']};

/** Makes a self-signed certificate, by default for CN=localhost with subjectAltName IP:127.0.0.1 and DNS:localhost. */
export async function createSelfSignedCertificate(subject: CertificateSubject = {}): Promise<Certificate> {
	const {commonName, altNames} = {...localhost, ...subject};
	const dir = subject.dir ?? (await createTempDir('ftpane-cert-')).path;
	const name = uniqueName('self');
	const certPath = path.join(dir, `${name}.pem`);
	const keyPath = path.join(dir, `${name}.key`);
	await openssl([
		'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30',
		'-keyout', keyPath, '-out', certPath,
		'-subj', `/CN=${commonName}`,
		'-addext', `subjectAltName=${altNames.join(',')}`,
	]);
	return load(certPath, keyPath, dir);
}

/** Makes a certificate authority that can sign leaf certificates with createSignedCertificate. */
export async function createCertificateAuthority(dir?: string): Promise<Certificate> {
	const directory = dir ?? (await createTempDir('ftpane-ca-')).path;
	const name = uniqueName('ca');
	const certPath = path.join(directory, `${name}.pem`);
	const keyPath = path.join(directory, `${name}.key`);
	await openssl([
		'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30',
		'-keyout', keyPath, '-out', certPath,
		'-subj', '/CN=ftpane test CA',
		'-addext', 'basicConstraints=critical,CA:TRUE',
		'-addext', 'keyUsage=critical,keyCertSign,cRLSign',
	]);
	return load(certPath, keyPath, directory);
}

/**
 * Makes a leaf certificate signed by `ca`, by default for localhost / 127.0.0.1.
 * The certificate file holds the leaf followed by the CA, so a server sends the whole chain.
 */
export async function createSignedCertificate(ca: Certificate, subject: CertificateSubject = {}): Promise<Certificate> {
	const {commonName, altNames} = {...localhost, ...subject};
	const dir = subject.dir ?? ca.dir;
	const name = uniqueName('leaf');
	const keyPath = path.join(dir, `${name}.key`);
	const csrPath = path.join(dir, `${name}.csr`);
	const leafPath = path.join(dir, `${name}.leaf.pem`);
	const extensionsPath = path.join(dir, `${name}.ext`);
	const certPath = path.join(dir, `${name}.pem`);
	await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', csrPath, '-subj', `/CN=${commonName}`]);
	await writeFile(extensionsPath, [
		`subjectAltName=${altNames.join(',')}`,
		'basicConstraints=critical,CA:FALSE',
		'keyUsage=critical,digitalSignature,keyEncipherment',
		'extendedKeyUsage=serverAuth',
		'',
	].join('\n'));
	await openssl([
		'x509', '-req', '-in', csrPath, '-CA', ca.certPath, '-CAkey', ca.keyPath,
		'-set_serial', `0x${randomBytes(8).toString('hex')}`, '-days', '30',
		'-extfile', extensionsPath, '-out', leafPath,
	]);
	const leaf = await readFile(leafPath, 'utf8');
	await writeFile(certPath, leaf + ca.pem);
	const certificate = await load(certPath, keyPath, dir);
	// The fingerprint and PEM describe the leaf, which is what a client sees as the peer certificate.
	return {...certificate, pem: leaf, fingerprint256: new X509Certificate(leaf).fingerprint256};
}

/** Makes a certificate for a host other than 127.0.0.1/localhost, signed by `ca` or else self-signed: a hostname-mismatch case. */
export async function createWrongHostCertificate(ca?: Certificate): Promise<Certificate> {
	const subject = {commonName: 'wrong-host.invalid', altNames: ['DNS:wrong-host.invalid']};
	return ca ? createSignedCertificate(ca, subject) : createSelfSignedCertificate(subject);
}

async function load(certPath: string, keyPath: string, dir: string): Promise<Certificate> {
	const pem = await readFile(certPath, 'utf8');
	const keyPem = await readFile(keyPath, 'utf8');
	return {certPath, keyPath, pem, keyPem, fingerprint256: new X509Certificate(pem).fingerprint256, dir};
}

async function openssl(args: string[]): Promise<void> {
	try {
		await run('openssl', args);
	} catch (error) {
		const stderr = (error as {stderr?: string}).stderr ?? '';
		throw new Error(`openssl ${args[0]} failed: ${stderr.trim()}`, {cause: error});
	}
}

function uniqueName(kind: string): string {
	return `${kind}-${randomBytes(4).toString('hex')}`;
}
