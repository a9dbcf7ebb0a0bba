import { Packr } from 'msgpackr';

/**
 * The only place that touches msgpackr. Plain maps, no records: records are smaller but only
 * msgpackr can read them, and clients (mini-programs, other languages) must decode our frames.
 */
const packr = new Packr({ useRecords: false, mapsAsObjects: true, int64AsType: 'number' });

export function encode(value: unknown): Uint8Array {
  return packr.pack(value);
}

/** Throws on bytes that are not exactly one msgpack value. */
export function decode(bytes: Uint8Array): unknown {
  return packr.unpack(bytes);
}

/** Several msgpack values laid end to end (the Redis bus prefixes an integer stamp this way). */
export function decodeAll(bytes: Uint8Array): unknown[] {
  return packr.unpackMultiple(bytes) as unknown[];
}
