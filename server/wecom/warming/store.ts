import type { Engine } from '../../platform/engine.ts';
import type { Store } from '../../platform/store/store.ts';

/** A pool's group welcome template, as made in WeCom. */
export interface PoolWelcome {
  pool: string;
  templateId: string;
  text: string;
  card: { title: string; page: string };
  /** The cover's media id and when it was uploaded: it lapses after 3 days, so it is uploaded again before. */
  mediaId: string;
  uploadedAt: number;
  /** Groups whose staff applied the template in the WeCom client (no API can): the rest still need it. */
  applied: string[];
}

/** One live announced to one pool's groups: a mass-send task per group owner, and each group's result. */
export interface Announcement {
  room: string;
  pool: string;
  at: number;
  tasks: Array<{ owner: string; msgId: string; chats: string[] }>;
  /** Per group: `pending` until its owner confirms, `sent`, `skipped` (its mass-message quota was used), `failed` (WeCom refused the group). */
  groups: Record<string, 'pending' | 'sent' | 'skipped' | 'failed'>;
  /** Every owner's task made: announcing again is `already_done` (until then, a retry makes the missing ones). */
  complete: boolean;
}

function warmingKeys(k: Engine['keys']) {
  return {
    welcome: () => k.family('wecom', 'wecom:welcome'),
    /** pool -> the cover image (base64), kept to upload it again every few days. */
    covers: () => k.family('wecom', 'wecom:covers'),
    announced: () => k.family('wecom', 'wecom:announced'),
  };
}

/** What warming keeps: each pool's welcome template and cover, each live's announcement. */
export class WarmingStore {
  private readonly store: Store;
  private readonly keys: ReturnType<typeof warmingKeys>;

  constructor(engine: Pick<Engine, 'store' | 'keys'>) {
    this.store = engine.store;
    this.keys = warmingKeys(engine.keys);
  }

  async welcome(pool: string): Promise<PoolWelcome | null> {
    const json = await this.store.hget(this.keys.welcome(), pool);
    return json ? (JSON.parse(json) as PoolWelcome) : null;
  }

  async welcomes(): Promise<PoolWelcome[]> {
    return Object.values(await this.store.hgetall(this.keys.welcome())).map((json) => JSON.parse(json) as PoolWelcome);
  }

  async saveWelcome(welcome: PoolWelcome): Promise<void> {
    await this.store.call('HSET', this.keys.welcome(), welcome.pool, JSON.stringify(welcome));
  }

  async cover(pool: string): Promise<Buffer | null> {
    const base64 = await this.store.hget(this.keys.covers(), pool);
    return base64 ? Buffer.from(base64, 'base64') : null;
  }

  async saveCover(pool: string, image: Buffer): Promise<void> {
    await this.store.call('HSET', this.keys.covers(), pool, image.toString('base64'));
  }

  async announcement(room: string, pool: string): Promise<Announcement | null> {
    const json = await this.store.hget(this.keys.announced(), `${room}|${pool}`);
    return json ? (JSON.parse(json) as Announcement) : null;
  }

  async announcements(room: string): Promise<Announcement[]> {
    return Object.entries(await this.store.hgetall(this.keys.announced())).filter(([key]) => key.startsWith(`${room}|`)).map(([, json]) => JSON.parse(json) as Announcement);
  }

  async saveAnnouncement(a: Announcement): Promise<void> {
    await this.store.call('HSET', this.keys.announced(), `${a.room}|${a.pool}`, JSON.stringify(a));
  }
}
