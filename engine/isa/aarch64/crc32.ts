// CRC32 and CRC32C as the A64 CRC32* instructions compute them: the
// bit-reflected CRC of the value's bytes, least significant first, onto the
// accumulator, with no pre- or post-inversion (software does those).

function reflectedTable(polynomial: number): Int32Array {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let r = n;
    for (let k = 0; k < 8; k++) r = r & 1 ? (r >>> 1) ^ polynomial : r >>> 1;
    t[n] = r;
  }
  return t;
}

/** The reflected forms of 0x04C11DB7 (ISO-HDLC) and 0x1EDC6F41 (Castagnoli). */
const TABLES = [reflectedTable(0xedb88320), reflectedTable(0x82f63b78)] as const;

/**
 * The accumulator after `bytes` (1, 2, 4 or 8) bytes of the value whose low
 * word is `lo` and high word `hi`; `castagnoli` picks CRC32C.
 */
export function crc32(acc: number, lo: number, hi: number, bytes: number, castagnoli: number): number {
  const t = TABLES[castagnoli]!;
  let crc = acc;
  for (let k = 0; k < bytes; k++) {
    const byte = (k < 4 ? lo >>> (8 * k) : hi >>> (8 * (k - 4))) & 0xff;
    crc = (crc >>> 8) ^ t[(crc ^ byte) & 0xff]!;
  }
  return crc | 0;
}
