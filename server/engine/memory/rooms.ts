import type { RoomInfo } from '../../protocol/frames.ts';
import type { RoomStore } from '../engine.ts';

export class MemoryRoomStore implements RoomStore {
  private readonly rooms = new Map<string, RoomInfo>();

  async create(room: RoomInfo): Promise<boolean> {
    if (this.rooms.has(room.id)) return false;
    this.rooms.set(room.id, structuredClone(room));
    return true;
  }

  async get(id: string): Promise<RoomInfo | null> {
    const room = this.rooms.get(id);
    return room ? structuredClone(room) : null;
  }

  async update(id: string, patch: Partial<Omit<RoomInfo, 'id'>>): Promise<RoomInfo | null> {
    const room = this.rooms.get(id);
    if (!room) return null;
    Object.assign(room, structuredClone(patch));
    return structuredClone(room);
  }
}
