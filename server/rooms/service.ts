import { randomUUID } from 'node:crypto';
import type { Engine } from '../platform/engine.ts';
import { RoomStore } from './store.ts';
import { RoomcastError } from '../protocol/errors.ts';
import type { RoomTimeEvent } from '../protocol/events.ts';
import type { Product, RoomInfo, RoomSnapshot } from '../protocol/frames.ts';
import { roomTopic } from '../core/topics.ts';

/**
 * Room lifecycle: create, start, end, pin. Both the HTTP API and host ops call these; each change
 * is a critical event published through the engine, so every node's viewers hear it with a seq.
 */
export class RoomService {
  private readonly store: RoomStore;
  private readonly endedHandlers: Array<(room: string) => Promise<void>> = [];

  constructor(private readonly engine: Engine) {
    this.store = new RoomStore(engine);
  }

  async create(input: { id?: string; title: string }): Promise<RoomInfo> {
    const room: RoomInfo = { id: input.id ?? randomUUID(), title: input.title, status: 'created', createdAt: Date.now(), pinned: null };
    if (!(await this.store.create(room))) throw new RoomcastError('already_done', `room ${room.id} already exists`);
    return room;
  }

  /** The room, or null when there is none. */
  find(id: string): Promise<RoomInfo | null> {
    return this.store.get(id);
  }

  async get(id: string): Promise<RoomInfo> {
    const room = await this.store.get(id);
    if (!room) throw new RoomcastError('not_found', `no room ${id}`);
    return room;
  }

  async start(id: string): Promise<RoomInfo> {
    const room = await this.transition(id, 'live', { startedAt: Date.now() });
    await this.engine.broker.publishEvent(id, [roomTopic(id)], { type: 'room.started', data: { room: id, at: room.startedAt! } satisfies RoomTimeEvent });
    return room;
  }

  /**
   * Ends the live. Its flash sales and coupon pop-ups end with it: their decisions read the room's
   * status in their own scripts, so no buy or claim succeeds once this step is done; then each
   * tool that registered with `onEnded` closes and announces its campaigns.
   */
  async end(id: string): Promise<RoomInfo> {
    const room = await this.transition(id, 'ended', { endedAt: Date.now() });
    await this.engine.broker.publishEvent(id, [roomTopic(id)], { type: 'room.ended', data: { room: id, at: room.endedAt! } satisfies RoomTimeEvent });
    await Promise.all(this.endedHandlers.map((handler) => handler(id)));
    return room;
  }

  /** `handler` runs after a room has ended (its campaigns' end: see `end`). */
  onEnded(handler: (room: string) => Promise<void>): void {
    this.endedHandlers.push(handler);
  }

  async pin(id: string, product: Product): Promise<RoomInfo> {
    const room = await this.store.update(id, { pinned: product });
    if (!room) throw new RoomcastError('not_found', `no room ${id}`);
    await this.engine.broker.publishEvent(id, [roomTopic(id)], { type: 'product.pinned', data: product });
    return room;
  }

  /** What a viewer needs to draw the room from scratch; `online` is the caller's best count. */
  async snapshot(id: string, online: number): Promise<RoomSnapshot> {
    const [room, state] = await Promise.all([this.get(id), this.engine.broker.roomState(id)]);
    return { room, pinned: room.pinned ?? null, online, state: { ...state, online }, campaigns: [] };
  }

  private async transition(id: string, status: 'live' | 'ended', stamp: Partial<RoomInfo>): Promise<RoomInfo> {
    const current = await this.get(id);
    if (current.status === status) throw new RoomcastError('already_done', `room ${id} is already ${status}`);
    if (current.status === 'ended') throw new RoomcastError('ended', `room ${id} has ended`);
    return (await this.store.update(id, { status, ...stamp }))!;
  }
}
