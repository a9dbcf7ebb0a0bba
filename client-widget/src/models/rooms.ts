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

/** What a mini-program component is to `attachModel`: its data and the fields the helper keeps on it. */
interface ModelHost<M extends { dispose(): void }> {
  data: { room: string; scope: string };
  lang?: string;
  model?: M;
  stopWaiting?: () => void;
  paint(): void;
}

/**
 * A mini-program component's `attached`: once its room is joined, make its model (which calls
 * `paint` on every change) and paint. `detachModel` in `detached` undoes it.
 */
export function attachModel<M extends { dispose(): void }>(host: ModelHost<M>, make: (joined: JoinedRoom, paint: () => void) => M): void {
  host.stopWaiting = rooms.when(host.data.room, (joined) => {
    host.lang = joined.lang;
    host.model = make(joined, () => host.paint());
    host.paint();
  }, host.data.scope);
}

export function detachModel(host: ModelHost<{ dispose(): void }>): void {
  host.stopWaiting?.();
  host.model?.dispose();
}
