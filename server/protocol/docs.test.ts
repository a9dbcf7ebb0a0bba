/** docs/protocol.md is kept true: its examples must parse with the server's own schemas. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { errorCodes } from './errors.ts';
import { opNames, parseClientFrame } from './ops.ts';

const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
const blocks = (kind: string) => [...doc.matchAll(new RegExp('```' + kind + '\\n([\\s\\S]*?)```', 'g'))].map((m) => JSON.parse(m[1]!));

test('every client frame example is a valid frame, and every op is shown', () => {
  const frames = blocks('client-frame');
  for (const frame of frames) assert.doesNotThrow(() => parseClientFrame(frame), JSON.stringify(frame));
  assert.deepEqual([...new Set(frames.map((f) => f.op))].sort(), [...opNames].sort());
});

test('replies and server frames have the documented shape', () => {
  for (const reply of blocks('reply')) {
    assert.equal(typeof reply.re, 'number');
    assert.ok(reply.ok ? 'data' in reply : errorCodes.includes(reply.error.code));
  }
  for (const frame of blocks('server-frame')) {
    assert.ok(['batch', 'user'].includes(frame.t));
    for (const event of frame.events) assert.equal(typeof event.ts, 'number');
  }
});

test('every error code is documented', () => {
  for (const code of errorCodes) assert.ok(doc.includes('`' + code + '`'), code);
});
