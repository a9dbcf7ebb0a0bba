import { signedHeaders } from '../orders/signing.ts';

/** How a sink took a batch: delivered, or refused for good (a 4xx: retrying cannot help). Anything else throws, and is retried. */
export type Delivery = { ok: true } | { ok: false; status: number; reason: string };

/** Where a sink sends a batch of events (each one JSON line, as kept). */
export interface Sink {
  deliver(events: readonly string[]): Promise<Delivery>;
}

/**
 * The brand's CRM webhook: a batch of events as JSON lines (`application/x-ndjson`), signed as
 * Roomcast signs what it sends the mall (orders/signing.ts, with CRM_WEBHOOK_SECRET). 2xx:
 * delivered; 4xx (but 408, 425 and 429, which say "later"): refused for good; 5xx, a timeout or no
 * answer: thrown, and sent again later. Events carry ids: a batch sent twice (a node died between
 * the 2xx and forgetting it) is recognised by the receiver.
 */
export function crmWebhook(options: { url: string; secret: string; timeoutMs: number }): Sink {
  return {
    async deliver(events) {
      const body = `${events.join('\n')}\n`;
      const res = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson', ...signedHeaders(options.secret, body) },
        body,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const text = await res.text().catch(() => '');
      if (res.ok) return { ok: true };
      if (res.status >= 400 && res.status < 500 && ![408, 425, 429].includes(res.status)) return { ok: false, status: res.status, reason: text.slice(0, 200) };
      throw new Error(`CRM webhook answered ${res.status}`);
    },
  };
}
