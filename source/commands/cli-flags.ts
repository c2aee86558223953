/** Every flag the batch commands accept, in meow's form. */
export const cliFlags = {
	active: {type: 'boolean', default: false},
	ascii: {type: 'boolean', default: false},
	timeout: {type: 'number', default: 30},
	scanTimeout: {type: 'number', default: 300},
	verbose: {type: 'boolean', shortFlag: 'v', default: false},
	recursive: {type: 'boolean', shortFlag: 'r', default: false},
	resume: {type: 'boolean', default: false},
	tls: {type: 'boolean', default: false},
	clearData: {type: 'boolean', default: false},
	insecure: {type: 'boolean', default: false},
	trust: {type: 'string'},
	ca: {type: 'string', isMultiple: true},
	agent: {type: 'string', default: '127.0.0.1:15116'},
	scanDownloads: {type: 'boolean', default: false},
} as const;

/** The parsed flags, as the commands read them. */
export type CliFlags = {
	active: boolean;
	ascii: boolean;
	timeout: number;
	/** Seconds the scan agent may go without progress; separate from --timeout because a big file's scan takes minutes. */
	scanTimeout: number;
	verbose: boolean;
	recursive: boolean;
	resume: boolean;
	tls: boolean;
	clearData: boolean;
	insecure: boolean;
	trust?: string;
	ca?: string[];
	agent: string;
	scanDownloads: boolean;
};

/** The flags as they are when none is given on the command line. */
export const defaultCliFlags: CliFlags = {
	active: false,
	ascii: false,
	timeout: 30,
	scanTimeout: 300,
	verbose: false,
	recursive: false,
	resume: false,
	tls: false,
	clearData: false,
	insecure: false,
	agent: '127.0.0.1:15116',
	scanDownloads: false,
};
