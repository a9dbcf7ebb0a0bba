// The widget's one msgpackr import: frames are msgpack both ways on the native transport.
// eslint-disable-next-line no-restricted-imports
import { Packr, Unpackr } from 'msgpackr';

const packr = new Packr({ useRecords: false });
const unpackr = new Unpackr({ useRecords: false });

export const encode = (value: unknown): Uint8Array => packr.pack(value);
export const decode = (bytes: Uint8Array): unknown => unpackr.unpack(bytes);
