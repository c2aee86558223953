import {describe, expect, it} from 'vitest';
import {parseClamdReply} from '../../source/agent/clamd-reply.js';
import {clamscanResult} from '../../source/agent/clamscan-fallback.js';

describe('parseClamdReply', () => {
	it('maps OK and FOUND', () => {
		expect(parseClamdReply('stream: OK')).toEqual({verdict: 'clean'});
		expect(parseClamdReply('stream: Win.Test.EICAR_HDB-1 FOUND')).toEqual({verdict: 'infected', signature: 'Win.Test.EICAR_HDB-1'});
		// ExtendedDetectionInfo (Debian's default) appends hash and size.
		expect(parseClamdReply('stream: Eicar-Signature(44d88612fea8a8f36de82e1278abb02f:68) FOUND'))
			.toEqual({verdict: 'infected', signature: 'Eicar-Signature(44d88612fea8a8f36de82e1278abb02f:68)'});
	});

	it('turns clamd\'s size limit into an error that names StreamMaxLength', () => {
		const result = parseClamdReply('INSTREAM size limit exceeded. ERROR');
		expect(result.verdict).toBe('error');
		expect(result.verdict === 'error' && result.reason).toContain('StreamMaxLength');
	});

	it('treats "not scanned in full" alerts as errors, not as malware and never as clean', () => {
		for (const limit of ['MaxFileSize', 'MaxScanSize', 'MaxRecursion', 'MaxFiles', 'MaxScanTime']) {
			const result = parseClamdReply(`stream: Heuristics.Limits.Exceeded.${limit} FOUND`);
			expect(result.verdict).toBe('error');
			expect(result.verdict === 'error' && result.reason).toContain(limit);
		}
	});

	it.each(['', 'stream: ok', 'stream: OK extra', 'OK', 'stream:  FOUND', 'COMMAND READ TIMED OUT', 'UNKNOWN COMMAND', 'Error processing command. ERROR', 'stream: Access denied. ERROR'])(
		'calls %j an error',
		reply => {
			expect(parseClamdReply(reply).verdict).toBe('error');
		},
	);
});

describe('clamscanResult', () => {
	const file = '/tmp/ftpane-agent-x/upload';

	it('needs exit code and output line to agree', () => {
		expect(clamscanResult(file, 0, `${file}: OK\n`, '')).toEqual({verdict: 'clean'});
		expect(clamscanResult(file, 1, `${file}: Some.Sig FOUND\n`, '')).toEqual({verdict: 'infected', signature: 'Some.Sig'});
		expect(clamscanResult(file, 0, '', '').verdict).toBe('error');
		expect(clamscanResult(file, 1, `${file}: OK\n`, '').verdict).toBe('error');
		expect(clamscanResult(file, 0, `${file}: Some.Sig FOUND\n`, '').verdict).toBe('error');
		expect(clamscanResult(file, 1, `${file}: Heuristics.Limits.Exceeded.MaxFileSize FOUND\n`, '').verdict).toBe('error');
	});

	it('calls an empty copy clean, which clamscan skips as "Empty file", and only when the agent wrote no byte', () => {
		expect(clamscanResult(file, 0, `${file}: Empty file\n`, '', 0)).toEqual({verdict: 'clean'});
		expect(clamscanResult(file, 0, `${file}: Empty file\n`, '', 68).verdict).toBe('error');
		expect(clamscanResult(file, 0, `${file}: Empty file\n`, '').verdict).toBe('error');
		expect(clamscanResult(file, 1, `${file}: Empty file\n`, '', 0).verdict).toBe('error');
	});

	it('reports clamscan\'s own complaint on failure', () => {
		const result = clamscanResult(file, 2, '', 'LibClamAV Error: cli_loaddbdir: No supported database files found in /var/lib/clamav\nERROR: Can\'t open file or directory\n');
		expect(result).toEqual({verdict: 'error', reason: 'clamscan failed: ERROR: Can\'t open file or directory'});
	});
});
