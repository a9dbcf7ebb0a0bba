import type { RoomEvent } from './events.ts';

/** What a room looks like to this client: last value per state key, critical events in seq order. */
export interface RoomView {
  seq: number;
  state: Record<string, unknown>;
  events: RoomEvent[];
  snapshot: Record<string, unknown> | undefined;
  /** This viewer's opaque id in the room: how comments, draws and grabs name them. */
  you: string | undefined;
}

/** What `join` answers, as the client reads it. */
interface Joined {
  snapshot: Record<string, unknown>;
  seq: number;
  missed?: RoomEvent[];
  you?: { id: string };
}

const EVENT_HISTORY = 200;

/**
 * The rooms this client is in: joined (again after a reconnect, resuming from the last seq seen),
 * kept up to date from batch frames, critical events passed on once each and in seq order.
 */
export class RoomViews {
  readonly rooms = new Map<string, RoomView>();

  constructor(
    private readonly request: (op: string, args: Record<string, unknown>) => Promise<unknown>,
    private readonly emit: (event: RoomEvent) => void,
  ) {}

  view(room: string): RoomView {
    let view = this.rooms.get(room);
    if (!view) this.rooms.set(room, (view = { seq: 0, state: {}, events: [], snapshot: undefined, you: undefined }));
    return view;
  }

  async join(room: string): Promise<RoomView> {
    const view = this.view(room);
    const data = (await this.request('join', { room, ...(view.seq ? { resume: view.seq } : {}) })) as Joined;
    this.applyJoin(room, data);
    return view;
  }

  leave(room: string): Promise<unknown> {
    this.rooms.delete(room);
    return this.request('leave', { room });
  }

  /** Every room joined again; a room that refuses keeps its view as it was. */
  rejoin(): Promise<unknown> {
    return Promise.all([...this.rooms.keys()].map((room) => this.join(room).catch(() => undefined)));
  }

  batch(frame: { room: string; events?: RoomEvent[]; state?: Record<string, unknown> }): void {
    const view = this.view(frame.room);
    for (const [key, value] of Object.entries(frame.state ?? {})) this.setKey(frame.room, view, key, value);
    for (const event of Array.isArray(frame.events) ? frame.events : []) {
      if (event.seq === undefined) this.emit({ ...event, room: frame.room });
      else this.critical(frame.room, view, event);
    }
  }

  private applyJoin(room: string, data: Joined): void {
    const view = this.view(room);
    view.snapshot = data.snapshot;
    view.you = data.you?.id ?? view.you;
    for (const [key, value] of Object.entries((data.snapshot.state as Record<string, unknown>) ?? {})) this.setKey(room, view, key, value);
    for (const event of data.missed ?? []) this.critical(room, view, event);
    view.seq = Math.max(view.seq, data.seq);
    this.emit({ type: 'room.joined', data: data.snapshot, ts: Date.now(), room });
  }

  /** Critical events once each: a seq already seen (around a resume) is dropped. */
  private critical(room: string, view: RoomView, event: RoomEvent): void {
    if (event.seq! <= view.seq) return;
    view.seq = event.seq!;
    view.events.push({ ...event, room });
    if (view.events.length > EVENT_HISTORY) view.events.shift();
    this.emit({ ...event, room });
  }

  private setKey(room: string, view: RoomView, key: string, value: unknown): void {
    view.state[key] = value;
    this.emit({ type: 'state', data: { key, value }, ts: Date.now(), room });
  }
}
