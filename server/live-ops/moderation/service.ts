import type { ViewerIds } from '../../auth/viewer-ids.ts';
import type { Engine } from '../../platform/engine.ts';
import { refusal } from '../../platform/records/refusals.ts';
import { luaScript } from '../../platform/store/lua-script.ts';
import type { Store } from '../../platform/store/store.ts';
import { roomTopic } from '../../core/topics.ts';
import type { CommentEvent } from '../../protocol/events.ts';
import type { Identity } from '../../protocol/frames.ts';
import { participationKeys } from '../../participation/keys.ts';
import { COMMENTS_KEPT, liveOpsKeys, type LiveOpsKeys } from '../keys.ts';
import type { ContentCheck } from './content-check.ts';
import { KeywordMatcher } from './text.ts';

const commentScript = luaScript(new URL('./comment-5.lua', import.meta.url));
const enterScript = luaScript(new URL('./enter-4.lua', import.meta.url));
const muteScript = luaScript(new URL('./mute-2.lua', import.meta.url));
const banScript = luaScript(new URL('./ban-2.lua', import.meta.url));
const removeScript = luaScript(new URL('./remove-comment-1.lua', import.meta.url));
const setKeywordsScript = luaScript(new URL('./set-keywords-1.lua', import.meta.url));

const STALE = -14;
/** Rooms whose compiled keyword lists a node keeps. */
const CACHED_LISTS = 1000;

/** A comment as the room's latest are kept and listed to its host. */
export interface KeptComment extends CommentEvent {
  id: string;
  at: number;
  removed?: boolean;
}

interface CompiledList {
  version: string;
  words: string[];
  matcher: KeywordMatcher;
}

/**
 * A room's moderation: keywords (a comment with one reaches its author only, who sees it as sent),
 * the content check, mutes (a muted viewer's comments answer `muted`; they still watch, like and
 * buy), bans (their sockets leave the room on every node and `join` answers `banned`), and removing
 * a comment for everyone. Viewers are named by their opaque id in the room, as comments show them.
 */
export class Moderation {
  private readonly store: Store;
  private readonly keys: LiveOpsKeys;
  private readonly lists = new Map<string, CompiledList>();
  private readonly outbox: (room: string) => string;

  constructor(
    private readonly engine: Pick<Engine, 'store' | 'keys' | 'broker'>,
    private readonly viewerId: ViewerIds,
    private readonly brandKeywords: readonly string[],
    private readonly contentCheck: ContentCheck,
  ) {
    this.store = engine.store;
    this.keys = liveOpsKeys(engine.keys);
    this.outbox = participationKeys(engine.keys).outbox;
  }

  /** A viewer joining: refused when banned; known by their opaque id from now on, and counted once. */
  async enter(room: string, sub: string): Promise<void> {
    const keys = [this.keys.bans(room), this.keys.people(room), this.keys.figures(room), this.outbox(room)];
    const result = Number(await this.store.run(enterScript, keys, [this.viewerId(room, sub), sub, Date.now(), room]));
    if (result < 0) throw refusal(result, `room ${room}`);
  }

  /**
   * A viewer's comment: matched against the room's and the brand's keywords and the content check,
   * then numbered, kept and counted in one step (which refuses a muted author). A clean one goes to
   * the room; a hidden one to its author only, as if sent.
   */
  async comment(room: string, author: Identity, text: string): Promise<{ id: string; hidden: boolean }> {
    const user: CommentEvent['user'] = { id: this.viewerId(room, author.sub), name: author.name, ...(author.avatar ? { avatar: author.avatar } : {}) };
    const flagged = await this.contentCheck.flagged(text);
    const at = Date.now();
    for (let attempt = 0; ; attempt++) {
      const list = await this.list(room);
      const hidden = flagged || list.matcher.matches(text);
      const keys = [this.keys.moderation(room), this.keys.mutes(room), this.keys.comments(room), this.keys.commentIds(room), this.keys.figures(room)];
      const reply = (await this.store.run(commentScript, keys, [user.id, at, list.version, hidden ? 1 : 0, JSON.stringify({ user, text, at }), COMMENTS_KEPT])) as Array<number | Buffer>;
      const code = Number(reply[0]);
      if (code === STALE && attempt === 0) {
        this.lists.delete(room);
        continue;
      }
      if (code < 0) throw refusal(code, `room ${room}`);
      const id = String(reply[1]);
      const event = { type: 'comment', data: { id, user, text } satisfies CommentEvent };
      if (hidden) await this.engine.broker.publishToUser(author.sub, { type: 'comment', data: { ...event.data, room } });
      else await this.engine.broker.publishChatter(room, event);
      return { id, hidden };
    }
  }

  async mute(room: string, user: string, seconds: number): Promise<{ user: string; until: number }> {
    const until = Date.now() + seconds * 1000;
    await this.run(muteScript, [this.keys.people(room), this.keys.mutes(room)], [user, until], `viewer ${user} in room ${room}`);
    return { user, until };
  }

  async unmute(room: string, user: string): Promise<void> {
    await this.run(muteScript, [this.keys.people(room), this.keys.mutes(room)], [user, 0], `viewer ${user} in room ${room}`);
  }

  /** Bans a viewer: their sockets leave the room on every node, told by a personal `room.banned`. */
  async ban(room: string, user: string): Promise<void> {
    const reply = (await this.store.run(banScript, [this.keys.people(room), this.keys.bans(room)], [user, 1])) as Array<number | Buffer>;
    if (Number(reply[0]) < 0) throw refusal(Number(reply[0]), `viewer ${user} in room ${room}`);
    await this.engine.broker.publishToUser(String(reply[1]), { type: 'room.banned', data: { room } }, { evict: room });
  }

  async unban(room: string, user: string): Promise<void> {
    const reply = (await this.store.run(banScript, [this.keys.people(room), this.keys.bans(room)], [user, 0])) as Array<number | Buffer>;
    if (Number(reply[0]) < 0) throw refusal(Number(reply[0]), `viewer ${user} in room ${room}`);
  }

  /** Who is muted (until when; a lapsed mute is gone) and banned in the room now, by opaque id: what a host may lift. */
  async restrictions(room: string, now = Date.now()): Promise<{ muted: Array<{ user: string; until: number }>; banned: string[] }> {
    const [mutes, bans] = await Promise.all([this.store.hgetall(this.keys.mutes(room)), this.store.hgetall(this.keys.bans(room))]);
    const muted = Object.entries(mutes).map(([user, until]) => ({ user, until: Number(until) })).filter((m) => m.until > now).sort((a, b) => a.until - b.until);
    return { muted, banned: Object.keys(bans).sort() };
  }

  /** Removes a kept comment for everyone: a critical `comment.removed` (sent again on a repeat, which changes nothing). */
  async removeComment(room: string, id: string): Promise<void> {
    await this.run(removeScript, [this.keys.comments(room)], [id], `comment ${id} in room ${room}`);
    await this.engine.broker.publishEvent(room, [roomTopic(room)], { type: 'comment.removed', data: { id } });
  }

  /** The room's latest kept comments, newest first, as its host acts on them. */
  async recentComments(room: string, limit = 50): Promise<KeptComment[]> {
    const ids = (await this.store.call('LRANGE', this.keys.commentIds(room), -limit, -1) as string[]).reverse();
    if (!ids.length) return [];
    const values = (await this.store.call('HMGET', this.keys.comments(room), ...ids.flatMap((id) => [id, `${id}:removed`]))) as Array<string | null>;
    return ids.flatMap((id, i) => {
      const json = values[2 * i];
      if (!json) return [];
      return [{ id, ...(JSON.parse(json) as Omit<KeptComment, 'id'>), ...(values[2 * i + 1] ? { removed: true } : {}) }];
    });
  }

  async setKeywords(room: string, words: string[]): Promise<string[]> {
    const unique = [...new Set(words)];
    await this.store.run(setKeywordsScript, [this.keys.moderation(room)], [JSON.stringify(unique)]);
    this.lists.delete(room);
    return unique;
  }

  /** The room's own list (the brand's, from config, applies to every room too). */
  async keywords(room: string): Promise<string[]> {
    return JSON.parse((await this.store.hget(this.keys.moderation(room), 'keywords')) ?? '[]') as string[];
  }

  /** The room's list with the brand's, compiled once per version per node. */
  private async list(room: string): Promise<CompiledList> {
    const cached = this.lists.get(room);
    if (cached) return cached;
    const [json, version] = (await this.store.call('HMGET', this.keys.moderation(room), 'keywords', 'kwv')) as Array<string | null>;
    const words = [...this.brandKeywords, ...(JSON.parse(json ?? '[]') as string[])];
    const list = { version: version ?? '0', words, matcher: new KeywordMatcher(words) };
    if (this.lists.size >= CACHED_LISTS) this.lists.delete(this.lists.keys().next().value!);
    this.lists.set(room, list);
    return list;
  }

  private async run(script: typeof muteScript, keys: string[], args: Array<string | number>, what: string): Promise<void> {
    const result = Number(await this.store.run(script, keys, args));
    if (result < 0) throw refusal(result, what);
  }
}
