interface Campaign {
  id: string;
  room: string;
  status: string;
}

/** The memory twin of redis/campaigns.ts: one map per campaign kind, copies in and out. */
export class MemoryCampaigns<T extends Campaign> {
  readonly byKey = new Map<string, T>();

  create(campaign: T): boolean {
    const key = campaignKey(campaign.room, campaign.id);
    if (this.byKey.has(key)) return false;
    this.byKey.set(key, structuredClone(campaign));
    return true;
  }

  /** The live object, for the store's own atomic steps; never hand it out. */
  live(room: string, id: string): T | undefined {
    return this.byKey.get(campaignKey(room, id));
  }

  get(room: string, id: string): T | null {
    const campaign = this.live(room, id);
    return campaign ? structuredClone(campaign) : null;
  }

  list(room: string): T[] {
    return [...this.byKey.values()].filter((c) => c.room === room).sort((a, b) => a.id.localeCompare(b.id)).map((c) => structuredClone(c));
  }

  transition(room: string, id: string, from: readonly string[], to: string, patch: Partial<T>): T | null {
    const campaign = this.live(room, id);
    if (!campaign || !from.includes(campaign.status)) return null;
    Object.assign(campaign, structuredClone(patch), { status: to });
    return structuredClone(campaign);
  }
}

export const campaignKey = (room: string, id: string) => `${room}|${id}`;

/** The create/get/list/transition every memory campaign store answers the same way. */
export abstract class MemoryCampaignStore<T extends Campaign> {
  constructor(protected readonly campaigns: MemoryCampaigns<T>) {}

  async create(campaign: T): Promise<boolean> {
    return this.campaigns.create(campaign);
  }

  async get(room: string, id: string): Promise<T | null> {
    return this.campaigns.get(room, id);
  }

  async list(room: string): Promise<T[]> {
    return this.campaigns.list(room);
  }

  async transition(room: string, id: string, from: readonly string[], to: string, patch: Partial<T>): Promise<T | null> {
    return this.campaigns.transition(room, id, from, to, patch);
  }
}
