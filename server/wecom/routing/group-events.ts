import type { Logger } from '../../observability/logger.ts';
import type { GroupChat, WeComClient } from '../api/client.ts';
import type { WeComStore } from '../store.ts';
import type { JoinWays } from './join-ways.ts';
import { DISMISSED, groupOf, rememberRoster } from './rosters.ts';

/** A `change_external_chat` callback, decrypted and parsed. */
export interface GroupEvent {
  chatId: string;
  changeType: 'create' | 'update' | 'dismiss' | string;
  updateDetail?: string;
  memChangeCnt: number;
  members: string[];
}

/**
 * What WeCom's callbacks tell of groups: members joining and leaving move the counts (and the
 * rosters that admit members to group rooms), a join through one of our join ways counts for its
 * room, a group WeCom opened by itself joins its pool, a dismissed one counts as full; then the
 * pool's join ways are rotated.
 */
export class GroupEvents {
  constructor(
    private readonly store: WeComStore,
    private readonly client: WeComClient,
    private readonly joinWays: JoinWays,
    private readonly log: Logger,
    private readonly onJoined: (pool: string) => void,
  ) {}

  /** A callback, already verified, decrypted and de-duplicated. */
  async apply(event: GroupEvent): Promise<void> {
    if (event.changeType === 'create') return this.adopt(event.chatId);
    if (event.changeType === 'dismiss') {
      const pool = await this.store.poolOf(event.chatId);
      await this.store.setMembers(event.chatId, DISMISSED, []);
      if (pool) await this.joinWays.rotate(pool);
      return;
    }
    if (event.changeType !== 'update' || (event.updateDetail !== 'add_member' && event.updateDetail !== 'del_member')) return;
    const delta = (event.updateDetail === 'add_member' ? 1 : -1) * event.memChangeCnt;
    const moved = await this.store.addMembers(event.chatId, delta);
    if (!moved) return;
    if (event.updateDetail === 'add_member') await this.attribute(event.chatId, moved.pool, new Set(event.members));
    else await this.reread(event.chatId, moved.members);
    await this.joinWays.rotate(moved.pool);
  }

  /** New members who came in by one of our join ways count for that way's room. */
  private async attribute(chatId: string, pool: string, joined: Set<string>): Promise<void> {
    let chat: GroupChat;
    try {
      chat = await this.client.getGroupChat(chatId);
    } catch (err) {
      this.log.warn({ err, chatId }, 'wecom: join not attributed');
      return;
    }
    await rememberRoster(this.store, chat);
    for (const member of chat.members) {
      if (!member.state || (joined.size && !joined.has(member.userId))) continue;
      const origin = await this.store.byState(member.state);
      if (!origin || origin.pool !== pool) continue;
      await this.store.recordJoin(origin.room, pool, member.userId);
      this.onJoined(pool);
    }
  }

  /**
   * After members left: their unionids come off the roster, so they no longer enter the group's
   * room. The count stays the callbacks' (`members`): a repeated leave must not be corrected away
   * here, de-duplication is what keeps it from counting.
   */
  private async reread(chatId: string, members: number): Promise<void> {
    try {
      await rememberRoster(this.store, await this.client.getGroupChat(chatId), members);
    } catch (err) {
      this.log.warn({ err, chatId }, 'wecom: roster not re-read after a leave');
    }
  }

  /** A group WeCom opened by itself (auto_create_room) joins the pool whose base name it carries. */
  private async adopt(chatId: string): Promise<void> {
    if (await this.store.poolOf(chatId)) return;
    const chat = await this.client.getGroupChat(chatId);
    const pool = (await this.store.pools())
      .filter((p) => chat.name.startsWith(p.roomBaseName))
      .sort((a, b) => b.roomBaseName.length - a.roomBaseName.length)[0];
    if (!pool) return;
    await this.store.addGroup(pool.id, groupOf(chat));
    await rememberRoster(this.store, chat);
    await this.joinWays.rotate(pool.id);
  }
}
