import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkSignature, signedHeaders } from '../../server/orders/signing.ts';

/**
 * A stand-in for a brand's mini-program mall, speaking the real wire format: it checks Roomcast's
 * signature on every push, answers `{ mallOrderId, payPath }` (the same order pushed twice gets the
 * same answer), can be slow, flaky or down, counts what it received, and sends signed payment
 * notifications back to Roomcast's `/v1/mall/notify`.
 */
export interface FakeMallOptions {
  secret: string;
  /** Added to every answer. */
  latencyMs?: number;
  /** Share of pushes answered 503, 0..1. */
  failureRate?: number;
  /** Roomcast's notification endpoint, for `pay` and `notify`. */
  notifyUrl?: string;
}

export interface ReceivedOrder {
  orderId: string;
  mallOrderId: string;
  amount: number;
  /** Pushes of this order that were accepted (a retry after a lost answer makes it 2). */
  pushes: number;
  /** When the first accepted push arrived (ms since the epoch). */
  receivedAt: number;
}

export class FakeMall {
  readonly orders = new Map<string, ReceivedOrder>();
  readonly refunds: Array<{ orderId: string; amount: number; reason: string }> = [];
  /** Every push attempt, including the ones refused for a bad signature or failed on purpose. */
  attempts = 0;
  badSignatures = 0;
  /** Every answer's time and status, in order. */
  readonly answers: Array<{ at: number; status: number }> = [];
  private down = false;
  private refusing = false;
  private throttle: { status: number; retryAfter?: string; left: number } | undefined;
  private next = 1;

  private constructor(private readonly server: Server, private readonly options: FakeMallOptions) {}

  static async start(options: FakeMallOptions, port = 0): Promise<FakeMall> {
    const server = createServer();
    const mall = new FakeMall(server, options);
    server.on('request', (req, res) => {
      void mall.handle(req).then(({ status, body, retryAfter }) => {
        mall.answers.push({ at: Date.now(), status });
        res.writeHead(status, { 'content-type': 'application/json', ...(retryAfter ? { 'retry-after': retryAfter } : {}) }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return mall;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/orders`;
  }

  /** While down, every request is answered 503 (a deploy, an outage). */
  setDown(down: boolean): void {
    this.down = down;
  }

  /** While refusing, pushes are answered 422 (a product the mall no longer sells): final, not retried. */
  setRefusing(refusing: boolean): void {
    this.refusing = refusing;
  }

  /**
   * The next `times` requests are answered `status` (408, 425, 429 or a 5xx: a mall shedding load in
   * a storm), with `Retry-After: retryAfter` when given.
   */
  setThrottling(status: number, times: number, retryAfter?: string): void {
    this.throttle = { status, left: times, ...(retryAfter ? { retryAfter } : {}) };
  }

  /** Where payment notifications go; Roomcast's port is known only once it is up, after the mall. */
  notifyTo(url: string): void {
    this.options.notifyUrl = url;
  }

  setFailureRate(rate: number): void {
    this.options.failureRate = rate;
  }

  /** The buyer paid in the mall: a signed notification to Roomcast. */
  pay(orderId: string, extra: Record<string, unknown> = {}): Promise<{ status: number; body: unknown }> {
    const order = this.orders.get(orderId);
    return this.notify({ orderId, mallOrderId: order?.mallOrderId ?? 'unknown', status: 'paid', paidAt: Date.now(), amount: order?.amount, ...extra });
  }

  /** Any notification, signed unless `headers` overrides the signature headers. */
  async notify(payload: unknown, headers: Record<string, string> = {}, raw?: string): Promise<{ status: number; body: unknown }> {
    if (!this.options.notifyUrl) throw new Error('the fake mall has no notifyUrl');
    const body = raw ?? JSON.stringify(payload);
    const res = await fetch(this.options.notifyUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signedHeaders(this.options.secret, body), ...headers },
      body,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown; retryAfter?: string }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));
    this.attempts++;
    if (this.down || Math.random() < (this.options.failureRate ?? 0)) return { status: 503, body: { error: 'unavailable' } };
    if (this.throttle && this.throttle.left > 0) {
      this.throttle.left--;
      return { status: this.throttle.status, body: { error: 'slow down' }, ...(this.throttle.retryAfter ? { retryAfter: this.throttle.retryAfter } : {}) };
    }
    const check = checkSignature(this.options.secret, req.headers as Record<string, string>, raw);
    if (!check.ok) {
      this.badSignatures++;
      return { status: 401, body: { error: check.reason } };
    }
    const body = JSON.parse(raw.toString()) as { orderId: string; amount: number; reason?: string };
    if (req.url?.endsWith('/refunds')) {
      this.refunds.push({ orderId: body.orderId, amount: body.amount, reason: body.reason ?? '' });
      return { status: 200, body: { ok: true } };
    }
    if (this.refusing) return { status: 422, body: { error: 'product not on sale' } };
    const known = this.orders.get(body.orderId);
    if (known) known.pushes++;
    else this.orders.set(body.orderId, { orderId: body.orderId, mallOrderId: `M${this.next++}`, amount: body.amount, pushes: 1, receivedAt: Date.now() });
    const order = this.orders.get(body.orderId)!;
    return { status: 200, body: { mallOrderId: order.mallOrderId, payPath: `/pages/pay/index?order=${order.mallOrderId}` } };
  }
}
