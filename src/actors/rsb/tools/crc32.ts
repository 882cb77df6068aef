/**
 * CRC-32 (IEEE 802.3, the polynomial of zlib and PNG), which every record of a bus recording
 * carries (docs/RSB-RECORDING.md). Written here because `zlib.crc32` needs Node 20.15 or later.
 */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * The CRC-32 of `bytes`, continuing from `previous` (the CRC of the bytes before them).
 *
 * @example
 * ```ts
 * crc32(new TextEncoder().encode('hello')); // 0x3610a686, as zlib.crc32('hello')
 * ```
 */
export function crc32(bytes: Uint8Array, previous = 0): number {
  let c = ~previous >>> 0;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
