import type { Redis } from 'ioredis';
import type { RoomInfo } from '../../protocol/frames.ts';
import type { RoomStore } from '../engine.ts';
import type { RedisKeys } from './keys.ts';
import { script, type Script } from './scripts.ts';

/** A room is a hash of JSON-encoded fields, so an update touches only the fields it names. */
export class RedisRoomStore implements RoomStore {
  private readonly createHash: Script;
  private readonly updateHash: Script;

  constructor(private readonly redis: Redis, private readonly keys: RedisKeys, scripts: Map<string, Script>) {
    this.createHash = script(scripts, 'create-hash');
    this.updateHash = script(scripts, 'update-hash');
  }

  async create(room: RoomInfo): Promise<boolean> {
    return Number(await this.createHash([this.keys.roomMeta(room.id)], toFields(room))) === 1;
  }

  async get(id: string): Promise<RoomInfo | null> {
    const hash = await this.redis.hgetall(this.keys.roomMeta(id));
    return Object.keys(hash).length ? fromHash(hash) : null;
  }

  async update(id: string, patch: Partial<Omit<RoomInfo, 'id'>>): Promise<RoomInfo | null> {
    const reply = (await this.updateHash([this.keys.roomMeta(id)], toFields(patch))) as Buffer[];
    if (!reply.length) return null;
    const hash: Record<string, string> = {};
    for (let i = 0; i < reply.length; i += 2) hash[String(reply[i])] = String(reply[i + 1]);
    return fromHash(hash);
  }
}

function toFields(record: object): string[] {
  return Object.entries(record)
    .filter(([, v]) => v !== undefined)
    .flatMap(([k, v]) => [k, JSON.stringify(v)]);
}

function fromHash(hash: Record<string, string>): RoomInfo {
  return Object.fromEntries(Object.entries(hash).map(([k, v]) => [k, JSON.parse(v)])) as RoomInfo;
}
