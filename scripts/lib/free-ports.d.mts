/** A run of consecutive ports, both ends included. */
export type PortRange = {min: number; max: number};

/** Finds `count` consecutive free ports on 127.0.0.1, below the ephemeral range, held for this process until released. */
export declare function freePortRange(count: number): Promise<PortRange>;

/** Gives a range from freePortRange back once its server has stopped. */
export declare function releasePortRange(range: PortRange): void;
