import { signedHeaders } from '../orders/signing.ts';
import { participationTypes } from './events.ts';

/** How a sink took a batch: delivered, or refused for good (a 4xx: retrying cannot help). Anything else throws, and is retried. */
export type Delivery = { ok: true } | { ok: false; status: number; reason: string };

/** Where a sink sends a batch of events (each one JSON line, as kept). */
export interface Sink {
  /** The event types it takes (participation/events.ts and others); every type when absent. */
  types?: readonly string[];
  /** Events per `deliver`, at most. */
  batchSize: number;
  deliver(events: readonly string[]): Promise<Delivery>;
}

/**
 * The brand's CRM webhook: a batch of events as JSON lines (`application/x-ndjson`), signed as
 * Roomcast signs what it sends the mall (orders/signing.ts, with CRM_WEBHOOK_SECRET). 2xx:
 * delivered; 4xx (but 408, 425 and 429, which say "later"): refused for good; 5xx, a timeout or no
 * answer: thrown, and sent again later. Events carry ids: a batch sent twice (a node died between
 * the 2xx and forgetting it) is recognised by the receiver.
 */
export function crmWebhook(options: { url: string; secret: string; timeoutMs: number; batchSize: number }): Sink {
  return {
    types: participationTypes,
    batchSize: options.batchSize,
    async deliver(events) {
      const { res, text } = await postSigned(options, 'application/x-ndjson', `${events.join('\n')}\n`);
      if (res.ok) return { ok: true };
      return refusedForGood(res.status, text, 'CRM webhook');
    },
  };
}

/** A body POSTed to the brand, signed as Roomcast signs what it sends the mall; the answer and its text. */
export async function postSigned(to: { url: string; secret: string; timeoutMs: number }, contentType: string, body: string): Promise<{ res: Response; text: string }> {
  const res = await fetch(to.url, {
    method: 'POST',
    headers: { 'content-type': contentType, ...signedHeaders(to.secret, body) },
    body,
    signal: AbortSignal.timeout(to.timeoutMs),
  });
  return { res, text: await res.text().catch(() => '') };
}

/** A 4xx (but 408, 425, 429: "later") refuses for good; anything else is thrown, to be sent again. */
export function refusedForGood(status: number, body: string, what: string): Delivery {
  if (status >= 400 && status < 500 && ![408, 425, 429].includes(status)) return { ok: false, status, reason: body.slice(0, 200) };
  throw new Error(`${what} answered ${status}`);
}
