import Router from '@koa/router';
import type { IdempotencyStore } from '../platform/engine.ts';
import { rawBody } from '../http/body.ts';
import type { Logger } from '../observability/logger.ts';
import { RoomcastError } from '../protocol/errors.ts';
import { WeComCryptoError, type WeComCrypto } from './crypto.ts';
import type { GroupEvent, WeComRouting } from './routing/service.ts';
import { encryptedField, parseFlatXml, XmlError } from './xml.ts';

/** WeCom retries a callback not answered within 5 s; work still running then finishes after the answer. */
const ANSWER_WITHIN_MS = 3000;
/**
 * WeCom's callback bodies are a few hundred bytes to a few KB (the member list of one change); a
 * bigger one is not WeCom's and is refused before it is read further.
 */
const MAX_CALLBACK_BYTES = 32 * 1024;
/** A callback seen (ChatId + CurMemVer) is ignored for this long. */
const DEDUP_TTL_MS = 24 * 3600 * 1000;

export type CallbackOutcome = 'verified' | 'applied' | 'duplicate' | 'ignored' | 'refused';

/**
 * `GET|POST /v1/wecom/callback`, authenticated by WeCom's signature, not the API key. GET is the
 * URL check when the callback is saved (answer the decrypted echostr, nothing else); POST carries
 * events: bounded, its `Encrypt` taken out without parsing the rest, verified, decrypted, checked to
 * be for our corp, de-duplicated (a group's ChatId + CurMemVer; a customer's change and time),
 * applied, and answered 200 with an empty body. Group changes move routing; customer changes
 * (`add_external_contact` and kin) tell corp tags whose customer a viewer now is.
 */
export function wecomCallbackRoutes(
  crypto: WeComCrypto,
  routing: WeComRouting,
  /** A customer's pairs changed (`change_external_contact`): corp tags learn who they are. */
  onContactChange: (externalUserId: string) => Promise<void>,
  seen: IdempotencyStore,
  log: Logger,
  observe: (outcome: CallbackOutcome) => void,
): Router {
  const router = new Router();
  const open = (query: Record<string, string>, encrypted: string | undefined): string => {
    if (!query.msg_signature || !query.timestamp || !query.nonce || !encrypted) throw new RoomcastError('bad_request', 'msg_signature, timestamp, nonce and the encrypted payload are required');
    try {
      return crypto.open(query.msg_signature, query.timestamp, query.nonce, encrypted);
    } catch (err) {
      observe('refused');
      if (err instanceof WeComCryptoError) throw new RoomcastError(err.reason === 'undecryptable' ? 'bad_request' : 'unauthorized', err.message);
      throw err;
    }
  };

  router.get('/v1/wecom/callback', (ctx) => {
    const query = rawQuery(ctx.querystring);
    ctx.type = 'text/plain';
    ctx.body = open(query, query.echostr);
    observe('verified');
  });

  router.post('/v1/wecom/callback', async (ctx) => {
    const query = rawQuery(ctx.querystring);
    const envelope = (await rawBody(ctx, MAX_CALLBACK_BYTES)).toString('utf8');
    const decrypted = open(query, xml(() => encryptedField(envelope)));
    const event = xml(() => parseFlatXml(decrypted));
    ctx.status = 200;
    ctx.body = '';
    let key: string;
    let apply: () => Promise<void>;
    if (event.Event === 'change_external_chat' && event.ChatId) {
      key = `wecom-cb:${single(event.ChatId)}:${single(event.CurMemVer) ?? `${single(event.ChangeType)}:${single(event.CreateTime)}`}`;
      apply = () => routing.onGroupEvent(groupEvent(event));
    } else if (event.Event === 'change_external_contact' && event.ExternalUserID) {
      const customer = single(event.ExternalUserID)!;
      key = `wecom-cb:contact:${customer}:${single(event.UserID) ?? ''}:${single(event.ChangeType)}:${single(event.CreateTime)}`;
      apply = () => onContactChange(customer);
    } else {
      return observe('ignored');
    }
    if (!(await seen.claimOnce(key, DEDUP_TTL_MS))) return observe('duplicate');
    const work = apply().then(
      () => observe('applied'),
      (err: unknown) => log.warn({ err, key }, 'wecom: callback not applied (group counts are reconciled; a customer is read again at their next change)'),
    );
    await Promise.race([work, new Promise((r) => setTimeout(r, ANSWER_WITHIN_MS).unref())]);
  });
  return router;
}

function groupEvent(e: Record<string, string | string[]>): GroupEvent {
  const members = e.MemChangeList;
  return {
    chatId: single(e.ChatId)!,
    changeType: single(e.ChangeType) ?? '',
    ...(e.UpdateDetail ? { updateDetail: single(e.UpdateDetail) } : {}),
    memChangeCnt: Number(single(e.MemChangeCnt) ?? (Array.isArray(members) ? members.length : 1)) || 1,
    members: Array.isArray(members) ? members : members ? [members] : [],
  };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function xml<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof XmlError) throw new RoomcastError('bad_request', `the body is not WeCom XML: ${err.message}`);
    throw err;
  }
}

/**
 * The query string with `%xx` decoded but `+` kept: WeCom's base64 `echostr` may carry a literal
 * `+`, which form decoding (URLSearchParams, Koa's ctx.query) would turn into a space.
 */
export function rawQuery(querystring: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of querystring.split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    try {
      out[decodeURIComponent(part.slice(0, eq))] = decodeURIComponent(part.slice(eq + 1));
    } catch {
      throw new RoomcastError('bad_request', 'malformed query string');
    }
  }
  return out;
}
