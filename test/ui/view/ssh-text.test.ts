import {describe, expect, it} from 'vitest';
import type {HostKeyInfo} from '../../../source/engine/api/engine-api.js';
import {dialogText, secretDialogText, sshKeyTypeName} from '../../../source/ui/view/dialog-text.js';
import {remoteTitle} from '../../../source/ui/view/remote-title.js';

const hostKey: HostKeyInfo = {host: '127.0.0.1', port: 2222, keyType: 'ssh-ed25519', fingerprint256: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU', reason: 'unknown'};

describe('the host key dialog\'s words', () => {
	it('asks as OpenSSH does on first contact, naming the host as known_hosts will', () => {
		expect(dialogText({type: 'trust-host-key', questionId: 1, hostKey, focus: 2})).toEqual({
			title: 'Unknown host key',
			lines: [
				'The authenticity of host \'[127.0.0.1]:2222\' can\'t be established.',
				'ED25519 key fingerprint is SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU.',
				'Are you sure you want to continue connecting?',
				'Once: this session only.  Always: also add it to ~/.ssh/known_hosts.',
			],
			tone: 'warning',
		});
	});

	it('leaves the port out on 22, and says when known_hosts has another type of key for the host', () => {
		const lines = dialogText({type: 'trust-host-key', questionId: 1, hostKey: {...hostKey, port: 22, keyType: 'ecdsa-sha2-nistp256', reason: 'unknown-type'}, focus: 2}).lines;
		expect(lines.slice(0, 3)).toEqual([
			'The authenticity of host \'127.0.0.1\' can\'t be established.',
			'Keys of a different type are already known for this host.',
			'ECDSA key fingerprint is SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU.',
		]);
	});

	it('names key types as OpenSSH prints them, and makes an unknown one safe to show', () => {
		expect(['ssh-ed25519', 'ssh-rsa', 'rsa-sha2-512', 'ecdsa-sha2-nistp521', 'sk-ssh-ed25519@openssh.com', 'ssh-dss'].map(type => sshKeyTypeName(type)))
			.toEqual(['ED25519', 'RSA', 'RSA', 'ECDSA', 'ED25519-SK', 'DSA']);
		expect(sshKeyTypeName('x-\u001B[31mevil')).not.toContain('\u001B');
	});
});

describe('the secret dialog\'s words', () => {
	it('has the prompt as title, made safe (a keyboard-interactive prompt is the server\'s text), and never the secret', () => {
		const text = dialogText({type: 'secret', questionId: 1, secret: 'password', prompt: 'Password:\u001B[2J', value: 'hunter2', cursor: 7});
		expect(text.title).toBe('Password:?[2J');
		expect(JSON.stringify(text)).not.toContain('hunter2');
		expect(dialogText({type: 'secret', questionId: 1, secret: 'passphrase', prompt: 'Passphrase for id_ed25519:', value: '', cursor: 0}).lines).toEqual(['Cancel skips this key.']);
	});
});

describe('a secret prompt too wide for the title', () => {
	it('moves into the lines whole, under a short title', () => {
		const prompt = 'Enter passphrase for key \'/tmp/ftpane-tui-sftp-pYufVy/home-4/.ssh/id_ed25519\':';
		const dialog = {type: 'secret', questionId: 1, secret: 'passphrase', prompt, value: '', cursor: 0} as const;
		expect(secretDialogText(dialog, 72)).toEqual({title: 'Passphrase', lines: [prompt, 'Cancel skips this key.'], tone: 'normal'});
		expect(secretDialogText(dialog, prompt.length)).toMatchObject({title: prompt, lines: ['Cancel skips this key.']});
	});
});

describe('the remote pane title', () => {
	const ftp = {host: '127.0.0.1', port: 21};
	it('is host:/path over FTP, as before', () => {
		expect(remoteTitle({connected: true, connecting: false, server: ftp, path: '/pub'})).toBe('127.0.0.1:/pub');
		expect(remoteTitle({connected: false, connecting: true, server: ftp, path: ''})).toBe('Connecting to 127.0.0.1...');
		expect(remoteTitle({connected: false, connecting: false, server: ftp, path: ''})).toBe('Remote: not connected');
	});

	it('names SFTP as its URL, the port only off 22', () => {
		expect(remoteTitle({connected: true, connecting: false, server: {host: '127.0.0.1', port: 2222, protocol: 'sftp'}, path: '/home/ann'})).toBe('sftp://127.0.0.1:2222/home/ann');
		expect(remoteTitle({connected: true, connecting: false, server: {host: '::1', port: 22, protocol: 'sftp'}, path: '/'})).toBe('sftp://[::1]/');
		expect(remoteTitle({connected: false, connecting: true, server: {host: 'lab', port: 22, protocol: 'sftp'}, path: ''})).toBe('Connecting to lab over SFTP...');
	});
});
