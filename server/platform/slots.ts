/**
 * Redis Cluster's key slots: CRC16 (XMODEM) of the key's hash tag (the first non-empty `{…}`, else
 * the whole key) mod 16384, as `keyHashSlot` in Redis's cluster.c computes it.
 */
export const SLOTS = 16_384;

const table = new Uint16Array(256).map((_, i) => {
  let crc = i << 8;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  return crc;
});

function crc16(text: string): number {
  let crc = 0;
  for (const byte of Buffer.from(text, 'utf8')) crc = ((crc << 8) & 0xffff) ^ table[((crc >> 8) ^ byte) & 0xff]!;
  return crc;
}

/** The slot of a key. */
export function slotOfKey(key: string): number {
  const open = key.indexOf('{');
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) return crc16(key.slice(open + 1, close)) % SLOTS;
  }
  return crc16(key) % SLOTS;
}

let tags: string[] | undefined;

/**
 * A short hash tag for each slot (`s` and a number: the first one that lands there), so a key can be
 * put in the same slot as any other: an index of a slot's rooms beside the rooms' own keys.
 */
export function tagOfSlot(slot: number): string {
  if (!tags) {
    tags = new Array<string>(SLOTS);
    let left = SLOTS;
    for (let i = 0; left > 0; i++) {
      const tag = `s${i}`;
      const s = crc16(tag) % SLOTS;
      if (tags[s] === undefined) {
        tags[s] = tag;
        left--;
      }
    }
  }
  return tags[slot]!;
}
