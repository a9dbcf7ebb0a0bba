import type { Logger } from '../../observability/logger.ts';
import type { Scheduler } from './scheduler.ts';

const POLL_MS = 200;
/** A node that dies holding an item hands it on after this long (as a BullMQ job's lock, jobs/bullmq.ts). */
const LEASE_MS = 15_000;
const BATCH = 200;

/** What to do when an item of one kind comes due: its room and id. Refusals (RoomcastError) are outcomes, not failures. */
export type DueHandler = (room: string, id: string) => Promise<unknown>;

/**
 * Names of scheduled work: `<kind>|<room>|<id>`. Kinds are the domains' own (a reservation's pay
 * deadline, a sale's start and end, a group's or assist's expiry, a draw, a red packet's end);
 * rooms and ids never contain `|`.
 */
export const dueKey = (kind: string, room: string, id: string) => `${kind}|${room}|${id}`;

/**
 * The one scheduler of due work. What makes work due writes its item in the same atomic step (a
 * script ZADDs the schedule beside the order, group, assist or game), so no work is ever lost
 * between two steps. Every node polls; the schedule hands each item to one of them under a lease,
 * so the item comes due again if that node dies; a handler is an atomic transition, so an item
 * handled twice (a lease ran out mid-way) changes nothing twice.
 */
export class DueWork {
  private readonly handlers = new Map<string, DueHandler>();
  private readonly unknownKinds = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly schedule: Scheduler, private readonly log: Logger) {}

  /** Registers the handler of a kind; every kind a node may find due has one before start(). */
  on(kind: string, handler: DueHandler): void {
    this.handlers.set(kind, handler);
  }

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.tick().finally(() => (this.running = undefined));
    }, POLL_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async tick(now = Date.now()): Promise<void> {
    const due = await this.schedule.claimDue(now, LEASE_MS, BATCH).catch((err) => {
      this.log.warn({ err }, 'schedule not read');
      return [];
    });
    await Promise.all(due.map((key) => this.run(key)));
  }

  private async run(key: string): Promise<void> {
    const [kind, room, id] = key.split('|');
    const handler = kind && room && id ? this.handlers.get(kind) : undefined;
    if (!handler) return this.leave(key, kind ?? '');
    try {
      await handler(room!, id!).catch(ignoreRefusal);
      await this.schedule.done(key);
    } catch (err) {
      this.log.warn({ err, key }, 'scheduled work failed; it comes due again after its lease');
    }
  }

  /**
   * Work of a kind this node does not know is left for one that does: during a rolling deploy a
   * newer node writes kinds an older one has never heard of. It comes due again after its lease.
   */
  private leave(key: string, kind: string): void {
    if (this.unknownKinds.has(kind)) return;
    this.unknownKinds.add(kind);
    this.log.warn({ key, kind }, 'scheduled work of a kind this node does not handle: left for a node that does');
  }
}

/** A start or end that another node (or the host) already made is not a failure. */
function ignoreRefusal(err: unknown): void {
  const code = (err as { code?: string }).code;
  if (code === 'internal' || !code) throw err;
}
