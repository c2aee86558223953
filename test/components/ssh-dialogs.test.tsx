import {afterEach, describe, expect, it} from 'vitest';
import type {ConnectOptions} from '../../source/engine/api/engine-api.js';
import {QuestionBridge} from '../../source/ui/effects/question-bridge.js';
import {FakeEngine} from '../ui/fakes/fake-engine.js';
import {MemoryTree} from '../ui/fakes/memory-tree.js';
import {renderApp, waitFor} from './helpers.js';

const esc = '\u001B';
const apps: Array<{unmount: () => void}> = [];

afterEach(() => {
	for (const app of apps.splice(0)) {
		app.unmount();
	}
});

/** The fake engine, keeping the options each connect was asked with. */
class RecordingEngine extends FakeEngine {
	readonly connects: ConnectOptions[] = [];

	override async connect(options: ConnectOptions) {
		this.connects.push(options);
		return super.connect(options);
	}
}

async function started(engine = new RecordingEngine(new MemoryTree({'/srv/data.bin': 'x'}))) {
	const questions = new QuestionBridge();
	const app = renderApp({engine, props: {questions}, width: 90, height: 24});
	apps.push(app);
	await waitFor(() => expect(app.frame()).toContain('a.txt'));
	return {app, questions, engine};
}

const hostKey = {host: '127.0.0.1', port: 2222, keyType: 'ssh-ed25519', fingerprint256: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU', reason: 'unknown'} as const;

describe('SSH questions on screen', () => {
	it('shows OpenSSH\'s first-contact question; Enter answers Cancel, Left Enter Always', async () => {
		const {app, questions} = await started();
		const first = questions.ask({type: 'trust-host-key', hostKey});
		await waitFor(() => expect(app.frame()).toContain('Unknown host key'));
		const frame = app.frame();
		expect(frame).toContain('The authenticity of host \'[127.0.0.1]:2222\' can\'t be established.');
		expect(frame).toContain('ED25519 key fingerprint is');
		expect(frame).toContain('[ Once ]');
		expect(frame).toContain('[ Always ]');
		expect(frame).toContain('[ Cancel ]');
		await app.press('\r');
		await expect(first).resolves.toBe('cancel');
		await waitFor(() => expect(app.frame()).not.toContain('Unknown host key'));

		const second = questions.ask({type: 'trust-host-key', hostKey});
		await waitFor(() => expect(app.frame()).toContain('Unknown host key'));
		await app.press(`${esc}[D`, '\r');
		await expect(second).resolves.toBe('always');
	});

	it('takes a passphrase masked: one * per character, the text answered on Enter and never drawn', async () => {
		const {app, questions} = await started();
		const answer = questions.ask({type: 'secret', secret: 'passphrase', prompt: 'Passphrase for /home/u/.ssh/id_ed25519:'});
		await waitFor(() => expect(app.frame()).toContain('Passphrase for /home/u/.ssh/id_ed25519:'));
		await app.press('hunter2 ü');
		await waitFor(() => expect(app.frame()).toContain('*********'));
		const frames = [app.frame(), ...app.frames];
		expect(frames.some(frame => /hunter|ü/.test(frame))).toBe(false);
		await app.press('\r');
		await expect(answer).resolves.toBe('hunter2 ü');
		await waitFor(() => expect(app.frame()).not.toContain('Passphrase for'));
		expect(app.frames.some(frame => frame.includes('hunter'))).toBe(false);
	});

	it('answers no secret on Esc Esc', async () => {
		const {app, questions} = await started();
		const answer = questions.ask({type: 'secret', secret: 'password', prompt: 'ann@127.0.0.1\'s password:'});
		await waitFor(() => expect(app.frame()).toContain('ann@127.0.0.1\'s password:'));
		await app.press('pw', `${esc}${esc}`);
		await expect(answer).resolves.toBeUndefined();
		await waitFor(() => expect(app.frame()).not.toContain('password:'));
	});
});

describe('SFTP in the connect dialog on screen', () => {
	it('offers SFTP beside the FTP choices, moves the port to 22, and connects with protocol sftp', async () => {
		const {app, engine} = await started();
		await app.press(`${esc}OQ`);
		await waitFor(() => expect(app.frame()).toContain('< FTPES (FTP, explicit TLS) >'));
		await app.press('lab.test', '\t', '\t', '\t', '\t', ' ');
		await waitFor(() => expect(app.frame()).toContain('< FTPS (FTP, implicit TLS) >'));
		expect(app.frame()).toMatch(/Port +990/);
		await app.press(' ', ' ');
		await waitFor(() => expect(app.frame()).toContain('< SFTP (over SSH) >'));
		expect(app.frame()).toMatch(/Port +22 /);
		expect(app.frame()).toContain('the password may stay empty');
		await app.press('\r');
		await waitFor(() => expect(engine.connects).toHaveLength(1));
		expect(engine.connects[0]).toMatchObject({protocol: 'sftp', host: 'lab.test', port: 22, user: '', password: '', ssh: {userGiven: false, portGiven: true}});
		await waitFor(() => expect(app.frame()).toContain('sftp://lab.test/'));
	});
});
