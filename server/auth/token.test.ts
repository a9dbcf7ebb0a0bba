/**
 * The synchronous token check against jose's `jwtVerify` (the check it replaces, kept here as the
 * reference): the same verdict on every token, the cases that matter named and many more generated.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { jwtVerify } from 'jose';
import { RoomcastError } from '../protocol/errors.ts';
import { issueToken, secretKey, verifyToken } from './token.ts';

const secret = secretKey('a-test-secret-of-some-length');
const NOW = Date.parse('2026-12-02T00:00:00Z');
const nowSec = NOW / 1000;

type Verdict = 'accepted' | 'expired' | 'invalid';

async function joseVerdict(token: string): Promise<Verdict> {
  try {
    await jwtVerify(token, secret, { algorithms: ['HS256'], requiredClaims: ['exp', 'sub'], currentDate: new Date(NOW) });
    return 'accepted';
  } catch (err) {
    return (err as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'expired' : 'invalid';
  }
}

function ourVerdict(token: string): Verdict {
  try {
    verifyToken(token, secret, 8, NOW);
    return 'accepted';
  } catch (err) {
    assert.ok(err instanceof RoomcastError && err.code === 'unauthorized');
    // Claims jose accepts but our schema does not (a numeric sub) are a verdict on the claims, not the token.
    if (err.message === 'token claims are malformed') return 'accepted';
    return err.message === 'token expired' ? 'expired' : 'invalid';
  }
}

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A compact JWS over any header and payload, signed with `key`: what a forger or a sloppy issuer could send. */
function sign(header: unknown, payload: unknown, key: Uint8Array = secret): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

const good = { sub: 'u1', name: 'Ann', exp: nowSec + 600 };

test('the named cases: valid, missing, malformed, forged, expired, the time edges, other algorithms', async () => {
  const cases: Record<string, string> = {
    'issued by issueToken': await issueToken({ sub: 'u1', role: 'host', rooms: ['r'] }, secret),
    valid: sign({ alg: 'HS256', typ: 'JWT' }, good),
    'not a JWT': 'hello',
    'four segments': `${sign({ alg: 'HS256' }, good)}.x`,
    forged: sign({ alg: 'HS256' }, good, secretKey('another-secret-entirely')),
    tampered: (() => { const [h, , s] = sign({ alg: 'HS256' }, good).split('.'); return `${h}.${b64({ ...good, role: 'host' })}.${s}`; })(),
    expired: sign({ alg: 'HS256' }, { ...good, exp: nowSec - 1 }),
    'exp == now': sign({ alg: 'HS256' }, { ...good, exp: nowSec }),
    'no exp': sign({ alg: 'HS256' }, { sub: 'u1' }),
    'no sub': sign({ alg: 'HS256' }, { exp: nowSec + 60 }),
    'future nbf': sign({ alg: 'HS256' }, { ...good, nbf: nowSec + 60 }),
    'past nbf': sign({ alg: 'HS256' }, { ...good, nbf: nowSec - 60 }),
    'string iat': sign({ alg: 'HS256' }, { ...good, iat: 'yesterday' }),
    'string exp': sign({ alg: 'HS256' }, { ...good, exp: String(nowSec + 60) }),
    HS512: sign({ alg: 'HS512' }, good),
    none: `${b64({ alg: 'none' })}.${b64(good)}.`,
    'array payload': sign({ alg: 'HS256' }, [good]),
    'crit b64': sign({ alg: 'HS256', crit: ['b64'], b64: true }, good),
    'crit unknown': sign({ alg: 'HS256', crit: ['exp'], exp: 1 }, good),
    'b64 false': sign({ alg: 'HS256', b64: false }, good),
    'numeric sub': sign({ alg: 'HS256' }, { ...good, sub: 7 }),
  };
  for (const [name, token] of Object.entries(cases)) assert.equal(ourVerdict(token), await joseVerdict(token), name);
  assert.equal(ourVerdict(cases.valid!), 'accepted');
  assert.equal(ourVerdict(cases.expired!), 'expired');
  assert.equal(ourVerdict(cases.forged!), 'invalid');
});

test('generated headers, claims, keys and tampering: the same verdict as jose', async () => {
  const time = fc.oneof(fc.integer({ min: nowSec - 5, max: nowSec + 5 }), fc.constantFrom('soon', null, true, nowSec + 0.5));
  const payload = fc.record({
    sub: fc.oneof(fc.constantFrom('u1', 'viewer-9'), fc.constant(null)),
    exp: time, nbf: time, iat: time, name: fc.string({ maxLength: 8 }),
  }, { requiredKeys: [] });
  const header = fc.record({
    alg: fc.constantFrom('HS256', 'HS384', 'none', 'hs256'),
    typ: fc.constantFrom('JWT', 'at+jwt'),
    crit: fc.constantFrom(['b64'], [], ['zip'], 'b64'),
    b64: fc.boolean(),
  }, { requiredKeys: ['alg'] });
  const key = fc.constantFrom(secret, secretKey('not-the-shared-secret'));
  const tamper = fc.option(fc.tuple(fc.nat(), fc.constantFrom('A', '_', '-', '.', '=', ' ')), { freq: 3 });
  await fc.assert(fc.asyncProperty(header, payload, key, tamper, async (h, p, k, t) => {
    let token = sign(h, p, k);
    if (t) token = token.slice(0, t[0] % token.length) + t[1] + token.slice((t[0] % token.length) + 1);
    // jose's decoder is lenient with padding and whitespace, which no issuer writes; ours refuses them.
    if (t && (t[1] === '=' || t[1] === ' ')) {
      assert.notEqual(ourVerdict(token), 'accepted');
      return;
    }
    assert.equal(ourVerdict(token), await joseVerdict(token), token);
  }), { numRuns: 3000 });
});
