/**
 * The SDK's msgpack: the frames of the protocol (maps, arrays, strings, numbers, booleans, nil) in
 * plain code, with no `TextEncoder`/`TextDecoder`, `BigInt` or code generation, so that it runs in a
 * mini-program, at a tenth of msgpackr's size in the bundle. The server keeps msgpackr
 * (server/protocol/codec.ts); `client-widget/test/msgpack.test.ts` holds the two to the same values
 * both ways. Decoding reads every msgpack type a peer may send (bin as Uint8Array, 64-bit integers
 * as numbers, an ext as `{ type, data }`); `decode` throws on bytes that are not exactly one value.
 */

import { utf8Encode } from '../../../server/protocol/utf8.ts';

export function encode(value: unknown): Uint8Array {
  const out = new Writer();
  write(out, value);
  return out.bytes();
}

export function decode(bytes: Uint8Array): unknown {
  const reader = new Reader(bytes);
  const value = reader.value();
  if (reader.at !== bytes.length) throw new Error('msgpack: bytes after the value');
  return value;
}

class Writer {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  private at = 0;

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.at + n));
    bigger.set(this.buf.subarray(0, this.at));
    this.buf = bigger;
    this.view = new DataView(bigger.buffer);
  }

  u8(...values: number[]): void {
    this.room(values.length);
    for (const v of values) this.buf[this.at++] = v;
  }

  u16(v: number): void {
    this.room(2);
    this.view.setUint16(this.at, v);
    this.at += 2;
  }

  u32(v: number): void {
    this.room(4);
    this.view.setUint32(this.at, v);
    this.at += 4;
  }

  f64(v: number): void {
    this.room(8);
    this.view.setFloat64(this.at, v);
    this.at += 8;
  }

  raw(bytes: ArrayLike<number>): void {
    this.room(bytes.length);
    this.buf.set(bytes, this.at);
    this.at += bytes.length;
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.at);
  }
}

function write(out: Writer, value: unknown): void {
  if (value === null || value === undefined) return out.u8(0xc0);
  if (value === false) return out.u8(0xc2);
  if (value === true) return out.u8(0xc3);
  if (typeof value === 'number') return writeNumber(out, value);
  if (typeof value === 'string') {
    const utf8 = utf8Encode(value);
    head(out, utf8.length, 0xa0, 32, 0xd9, 0xda, 0xdb);
    return out.raw(utf8);
  }
  if (value instanceof Uint8Array) {
    head(out, value.length, -1, 0, 0xc4, 0xc5, 0xc6);
    return out.raw(value);
  }
  if (Array.isArray(value)) {
    head(out, value.length, 0x90, 16, -1, 0xdc, 0xdd);
    for (const item of value) write(out, item);
    return;
  }
  if (typeof value === 'object') {
    // As JSON does: a key whose value is undefined or a function is left out.
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && typeof v !== 'function');
    // map16 even when a fixmap would do, as msgpackr writes it: the same bytes as the server's.
    head(out, entries.length, -1, 0, -1, 0xde, 0xdf);
    for (const [k, v] of entries) {
      write(out, k);
      write(out, v);
    }
    return;
  }
  throw new TypeError(`msgpack: cannot encode a ${typeof value}`);
}

/** A length in the smallest form: fix (below `fixLimit`, when `fix` is set), else 8, 16 or 32 bits. */
function head(out: Writer, n: number, fix: number, fixLimit: number, c8: number, c16: number, c32: number): void {
  if (fix >= 0 && n < fixLimit) out.u8(fix | n);
  else if (c8 >= 0 && n < 0x100) out.u8(c8, n);
  else if (n < 0x10000) {
    out.u8(c16);
    out.u16(n);
  } else {
    out.u8(c32);
    out.u32(n);
  }
}

/** As msgpackr does: the smallest integer form within 32 bits (-0 as 0), a float64 for the rest. */
function writeNumber(out: Writer, n: number): void {
  if (!Number.isInteger(n) || n >= 0x100000000 || n < -0x80000000) {
    out.u8(0xcb);
    return out.f64(n);
  }
  if (n >= 0) {
    if (n < 0x80) return out.u8(n);
    if (n < 0x100) return out.u8(0xcc, n);
    if (n < 0x10000) {
      out.u8(0xcd);
      return out.u16(n);
    }
    out.u8(0xce);
    return out.u32(n);
  }
  if (n >= -32) return out.u8(n & 0xff);
  if (n >= -0x80) return out.u8(0xd0, n & 0xff);
  if (n >= -0x8000) {
    out.u8(0xd1);
    return out.u16(n & 0xffff);
  }
  out.u8(0xd2);
  out.u32(n >>> 0);
}

class Reader {
  at = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(n: number): number {
    const at = this.at;
    if (at + n > this.bytes.length) throw new Error('msgpack: truncated');
    this.at += n;
    return at;
  }

  private u8 = () => this.bytes[this.need(1)]!;
  private u16 = () => this.view.getUint16(this.need(2));
  private u32 = () => this.view.getUint32(this.need(4));

  value(): unknown {
    const b = this.u8();
    if (b < 0x80) return b;
    if (b < 0x90) return this.map(b & 0x0f);
    if (b < 0xa0) return this.array(b & 0x0f);
    if (b < 0xc0) return this.str(b & 0x1f);
    if (b >= 0xe0) return b - 0x100;
    switch (b) {
      case 0xc0: return null;
      case 0xc2: return false;
      case 0xc3: return true;
      case 0xc4: return this.bin(this.u8());
      case 0xc5: return this.bin(this.u16());
      case 0xc6: return this.bin(this.u32());
      case 0xc7: return this.ext(this.u8());
      case 0xc8: return this.ext(this.u16());
      case 0xc9: return this.ext(this.u32());
      case 0xca: return this.view.getFloat32(this.need(4));
      case 0xcb: return this.view.getFloat64(this.need(8));
      case 0xcc: return this.u8();
      case 0xcd: return this.u16();
      case 0xce: return this.u32();
      case 0xcf: return this.u32() * 0x100000000 + this.u32();
      case 0xd0: return this.view.getInt8(this.need(1));
      case 0xd1: return this.view.getInt16(this.need(2));
      case 0xd2: return this.view.getInt32(this.need(4));
      case 0xd3: return this.view.getInt32(this.need(4)) * 0x100000000 + this.u32();
      case 0xd4: return this.ext(1);
      case 0xd5: return this.ext(2);
      case 0xd6: return this.ext(4);
      case 0xd7: return this.ext(8);
      case 0xd8: return this.ext(16);
      case 0xd9: return this.str(this.u8());
      case 0xda: return this.str(this.u16());
      case 0xdb: return this.str(this.u32());
      case 0xdc: return this.array(this.u16());
      case 0xdd: return this.array(this.u32());
      case 0xde: return this.map(this.u16());
      case 0xdf: return this.map(this.u32());
      default: throw new Error(`msgpack: 0x${b.toString(16)} is not a type`);
    }
  }

  private map(n: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const key = this.value();
      const value = this.value();
      // A key named __proto__ is data here, never the prototype.
      Object.defineProperty(out, String(key), { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  private array(n: number): unknown[] {
    if (n > this.bytes.length - this.at) throw new Error('msgpack: truncated');
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.push(this.value());
    return out;
  }

  private str(n: number): string {
    const at = this.need(n);
    return utf8Decode(this.bytes, at, at + n);
  }

  private bin(n: number): Uint8Array {
    const at = this.need(n);
    return this.bytes.slice(at, at + n);
  }

  private ext(n: number): { type: number; data: Uint8Array } {
    const type = this.view.getInt8(this.need(1));
    return { type, data: this.bin(n) };
  }
}

/** UTF-8 as TextDecoder reads it (not fatal): each malformed sequence becomes U+FFFD. */
function utf8Decode(bytes: Uint8Array, from: number, to: number): string {
  let out = '';
  for (let i = from; i < to;) {
    const b = bytes[i]!;
    let c = 0xfffd;
    let n = 1;
    if (b < 0x80) c = b;
    else if (b >= 0xc2 && b < 0xe0) n = 2;
    else if (b >= 0xe0 && b < 0xf0) n = 3;
    else if (b >= 0xf0 && b < 0xf5) n = 4;
    if (n > 1) {
      const lo = b === 0xe0 ? 0xa0 : b === 0xed ? 0x80 : b === 0xf0 ? 0x90 : 0x80;
      const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
      let code = b & (0xff >> (n + 1));
      let k = 1;
      for (; k < n; k++) {
        const next = bytes[i + k];
        if (next === undefined || i + k >= to || next < (k === 1 ? lo : 0x80) || next > (k === 1 ? hi : 0xbf)) break;
        code = (code << 6) | (next & 0x3f);
      }
      if (k === n) c = code;
      else n = k;
    }
    out += c > 0xffff ? String.fromCharCode(0xd800 + ((c - 0x10000) >> 10), 0xdc00 + ((c - 0x10000) & 0x3ff)) : String.fromCharCode(c);
    i += n;
  }
  return out;
}
