import type { CommentEvent, CommentRemovedEvent, TickerEvent } from '../../../server/protocol/events.ts';
import type { RoomcastClient } from '../sdk/client.ts';

/** One line of the room's feed: someone just bought, or a comment. */
export type FeedLine = { kind: 'bought'; name: string; product: string } | { kind: 'comment'; id?: string; name: string; text: string };

/**
 * What every renderer of the room's counters and feed shows (`<rc-online>`, `<rc-likes>`,
 * `<rc-ticker>` and their mini-program twins): the room's state values as the server last said them,
 * and the last few feed lines ("just bought" and comments, as the server samples them; a comment a
 * host removed leaves them). `changed` hears which: a state key, or `feed`.
 */
export class RoomFeedModel {
  lines: FeedLine[] = [];
  private readonly offs: Array<() => void>;

  constructor(private readonly client: RoomcastClient, private readonly room: string, private readonly changed: (what: string) => void, private readonly keep = 5) {
    const mine = (room?: string) => !room || room === this.room;
    this.offs = [
      client.on('state', (e) => mine(e.room) && changed((e.data as { key: string }).key)),
      client.on('ticker', (e) => mine(e.room) && this.add({ kind: 'bought', name: (e.data as TickerEvent).name, product: (e.data as TickerEvent).product })),
      client.on('comment', (e) => {
        const d = e.data as CommentEvent & { room?: string };
        // A hidden comment comes back to its author alone, as a personal event naming its room.
        if (mine(e.room ?? d.room)) this.add({ kind: 'comment', id: d.id, name: d.user.name, text: d.text });
      }),
      client.on('comment.removed', (e) => {
        const { id } = e.data as CommentRemovedEvent;
        if (!mine(e.room) || !this.lines.some((l) => l.kind === 'comment' && l.id === id)) return;
        this.lines = this.lines.filter((l) => l.kind !== 'comment' || l.id !== id);
        changed('feed');
      }),
    ];
  }

  /** A state value of the room (`online`, `likes`), 0 before the server says one. */
  count(key: string): number {
    return (this.client.view(this.room).state[key] as number | undefined) ?? 0;
  }

  like(): void {
    this.client.like(this.room);
  }

  dispose(): void {
    for (const off of this.offs) off();
  }

  private add(line: FeedLine): void {
    this.lines = [...this.lines, line].slice(-this.keep);
    this.changed('feed');
  }
}
