import type { EventPayloads } from '../../../server/protocol/events.ts';
import type { RoomEvent as ProtocolEvent } from '../../../server/protocol/frames.ts';

/** An event as listeners get it: the protocol's, with the room it came from. */
export interface RoomEvent<T = unknown> extends ProtocolEvent<T> {
  /** The room it came from; absent for personal events. */
  room?: string;
}

/**
 * What each event type carries: the server's events (PROTOCOL.md, "Events and state keys") and the
 * client's own; other types are `unknown`.
 */
export interface EventMap extends EventPayloads {
  /** A `join` was answered (again after each reconnect): the room's snapshot. */
  'room.joined': Record<string, unknown>;
  /** A state key changed: `online`, `likes`, `flash:{sale}:left`, `group:{id}`, ... */
  state: { key: string; value: unknown };
  /** Something the client dropped (a frame that did not decode); never thrown. */
  error: { code: string; message: string };
}

export type Listener = (event: RoomEvent) => void;

/** Listeners by event type; `*` hears everything. */
export class Listeners {
  private readonly byType = new Map<string, Set<Listener>>();

  on(type: string, listener: Listener): () => void {
    if (!this.byType.has(type)) this.byType.set(type, new Set());
    this.byType.get(type)!.add(listener);
    return () => this.byType.get(type)?.delete(listener);
  }

  emit(event: RoomEvent): void {
    for (const type of [event.type, '*']) for (const listener of this.byType.get(type) ?? []) listener(event);
  }
}
