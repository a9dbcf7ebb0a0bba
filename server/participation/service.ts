import type { Logger } from '../observability/logger.ts';
import type { Engine } from '../platform/engine.ts';
import { luaScript } from '../platform/store/lua-script.ts';
import type { Store } from '../platform/store/store.ts';
import { RoomcastError } from '../protocol/errors.ts';
import type { Sink } from './crm.ts';
import { participationKeys, sinkNames, type SinkName } from './keys.ts';

const fanoutScript = luaScript(new URL('./fanout-4.lua', import.meta.url));
const takeScript = luaScript(new URL('./take-2.lua', import.meta.url));
const replayScript = luaScript(new URL('./replay-2.lua', import.meta.url));
/** A replay's step: at most this many letters, and this many events unless one letter holds more. */
const REPLAY_LETTERS = 50;
const REPLAY_EVENTS = 2000;

/** Events moved from an outbox to the sinks' queues per step. */
const FANOUT_BATCH = 1000;
/** A sink no node has run for this long is off: its events are no longer queued. */
const SINK_SEEN_MS = 60_000;
/** A slot's sink is driven by one node at a time; a node that dies hands it on after this. */
const LEASE_MS = 5000;

export interface ParticipationOptions {
  /** How often each node looks at the outboxes. */
  everyMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

/**
 * Participation events, out: the decisions wrote them in their own steps (emit.lua); here every
 * node, every `everyMs`, hands each slot's new events to the sinks' queues (fanout-4.lua), and
 * drives each sink's queue under a lock: a batch delivered is forgotten, a batch refused for good
 * goes to the dead letters, a failure waits (doubling, with jitter, up to `retryMaxMs`) and the same
 * batch goes again. Never on a decision's path: a viewer's tap waits for none of this.
 */
export class Participation {
  private readonly store: Store;
  private readonly keys: ReturnType<typeof participationKeys>;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** Per queue: failures in a row, and when to try again. */
  private readonly backoff = new Map<string, { failures: number; until: number }>();

  constructor(
    private readonly engine: Pick<Engine, 'store' | 'keys' | 'shards' | 'locks'>,
    private readonly sinks: Partial<Record<SinkName, Sink>>,
    private readonly options: ParticipationOptions,
    private readonly log: Logger,
    private readonly observe: (sink: SinkName, outcome: 'delivered' | 'dead' | 'retry', events: number) => void = () => {},
  ) {
    this.store = engine.store;
    this.keys = participationKeys(engine.keys);
  }

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.tick()
        .catch((err: unknown) => this.log.warn({ err }, 'participation: the outboxes not read; next pass'))
        .finally(() => (this.running = undefined));
    }, this.options.everyMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass: every outbox handed on, every sink's queue driven once. */
  async tick(now = Date.now()): Promise<void> {
    const taken = await this.sinksInUse(now);
    for (const outbox of await this.engine.shards.indexes(this.keys.outboxName)) {
      try {
        await this.store.run(fanoutScript, [outbox, ...sinkNames.map((name) => this.keys.queue(outbox, name))], [FANOUT_BATCH, ...sinkNames.map((name) => taken[name] ?? '')]);
        for (const [name, sink] of Object.entries(this.sinks) as Array<[SinkName, Sink]>) await this.drive(outbox, name, sink, now);
      } catch (err) {
        this.log.warn({ err, outbox }, 'participation events not handed on; next pass');
      }
    }
  }

  /**
   * What each sink takes, as any node running it says (fanout-4.lua's form): each node says its own
   * every pass, and hands events on for every sink some node ran within `SINK_SEEN_MS`, so a node
   * configured without a sink (a rolling deploy, one node's missing variable) queues its events for
   * the nodes that deliver them rather than dropping them.
   */
  private async sinksInUse(now: number): Promise<Partial<Record<SinkName, string>>> {
    const own = (Object.entries(this.sinks) as Array<[SinkName, Sink]>).flatMap(([name, sink]) => [name, JSON.stringify({ takes: takes(sink), at: now })]);
    if (own.length) await this.store.call('HSET', this.keys.sinks, ...own);
    const seen = await this.store.hgetall(this.keys.sinks);
    const out: Partial<Record<SinkName, string>> = {};
    for (const name of sinkNames) {
      const said = seen[name] ? (JSON.parse(seen[name]) as { takes: string; at: number }) : undefined;
      if (said && now - said.at < SINK_SEEN_MS) out[name] = said.takes;
    }
    return out;
  }

  /** Dead letters of a sink, oldest first, across every slot: what it refused for good, and why. */
  async deadLetters(sink: SinkName): Promise<unknown[]> {
    const lists = await Promise.all((await this.engine.shards.indexes(this.keys.outboxName)).map((outbox) => this.store.lrange(this.keys.dead(outbox, sink), 0, -1)));
    return lists.flat().map((json) => JSON.parse(json) as unknown);
  }

  /**
   * Sends a sink's dead letters again, once the receiver is fixed: their events go back to the end
   * of the sink's queue and are delivered as any other (idempotent by event id at the receiver).
   * A few letters per step (up to `REPLAY_EVENTS` events), each step atomic, so a long outage's
   * dead letters replay without one huge script call. Answers how many events went back.
   */
  async replayDead(sink: SinkName): Promise<number> {
    const outboxes = await this.engine.shards.indexes(this.keys.outboxName);
    const counts = await Promise.all(outboxes.map(async (outbox) => {
      const dead = this.keys.dead(outbox, sink);
      let replayed = 0;
      for (;;) {
        const letters = await this.store.lrange(dead, 0, REPLAY_LETTERS - 1);
        if (!letters.length) return replayed;
        const events: string[] = [];
        let n = 0;
        for (const letter of letters) {
          const more = (JSON.parse(letter) as { events: unknown[] }).events.map((e) => JSON.stringify(e));
          if (n && events.length + more.length > REPLAY_EVENTS) break;
          events.push(...more);
          n++;
        }
        const moved = (await this.store.run(replayScript, [dead, this.keys.queue(outbox, sink)], [n, letters[0]!, letters[n - 1]!, ...events])) as number;
        if (moved < 0) throw new RoomcastError('already_done', `the dead letters changed while being replayed (another replay at once?), after ${replayed} events of this slot went back: read them again`);
        replayed += moved;
      }
    }));
    const replayed = counts.reduce((sum, n) => sum + n, 0);
    this.log.info({ sink, replayed }, 'participation: dead letters sent again');
    return replayed;
  }

  private async drive(outbox: string, name: SinkName, sink: Sink, now: number): Promise<void> {
    const queue = this.keys.queue(outbox, name);
    const wait = this.backoff.get(queue);
    if (wait && now < wait.until) return;
    await this.engine.locks.withLock(`participation:${queue}`, { leaseMs: LEASE_MS, waitMs: 0 }, async () => {
      for (;;) {
        const events = await this.store.lrange(queue, 0, sink.batchSize - 1);
        if (!events.length) return;
        let delivery;
        try {
          delivery = await sink.deliver(events);
        } catch (err) {
          const failures = (this.backoff.get(queue)?.failures ?? 0) + 1;
          const cap = Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** (failures - 1));
          this.backoff.set(queue, { failures, until: Date.now() + Math.random() * cap });
          this.observe(name, 'retry', events.length);
          this.log.warn({ err, sink: name, events: events.length, failures }, 'participation events not delivered; sent again later');
          return;
        }
        this.backoff.delete(queue);
        const dead = delivery.ok ? '' : JSON.stringify({ at: Date.now(), status: delivery.status, reason: delivery.reason, events: events.map((e) => JSON.parse(e) as unknown) });
        if (!delivery.ok) this.log.error({ sink: name, status: delivery.status, events: events.length }, 'participation events refused for good: kept in the dead letters');
        await this.store.run(takeScript, [queue, this.keys.dead(outbox, name)], [events.length, dead, events[0]!, events.at(-1)!]);
        this.observe(name, delivery.ok ? 'delivered' : 'dead', events.length);
      }
    }).catch((err: unknown) => {
      // Another node drives this queue now (`unavailable`): nothing to do here.
      if ((err as { code?: string }).code !== 'unavailable') throw err;
    });
  }
}

/** What a sink takes, as fanout-4.lua reads it. */
function takes(sink: Sink | undefined): string {
  if (!sink) return '';
  return sink.types ? `,${sink.types.join(',')},` : '*';
}
