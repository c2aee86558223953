import {describe, expect, it} from 'vitest';
import {refusalReason} from '../../source/agent/connection-gate.js';
import {RefusalLog} from '../../source/agent/refusal-log.js';
import {requestDeadlineMs} from '../../source/agent/request-deadline.js';

describe('requestDeadlineMs', () => {
	it.each([
		[0, 30_000],
		[68, 30_001],
		[1024 * 1024, 31_000],
		[25 * 1024 * 1024, 55_000],
		[2_147_483_647, 30_000 + 2_048_000],
	])('gives a body of %i bytes %i ms by default: 30 s plus a second per MiB', (size, expected) => {
		expect(requestDeadlineMs(size)).toBe(expected);
	});

	it('follows the limits it is given', () => {
		expect(requestDeadlineMs(1000, {floorMs: 300, minBytesPerSecond: 100})).toBe(10_300);
	});
});

describe('refusalReason', () => {
	const limits = {maxConnections: 256, maxPerPeer: 32};

	it('admits under both caps, refuses at either, the agent-wide one first', () => {
		expect(refusalReason(255, 31, '127.0.0.1', limits)).toBeUndefined();
		expect(refusalReason(256, 0, '127.0.0.1', limits)).toBe('agent busy: 256 connections open, the most it serves at once');
		expect(refusalReason(100, 32, '::1', limits)).toBe('agent busy: 32 connections open from ::1, the most it serves from one address');
		expect(refusalReason(256, 32, '::1', limits)).toMatch(/^agent busy: 256 connections open,/);
	});
});

describe('RefusalLog', () => {
	const refusal = (peer: string) => ({time: new Date('2026-11-29T13:35:21.000Z'), peer, reason: 'agent busy: 2 connections open, the most it serves at once'});

	it('logs the first refusal of an interval and sums up the rest in one line', () => {
		let now = 0;
		const lines: string[] = [];
		const log = new RefusalLog(line => lines.push(line), 60_000, () => now);
		for (let index = 0; index < 50; index++) {
			log.refused(refusal(`127.0.0.1:${1000 + index}`));
		}

		expect(lines).toEqual(['2026-11-29T13:35:21.000Z REFUSED peer=127.0.0.1:1000 reason="agent busy: 2 connections open, the most it serves at once"']);
		log.flush();
		expect(lines[1]).toMatch(/^\S+Z REFUSED 49 more connections within 60 s, the last: peer=127\.0\.0\.1:1049 reason="agent busy: /);
		// A new interval starts with a line of its own again.
		now = 60_000;
		log.refused(refusal('127.0.0.1:2000'));
		expect(lines).toHaveLength(3);
		expect(lines[2]).toContain('peer=127.0.0.1:2000');
		log.flush();
		expect(lines).toHaveLength(3);
	});
});
