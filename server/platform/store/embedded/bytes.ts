/**
 * Byte strings: JS strings whose char codes are bytes (latin1), the embedded store's one
 * representation of keys and values. Text in UTF-8 and binary values survive unchanged.
 */

const NOT_ASCII = /[\u0080-\uffff]/;

/** A JS (UTF-16) string as the bytes of its UTF-8, as a byte string; ASCII is already one. */
export function fromText(text: string): string {
  return !NOT_ASCII.test(text) ? text : Buffer.from(text, 'utf8').toString('latin1');
}

/** A byte string's bytes read as UTF-8. */
export function toText(bytes: string): string {
  return !NOT_ASCII.test(bytes) ? bytes : Buffer.from(bytes, 'latin1').toString('utf8');
}

/** Short strings are built in JS; longer ones by Node's latin1 codec (no copy of the bytes). */
const SHORT = 48;

export function fromBytes(bytes: Uint8Array): string {
  if (bytes.length < SHORT) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** A fresh array of the bytes (never a slice of Node's shared pool: Lua may keep it). */
export function toBytes(bytes: string): Uint8Array {
  if (bytes.length < SHORT) {
    const out = new Uint8Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) out[i] = bytes.charCodeAt(i);
    return out;
  }
  const out = Buffer.allocUnsafeSlow(bytes.length);
  out.write(bytes, 'latin1');
  return out;
}

export function toBuffer(bytes: string): Buffer {
  return Buffer.from(bytes, 'latin1');
}
