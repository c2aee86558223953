import {deflateRawSync} from 'node:zlib';

/** One file inside a zip archive; `deflate` compresses it, otherwise it is stored as is. */
export type ZipEntry = {readonly name: string; readonly data: Uint8Array; readonly deflate?: boolean};

// The table CRC rather than zlib.crc32, which Node 20 has only from 20.15 on (package.json allows any 20).
const crcTable = Uint32Array.from({length: 256}, (_, index) => {
	let value = index;
	for (let bit = 0; bit < 8; bit++) {
		value = value & 1 ? 0xED_B8_83_20 ^ (value >>> 1) : value >>> 1;
	}

	return value >>> 0;
});

/** CRC-32 as zip, gzip and PNG use it (reflected polynomial 0xEDB88320); pure. */
export function crc32(bytes: Uint8Array): number {
	let crc = 0xFF_FF_FF_FF;
	for (const byte of bytes) {
		crc = crcTable[(crc ^ byte) & 0xFF]! ^ (crc >>> 8);
	}

	return (crc ^ 0xFF_FF_FF_FF) >>> 0;
}

// 1980-01-01 00:00 in MS-DOS date/time fields: the earliest date zip can hold, so the archive never depends on the clock.
const dosDate = (1 << 5) | 1;
const dosTime = 0;
const utf8NameFlag = 0x08_00;

/**
 * A zip archive (PKWARE APPNOTE 4.3): local headers with the data, then the central directory and its end record.
 * Entries are stored (method 0) or deflated (method 8). Deterministic; for archives far below 4 GiB (no zip64).
 */
export function zipArchive(entries: readonly ZipEntry[]): Buffer {
	const parts: Buffer[] = [];
	const centrals: Buffer[] = [];
	let offset = 0;
	for (const entry of entries) {
		const name = Buffer.from(entry.name, 'utf8');
		const data = entry.deflate ? deflateRawSync(entry.data) : Buffer.from(entry.data);
		const method = entry.deflate ? 8 : 0;
		const needed = entry.deflate ? 20 : 10;
		// The fields a local header and its central directory record share, from "version needed" to "name length".
		const shared = Buffer.alloc(26);
		shared.writeUInt16LE(needed, 0);
		shared.writeUInt16LE(utf8NameFlag, 2);
		shared.writeUInt16LE(method, 4);
		shared.writeUInt16LE(dosTime, 6);
		shared.writeUInt16LE(dosDate, 8);
		shared.writeUInt32LE(crc32(entry.data), 10);
		shared.writeUInt32LE(data.length, 14);
		shared.writeUInt32LE(entry.data.length, 18);
		shared.writeUInt16LE(name.length, 22);
		// Extra field length: 0 (bytes 24-25).

		const local = Buffer.concat([signature(0x04_03_4B_50), shared]);
		parts.push(local, name, data);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02_01_4B_50, 0);
		central.writeUInt16LE(20, 4); // Made by: MS-DOS, spec 2.0.
		shared.copy(central, 6);
		// Comment length, disk number, internal and external attributes: all zero (bytes 32-41).
		central.writeUInt32LE(offset, 42);
		centrals.push(central, name);
		offset += local.length + name.length + data.length;
	}

	const directory = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06_05_4B_50, 0);
	end.writeUInt16LE(entries.length, 8);
	end.writeUInt16LE(entries.length, 10);
	end.writeUInt32LE(directory.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...parts, directory, end]);
}

function signature(value: number): Buffer {
	const bytes = Buffer.alloc(4);
	bytes.writeUInt32LE(value);
	return bytes;
}
