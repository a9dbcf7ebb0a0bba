import type { RoomcastClient } from '../sdk/client.ts';

/** A room an `rc-room` component has joined, as the components inside its page use it. */
export interface JoinedRoom {
  client: RoomcastClient;
  room: string;
  lang: string;
  /** The viewer's opaque id in the room (the join answer's `you.id`). */
  you: string | undefined;
}

const joined = new Map<string, JoinedRoom>();
const waiting = new Map<string, Set<(room: JoinedRoom) => void>>();
const keyOf = (room: string, scope = '') => `${scope}\n${room}`;

/**
 * How mini-program components find their room's client: custom components cannot reach a parent's
 * instance, so `rc-room` provides what it joined here and the components inside ask by room name
 * (and `scope`, when one JS realm shows the same room twice: tests, or two pages of one room).
 */
export const rooms = {
  provide(room: JoinedRoom, scope = ''): void {
    const key = keyOf(room.room, scope);
    joined.set(key, room);
    for (const cb of waiting.get(key) ?? []) cb(room);
    waiting.delete(key);
  },
  withdraw(room: string, scope = ''): void {
    joined.delete(keyOf(room, scope));
  },
  /** `cb` once the room is joined (now, if it is); answers a function that stops waiting. */
  when(room: string, cb: (room: JoinedRoom) => void, scope = ''): () => void {
    const key = keyOf(room, scope);
    const ready = joined.get(key);
    if (ready) {
      cb(ready);
      return () => {};
    }
    const set = waiting.get(key) ?? new Set();
    set.add(cb);
    waiting.set(key, set);
    return () => set.delete(cb);
  },
};

interface Shared {
  client: RoomcastClient;
  connected: Promise<void>;
  users: number;
}
const clients = new Map<string, Shared>();

/**
 * One socket for all of a page's rooms (a mini-program holds only a few sockets at once): every
 * `rc-room` of the same server, token and scope shares one client, connected once, and closed when
 * the last of them lets go (`release`).
 */
export function shareClient(url: string, token: string, scope: string, make: () => RoomcastClient): { client: RoomcastClient; connected: Promise<void>; release(): void } {
  const key = `${scope}\n${url}\n${token}`;
  let shared = clients.get(key);
  if (!shared) {
    const client = make();
    shared = { client, connected: client.connect(), users: 0 };
    clients.set(key, shared);
  }
  shared.users++;
  const mine = shared;
  let released = false;
  return {
    client: mine.client,
    connected: mine.connected,
    release() {
      if (released) return;
      released = true;
      if (--mine.users > 0) return;
      clients.delete(key);
      mine.client.close();
    },
  };
}

/** A mini-program component built by `modelComponent`, as its own functions see it (`this`). */
export interface ModelComponent<M> {
  data: Record<string, unknown> & { room: string; scope: string };
  /** The room's language, once joined. */
  lang?: string;
  model?: M;
  setData(data: Record<string, unknown>): void;
  triggerEvent(name: string, detail?: unknown): void;
  paint(): void;
}

export interface ModelComponentSpec<M extends { dispose(): void }> {
  /** Properties besides `room` and `scope` (which every one has). */
  properties?: Record<string, unknown>;
  data: Record<string, unknown>;
  /** The component's model, once its room is joined; it calls `paint` on every change. */
  model(joined: JoinedRoom, component: ModelComponent<M>, paint: () => void): M;
  /** Draws the model into the component's data. */
  paint(this: ModelComponent<M>): void;
  methods?: Record<string, (this: ModelComponent<M>, ...args: never[]) => unknown>;
  /** Paints again each second while this holds (a countdown). */
  ticking?: (model: M) => boolean;
}

/**
 * A mini-program custom component's definition (`Component(modelComponent({...}))`) that renders a
 * model: properties `room` and `scope`, and, once `rc-room` has joined the room (custom components
 * cannot reach a parent's instance: they ask `rooms` by name), the model made and painted; undone
 * when the component leaves the page.
 */
export function modelComponent<M extends { dispose(): void }>(spec: ModelComponentSpec<M>): Record<string, unknown> {
  type Host = ModelComponent<M> & { stopWaiting?: () => void; timer?: ReturnType<typeof setInterval> };
  return {
    options: { styleIsolation: 'apply-shared' },
    properties: { room: String, scope: { type: String, value: '' }, ...spec.properties },
    data: spec.data,
    lifetimes: {
      attached(this: Host) {
        this.stopWaiting = rooms.when(this.data.room, (joined) => {
          this.lang = joined.lang;
          this.model = spec.model(joined, this, () => this.paint());
          this.paint();
        }, this.data.scope);
        const ticking = spec.ticking;
        if (ticking) this.timer = setInterval(() => this.model && ticking(this.model) && this.paint(), 1000);
      },
      detached(this: Host) {
        clearInterval(this.timer);
        this.stopWaiting?.();
        this.model?.dispose();
      },
    },
    methods: { paint: spec.paint, ...spec.methods },
  };
}
