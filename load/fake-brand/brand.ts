import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FulfilmentJob } from '../../server/games/fulfilment/fulfil.ts';
import { checkSignature } from '../../server/orders/signing.ts';
import type { ParticipationEvent } from '../../server/participation/events.ts';

/**
 * A stand-in for the brand's own backend, speaking the real wire format, checking Roomcast's
 * signature on every request: its CRM webhook (`POST /crm/events`, signed JSON lines) keeps each
 * event by id and counts how often each id came; its prize fulfilment (`POST /fulfil`, one signed
 * job each) hands the prize out once per job id and answers `fulfilled`, or `failed` with a reason
 * for the prizes it has run out of. It can be down (503) or refuse (400) for a while.
 */
export class FakeBrand {
  /** Every event received, by id, with how many times it came. */
  readonly events = new Map<string, { event: ParticipationEvent; times: number }>();
  /** Every request, including the ones refused for a bad signature or failed on purpose. */
  /** Every fulfilment job received, by job id, with how many times it came. */
  readonly jobs = new Map<string, { job: FulfilmentJob; times: number }>();
  /** Prize names the brand has run out of: their jobs answer `failed`. */
  readonly outOfStock = new Set<string>();
  attempts = 0;
  badSignatures = 0;
  private failing: { status: number; left: number } | undefined;

  private constructor(private readonly server: Server, private readonly secret: string) {}

  static async start(options: { secret: string }): Promise<FakeBrand> {
    const server = createServer();
    const brand = new FakeBrand(server, options.secret);
    server.on('request', (req, res) => {
      void brand.handle(req).then(({ status, body }) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return brand;
  }

  get crmUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/crm/events`;
  }

  get fulfilUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/fulfil`;
  }

  /** The next `times` requests are answered `status` (a 503 outage, a 400 refusal). */
  failNext(status: number, times: number): void {
    this.failing = { status, left: times };
  }

  /** Events received of `type` (all when omitted). */
  received(type?: string): ParticipationEvent[] {
    return [...this.events.values()].map((e) => e.event).filter((e) => !type || e.type === type);
  }

  /** Events that came more than once (a batch sent again after a lost answer). */
  get duplicates(): number {
    return [...this.events.values()].reduce((n, e) => n + e.times - 1, 0);
  }

  private fulfil(job: FulfilmentJob): { status: number; body: unknown } {
    const known = this.jobs.get(job.job);
    if (known) known.times++;
    else this.jobs.set(job.job, { job, times: 1 });
    if (job.prize && this.outOfStock.has(job.prize)) return { status: 200, body: { status: 'failed', reason: `${job.prize}: out of stock` } };
    return { status: 200, body: { status: 'fulfilled' } };
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    this.attempts++;
    if (this.failing && this.failing.left > 0) {
      this.failing.left--;
      return { status: this.failing.status, body: { error: 'failing on purpose' } };
    }
    const check = checkSignature(this.secret, req.headers as Record<string, string>, raw);
    if (!check.ok) {
      this.badSignatures++;
      return { status: 401, body: { error: check.reason } };
    }
    if (req.url === '/fulfil') return this.fulfil(JSON.parse(raw.toString()) as FulfilmentJob);
    if (req.url !== '/crm/events') return { status: 404, body: { error: 'not found' } };
    if (req.headers['content-type'] !== 'application/x-ndjson') return { status: 415, body: { error: 'JSON lines expected' } };
    for (const line of raw.toString().split('\n')) {
      if (!line) continue;
      const event = JSON.parse(line) as ParticipationEvent;
      const known = this.events.get(event.id);
      if (known) known.times++;
      else this.events.set(event.id, { event, times: 1 });
    }
    return { status: 200, body: { ok: true } };
  }
}
