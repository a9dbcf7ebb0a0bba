import type { Session } from '../../core/session.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Figures } from './service.ts';

/**
 * Live figures for the hosts watching them (`figures.watch`): once a second, for each room a host on
 * this node watches, the figures are read once and handed to the watching hosts' sockets here as a
 * personal `figures` event. A host stops being pushed to when their socket leaves the room or closes.
 */
export class FiguresPusher {
  private readonly watchers = new Map<string, Set<Session>>();
  private timer: NodeJS.Timeout | undefined;
  private pushing = false;

  constructor(private readonly figures: Figures, private readonly everyMs: number, private readonly log: Logger) {}

  watch(room: string, session: Session): void {
    const sessions = this.watchers.get(room) ?? new Set<Session>();
    sessions.add(session);
    this.watchers.set(room, sessions);
    this.timer ??= setInterval(() => void this.push(), this.everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.watchers.clear();
  }

  private async push(): Promise<void> {
    if (this.pushing) return;
    this.pushing = true;
    try {
      await Promise.all([...this.watchers].map(async ([room, sessions]) => {
        for (const session of sessions) if (!session.isOpen || !session.rooms.has(room)) sessions.delete(session);
        if (!sessions.size) return this.watchers.delete(room);
        const event = { type: 'figures', data: await this.figures.of(room), ts: Date.now() };
        const hosts = new Map([...sessions].map((s) => [s.identity.sub, s]));
        for (const [sub, session] of hosts) session.ctx.hub.deliverToUser(sub, event);
      }));
    } catch (err) {
      this.log.warn({ err }, 'live figures not pushed');
    } finally {
      this.pushing = false;
      if (!this.watchers.size) this.stop();
    }
  }
}
