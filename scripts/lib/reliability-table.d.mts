/** One suite's figures as recorded by test/reliability/figures.ts. */
export type FiguresRecord = {
	suite: string;
	title: string;
	what: string;
	counts: Record<string, number>;
	result: 'pass' | 'fail';
	command: string;
	details?: string;
	kind: 'full' | 'reduced';
	recordedAt?: string;
};
export const suiteOrder: Array<[string, string]>;
export function pickRecords(records: FiguresRecord[]): Map<string, FiguresRecord>;
export function countsText(counts: Record<string, number>): string;
export function reliabilityMarkdown(records: FiguresRecord[]): string;
