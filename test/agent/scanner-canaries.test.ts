import {inflateRawSync} from 'node:zlib';
import {describe, expect, it} from 'vitest';
import {canaryDepth, eicarTestString, judgeCanaries, nestedEicar} from '../../source/agent/scanner-canaries.js';
import {eicar} from '../helpers/clamd.js';

/** Unwraps single-entry zips, as clamd does, counting the levels. */
function unwrap(zip: Buffer): {levels: number; innermost: Buffer} {
	let data = zip;
	let levels = 0;
	while (data.readUInt32LE(0) === 0x04_03_4B_50 && levels < 1000) {
		const method = data.readUInt16LE(8);
		const packed = data.readUInt32LE(18);
		const start = 30 + data.readUInt16LE(26);
		const raw = data.subarray(start, start + packed);
		data = method === 8 ? inflateRawSync(raw) : raw;
		levels++;
	}

	return {levels, innermost: data};
}

describe('canaries', () => {
	it('builds the EICAR test string at run time', () => {
		expect(eicarTestString().toString('latin1')).toBe(eicar);
	});

	it('hides EICAR inside zips nested canaryDepth deep, where only unpacking finds it', () => {
		const zip = nestedEicar();
		expect(unwrap(zip)).toEqual({levels: canaryDepth, innermost: eicarTestString()});
		// Not in plain sight at any level above the innermost, or a body signature would match without unpacking.
		expect(zip.includes(Buffer.from('EICAR'))).toBe(false);
		expect(unwrap(nestedEicar(3)).levels).toBe(3);
	});
});

describe('judgeCanaries', () => {
	const found = {verdict: 'infected', signature: 'Win.Test.EICAR_HDB-1'} as const;
	const limit = {verdict: 'error', reason: 'clamd could not scan the whole file (Heuristics.Limits.Exceeded.MaxRecursion); raise its scan limits'} as const;
	const clean = {verdict: 'clean'} as const;

	it('trusts a scanner that finds EICAR and finds or refuses the nested one', () => {
		expect(judgeCanaries('clamd', {eicar: found, nested: limit})).toEqual({ok: true});
		expect(judgeCanaries('clamd', {eicar: found, nested: found})).toEqual({ok: true});
	});

	it('names AlertExceedsMax when the nested EICAR comes back clean', () => {
		const judgement = judgeCanaries('clamd at /run/clamd.ctl', {eicar: found, nested: clean});
		expect(judgement).toMatchObject({ok: false, problem: expect.stringContaining('AlertExceedsMax no')});
		expect(judgement.ok || judgement.reason).toMatch(/^clamd at \/run\/clamd\.ctl answered OK .*set "AlertExceedsMax yes" in clamd\.conf and restart clamd$/);
	});

	it('names the database when EICAR itself comes back clean, whatever the nested one did', () => {
		const judgement = judgeCanaries('clamd', {eicar: clean, nested: clean});
		expect(judgement.ok || judgement.reason).toMatch(/signature database is missing or broken: check DatabaseDirectory .* run freshclam$/);
	});

	it('does not trust a scanner whose canary scans failed', () => {
		expect(judgeCanaries('clamd', {eicar: {verdict: 'error', reason: 'clamd did not answer within 1 min'}, nested: limit}))
			.toMatchObject({ok: false, reason: 'clamd could not scan the EICAR test file: clamd did not answer within 1 min'});
		expect(judgeCanaries('clamd', {eicar: found, nested: {verdict: 'error', reason: 'clamd closed the connection without a verdict'}}))
			.toMatchObject({ok: false, reason: 'clamd could not scan the nested EICAR test archive: clamd closed the connection without a verdict'});
	});
});
