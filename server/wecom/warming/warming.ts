import type { Logger } from '../../observability/logger.ts';
import type { Locks } from '../../platform/lock/locks.ts';
import { RoomcastError } from '../../protocol/errors.ts';
import type { MiniProgramCard, WeComClient } from '../api/client.ts';
import { asRefusal } from '../routing/errors.ts';
import { DISMISSED } from '../routing/rosters.ts';
import type { WeComStore } from '../store.ts';
import type { AnnounceInput, WelcomeInput } from './schema.ts';
import { WarmingStore, type Announcement, type PoolWelcome } from './store.ts';

export interface WarmingOptions {
  /** The brand's mini-program (associated with the corp): the cards open it. */
  appId?: string;
  /** `{room}` is filled in. */
  livePage: string;
  /** `{pool}` is filled in. */
  groupPage: string;
  /** A cover is uploaded again this long after the last upload (its media id lasts 3 days). */
  coverRefreshMs: number;
}

export interface WelcomeView extends Omit<PoolWelcome, 'applied'> {
  applied: string[];
  /** The pool's groups whose staff have not applied the template yet. */
  needsApplying: string[];
}

/** WeCom's send statuses of a group in a mass-send: 1 sent, 3 skipped (the group's quota). */
const SENT = 1;
/** How long staff's change to a pool's welcome waits for another (a cover going up to WeCom) to finish. */
const WAIT_MS = 15_000;
const SKIPPED = 3;

/**
 * Warming a pool's groups, as far as WeCom lets a server: a group welcome template with a
 * mini-program card (its cover uploaded with `media/upload` and again before the media id's three
 * days lapse), which staff apply to each group in the WeCom client (no API binds one to a chat, so
 * Roomcast shows which groups still need it); and "the live has started", one group mass-send task
 * per group owner (`add_msg_template`), once per live per pool, which each owner confirms in the
 * client; Roomcast polls the tasks and shows each group sent, pending or skipped by its quota.
 */
export class GroupWarming {
  private readonly store: WarmingStore;

  constructor(
    engine: ConstructorParameters<typeof WarmingStore>[0],
    private readonly client: WeComClient,
    private readonly routing: WeComStore,
    private readonly locks: Locks,
    private readonly roomTitle: (room: string) => Promise<string>,
    private readonly options: WarmingOptions,
    private readonly log: Logger,
  ) {
    this.store = new WarmingStore(engine);
  }

  /** Makes (or edits) the pool's welcome template, its cover uploaded and kept. */
  async setWelcome(pool: string, input: WelcomeInput): Promise<WelcomeView> {
    await this.pool(pool);
    const cover = imageOf(input.cover);
    const page = input.card.page === 'live' ? this.livePage(input.card.room!) : this.options.groupPage.replaceAll('{pool}', pool);
    const welcome = await this.editing(pool, WAIT_MS, async () => {
      const { mediaId, createdAt } = await this.wecom(() => this.client.uploadImage(cover.bytes, `cover.${cover.ext}`));
      const known = await this.store.welcome(pool);
      const template = { text: input.text, miniprogram: this.card(input.card.title, mediaId, page) };
      const templateId = known ? known.templateId : await this.wecom(() => this.client.addWelcomeTemplate(template));
      if (known) await this.wecom(() => this.client.editWelcomeTemplate(templateId, template));
      await this.store.saveCover(pool, cover.bytes);
      const made: PoolWelcome = { pool, templateId, text: input.text, card: { title: input.card.title, page }, mediaId, uploadedAt: createdAt, applied: known?.applied ?? [] };
      await this.store.saveWelcome(made);
      return made;
    });
    return this.view(welcome);
  }

  /**
   * A pool's welcome record is read and written under the pool's lock: staff marking groups
   * applied and the cover's refresh (which waits on WeCom's upload) would otherwise each write back
   * the record as they read it, and one would undo the other.
   */
  private editing<T>(pool: string, waitMs: number, change: () => Promise<T>): Promise<T> {
    return this.locks.withLock(`wecom:welcome:${pool}`, { leaseMs: 30_000, waitMs }, change);
  }

  async welcome(pool: string): Promise<WelcomeView> {
    const welcome = await this.store.welcome(pool);
    if (!welcome) throw new RoomcastError('not_found', `pool ${pool} has no welcome template`);
    return this.view(welcome);
  }

  /** For the pools page: the template, and the groups that still need it; null without one. */
  async summary(pool: string): Promise<{ templateId: string; title: string; needsApplying: string[] } | null> {
    const welcome = await this.store.welcome(pool);
    if (!welcome) return null;
    const { templateId, card, needsApplying } = await this.view(welcome);
    return { templateId, title: card.title, needsApplying };
  }

  /** Staff applied the template to these groups in the WeCom client. */
  async markApplied(pool: string, chatIds: readonly string[]): Promise<WelcomeView> {
    const groups = new Set((await this.routing.groups(pool)).map((g) => g.chatId));
    const stranger = chatIds.find((c) => !groups.has(c));
    const welcome = await this.editing(pool, WAIT_MS, async () => {
      const known = await this.store.welcome(pool);
      if (!known) throw new RoomcastError('not_found', `pool ${pool} has no welcome template`);
      if (stranger) throw new RoomcastError('bad_request', `chatIds: ${stranger} is not a group of pool ${pool}`);
      known.applied = [...new Set([...known.applied, ...chatIds])];
      await this.store.saveWelcome(known);
      return known;
    });
    return this.view(welcome);
  }

  /** Covers uploaded longer ago than `coverRefreshMs` go up again, and their templates point at the new id. */
  async refreshCovers(now = Date.now()): Promise<void> {
    for (const { pool, uploadedAt } of await this.store.welcomes()) {
      if (now - uploadedAt < this.options.coverRefreshMs) continue;
      try {
        // Another node (or staff editing the template) holds the pool: this pass leaves it.
        await this.editing(pool, 0, async () => {
          const [welcome, cover] = await Promise.all([this.store.welcome(pool), this.store.cover(pool)]);
          if (!welcome || !cover || now - welcome.uploadedAt < this.options.coverRefreshMs) return;
          const { mediaId, createdAt } = await this.client.uploadImage(cover, `cover.${imageOf(cover).ext}`);
          await this.client.editWelcomeTemplate(welcome.templateId, { text: welcome.text, miniprogram: this.card(welcome.card.title, mediaId, welcome.card.page) });
          await this.store.saveWelcome({ ...welcome, mediaId, uploadedAt: createdAt });
        });
      } catch (err) {
        this.log.warn({ err, pool }, 'wecom: welcome cover not uploaded again; next pass');
      }
    }
  }

  /**
   * "The live has started" to the pool's groups: one mass-send task per group owner, with the live's
   * card; once per live per pool (`already_done` after).
   */
  async announce(room: string, input: AnnounceInput): Promise<Announcement> {
    await this.pool(input.pool);
    return this.locks.withLock(`wecom:announce:${room}:${input.pool}`, { leaseMs: 30_000, waitMs: 0 }, async () => {
      // Saved after each owner's task: a run that failed half-way is taken up where it stopped, and
      // no group gets the live twice.
      const known = await this.store.announcement(room, input.pool);
      if (known?.complete) throw new RoomcastError('already_done', `room ${room} was announced to pool ${input.pool} already`);
      const stored = input.cover ? undefined : await this.store.cover(input.pool);
      if (!input.cover && !stored) throw new RoomcastError('bad_request', `cover: pool ${input.pool} has no welcome cover to reuse; send one`);
      const cover = imageOf(input.cover ?? stored!);
      const title = await this.roomTitle(room);
      const { mediaId } = await this.wecom(() => this.client.uploadImage(cover.bytes, `cover.${cover.ext}`));
      const card = this.card(cut(title, 64), mediaId, this.livePage(room));
      const byOwner = new Map<string, string[]>();
      for (const group of await this.routing.groups(input.pool)) {
        if (group.members === DISMISSED) continue;
        const { owner } = await this.wecom(() => this.client.getGroupChat(group.chatId));
        byOwner.set(owner, [...(byOwner.get(owner) ?? []), group.chatId]);
      }
      const announcement: Announcement = known ?? { room, pool: input.pool, at: Date.now(), tasks: [], groups: {}, complete: false };
      for (const [owner, chats] of byOwner) {
        if (chats.every((chat) => chat in announcement.groups)) continue;
        const { msgId, failList } = await this.wecom(() => this.client.addGroupMsg({ sender: owner, chatIds: chats, text: input.text ?? `${title} 开播啦，点卡片进直播间`, miniprogram: card }));
        for (const chat of chats) announcement.groups[chat] = failList.includes(chat) ? 'failed' : 'pending';
        if (msgId) announcement.tasks.push({ owner, msgId, chats: chats.filter((c) => !failList.includes(c)) });
        await this.store.saveAnnouncement(announcement);
      }
      announcement.complete = true;
      await this.store.saveAnnouncement(announcement);
      return announcement;
    });
  }

  /** The room's announcements, each group's status read from WeCom now (owners confirm in their client). */
  async announcements(room: string): Promise<Announcement[]> {
    return Promise.all((await this.store.announcements(room)).map((a) => this.poll(a)));
  }

  /**
   * Reads the groups' statuses from WeCom. Only a complete announcement is written back: one still
   * being made belongs to `announce`, whose next save would otherwise lose to this one (or this one
   * to it, dropping an owner's task and so sending those groups the live again on a retry).
   */
  private async poll(announcement: Announcement): Promise<Announcement> {
    if (!announcement.complete || !Object.values(announcement.groups).includes('pending')) return announcement;
    const before = JSON.stringify(announcement.groups);
    for (const task of announcement.tasks) {
      const confirmed = (await this.wecom(() => this.client.getGroupMsgTask(task.msgId))).some((t) => t.userId === task.owner && t.status === 2);
      if (!confirmed) continue;
      for (const result of await this.wecom(() => this.client.getGroupMsgSendResult(task.msgId, task.owner))) {
        if (!(result.chatId in announcement.groups)) continue;
        announcement.groups[result.chatId] = result.status === SENT ? 'sent' : result.status === SKIPPED ? 'skipped' : result.status === 0 ? 'pending' : 'failed';
      }
    }
    if (JSON.stringify(announcement.groups) !== before) await this.store.saveAnnouncement(announcement);
    return announcement;
  }

  private async view(welcome: PoolWelcome): Promise<WelcomeView> {
    const groups = (await this.routing.groups(welcome.pool)).filter((g) => g.members !== DISMISSED).map((g) => g.chatId);
    return { ...welcome, needsApplying: groups.filter((c) => !welcome.applied.includes(c)) };
  }

  private card(title: string, picMediaId: string, page: string): MiniProgramCard {
    if (!this.options.appId) throw new RoomcastError('bad_request', 'the mini-program is not configured: set wecom.miniprogram.appId (WECOM_MINIPROGRAM_APPID)');
    return { title, picMediaId, appId: this.options.appId, page };
  }

  private livePage(room: string): string {
    return this.options.livePage.replaceAll('{room}', encodeURIComponent(room));
  }

  private async pool(id: string): Promise<void> {
    if (!(await this.routing.pools()).some((p) => p.id === id)) throw new RoomcastError('not_found', `no pool ${id}`);
  }

  /** A WeCom call, its failure as a refusal with a stable code. */
  private async wecom<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      throw asRefusal(err);
    }
  }
}

/** A JPG or PNG (base64 as sent, or bytes as kept), checked by its first bytes. */
function imageOf(image: string | Buffer): { bytes: Buffer; ext: 'png' | 'jpg' } {
  const bytes = typeof image === 'string' ? Buffer.from(image, 'base64') : image;
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return { bytes, ext: 'png' };
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return { bytes, ext: 'jpg' };
  throw new RoomcastError('bad_request', 'cover: a JPG or PNG image, base64');
}

/** At most `max` bytes of UTF-8, whole characters. */
function cut(text: string, max: number): string {
  let out = '';
  for (const ch of text) {
    if (Buffer.byteLength(out + ch) > max) break;
    out += ch;
  }
  return out;
}
