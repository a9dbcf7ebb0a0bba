interface Pending {
  /** The latest wish for the channel in this turn: it is what gets sent. */
  subscribe: boolean;
  settle: Array<(err?: Error) => void>;
}

/**
 * SUBSCRIBE and UNSUBSCRIBE on the bus connection, many channels per command: a join wave of
 * thousands of viewers (each one subscribes to its user channel) becomes one command per event-loop
 * turn instead of one write per viewer. Within a turn the latest wish for a channel wins; callers
 * hear back once the command that carried it is answered.
 */
export class Subscriptions {
  private pending = new Map<string, Pending>();
  private scheduled = false;

  /** `send` subscribes (or unsubscribes) channels in one command, or as few as its connection allows. */
  constructor(private readonly send: (subscribe: boolean, channels: string[]) => Promise<void>, private readonly onCommand: () => void = () => {}) {}

  subscribe(channel: string): Promise<void> {
    return this.wish(channel, true);
  }

  unsubscribe(channel: string): Promise<void> {
    return this.wish(channel, false);
  }

  private wish(channel: string, subscribe: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const entry = this.pending.get(channel) ?? { subscribe, settle: [] };
      entry.subscribe = subscribe;
      entry.settle.push((err) => (err ? reject(err) : resolve()));
      this.pending.set(channel, entry);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = [...this.pending];
    this.pending = new Map();
    for (const subscribe of [true, false]) {
      const entries = batch.filter(([, e]) => e.subscribe === subscribe);
      if (!entries.length) continue;
      const channels = entries.map(([channel]) => channel);
      const settleAll = (err?: Error) => entries.forEach(([, e]) => e.settle.forEach((settle) => settle(err)));
      try {
        this.onCommand();
        this.send(subscribe, channels).then(() => settleAll(), settleAll);
      } catch (err) {
        // Outside any caller's stack (a setImmediate): the callers must hear it, not the process.
        settleAll(err as Error);
      }
    }
  }
}
