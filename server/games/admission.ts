import type { Engine } from '../platform/engine.ts';
import { RoomcastError } from '../protocol/errors.ts';
import type { Identity } from '../protocol/frames.ts';
import type { RoomService } from '../rooms/service.ts';
import { WeComStore } from '../wecom/store.ts';
import { belongsTo, groupRoom } from './group-room.ts';
import { ignoreSettled } from './settled.ts';

/** Who enters a group's room and who runs its games; the room itself, made on first use. */
export class GroupAdmission {
  private readonly wecom: WeComStore;

  constructor(engine: Engine, private readonly rooms: RoomService) {
    this.wecom = new WeComStore(engine);
  }

  /**
   * Who may join a group's room: the token names the group (`chats`), or WeCom's member list of the
   * group, as routing last read it, has the user's unionid (their `sub`).
   */
  async admits(identity: Identity, chat: string): Promise<boolean> {
    return belongsTo(identity, chat) || (await this.wecom.inRoster(chat, identity.sub));
  }

  /** Managers run games only in groups named in their token. */
  isManager(identity: Identity, chat: string): boolean {
    return identity.role === 'manager' && belongsTo(identity, chat);
  }

  requireManager(identity: Identity, chat: string): void {
    if (!this.isManager(identity, chat)) throw new RoomcastError('forbidden', `not a manager of group ${chat}`);
  }

  /** The group's room, made and started on first use (by a game or a member's join); a group room someone ended stays ended. */
  async groupRoom(chat: string): Promise<string> {
    const room = groupRoom(chat);
    if (await this.rooms.find(room)) return room;
    await this.rooms.create({ id: room, title: `group ${chat}` }).catch(ignoreSettled);
    await this.rooms.start(room).catch(ignoreSettled);
    return room;
  }
}
