import {EventEmitter} from 'node:events';
import {describe, expect, it} from 'vitest';
import {createAlternateScreen, enterAlternateScreen, installAlternateScreen, leaveAlternateScreen, type ProcessEvents} from '../../source/app/alternate-screen.js';

function fakeStream() {
	const writes: string[] = [];
	return {writes, write: (chunk: string) => writes.push(chunk)};
}

class FakeProcess extends EventEmitter implements ProcessEvents {
	readonly pid = 4242;
	readonly kills: Array<[number, string]> = [];

	kill(pid: number, signal: NodeJS.Signals) {
		this.kills.push([pid, signal]);
		return true;
	}
}

describe('alternate screen', () => {
	it('enters and leaves once each, however often asked', () => {
		const stream = fakeStream();
		const screen = createAlternateScreen(stream);
		screen.enter();
		screen.enter();
		expect(screen.active).toBe(true);
		screen.leave();
		screen.leave();
		expect(stream.writes).toEqual([enterAlternateScreen, leaveAlternateScreen]);
		expect(enterAlternateScreen).toBe('\u001B[?1049h');
		expect(leaveAlternateScreen).toBe('\u001B[?1049l');
	});

	it('leaves on exit', () => {
		const stream = fakeStream();
		const events = new FakeProcess();
		installAlternateScreen(stream, events);
		events.emit('exit', 0);
		events.emit('exit', 0);
		expect(stream.writes).toEqual([enterAlternateScreen, leaveAlternateScreen]);
	});

	it('leaves before a crash is reported, without swallowing it', () => {
		const stream = fakeStream();
		const events = new FakeProcess();
		const order: string[] = [];
		installAlternateScreen({write: chunk => order.push(chunk === leaveAlternateScreen ? 'leave' : 'enter')}, events);
		events.on('uncaughtExceptionMonitor', () => order.push('report'));
		events.emit('uncaughtExceptionMonitor', new Error('boom'));
		expect(order).toEqual(['enter', 'leave', 'report']);
		expect(stream.writes).toEqual([]);
	});

	it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('leaves on %s and re-raises it when nobody else listens', signal => {
		const stream = fakeStream();
		const events = new FakeProcess();
		installAlternateScreen(stream, events);
		events.emit(signal, signal);
		expect(stream.writes).toEqual([enterAlternateScreen, leaveAlternateScreen]);
		expect(events.kills).toEqual([[4242, signal]]);
		expect(events.listenerCount(signal)).toBe(0);
		expect(events.listenerCount('exit')).toBe(0);
	});

	it('leaves the signal to other listeners when there are any', () => {
		const events = new FakeProcess();
		installAlternateScreen(fakeStream(), events);
		events.on('SIGTERM', () => undefined);
		events.emit('SIGTERM', 'SIGTERM');
		expect(events.kills).toEqual([]);
	});

	it('disposes: leaves and removes every listener', () => {
		const stream = fakeStream();
		const events = new FakeProcess();
		const dispose = installAlternateScreen(stream, events);
		dispose();
		dispose();
		expect(stream.writes).toEqual([enterAlternateScreen, leaveAlternateScreen]);
		expect(events.eventNames()).toEqual([]);
	});
});
