import type { Engine } from '../../platform/engine.ts';
import type { Store } from '../../platform/store/store.ts';
import type { FiguresMinute, RoomFigures } from '../../protocol/views.ts';
import { liveOpsKeys, type LiveOpsKeys } from '../keys.ts';

/** What the room's campaigns count themselves (each tool's own counters, read through its service). */
export interface CampaignCounts {
  coupons(room: string): Promise<Array<{ id: string; title: string; issued: number; left: number }>>;
  groupBuys(room: string): Promise<Array<{ opened: number; formed: number; failed: number }>>;
  assists(room: string): Promise<Array<{ started: number; completed: number }>>;
}

const ORDER_STATES = ['reserved', 'submitted', 'paid', 'expired', 'cancelled', 'refunded'] as const;
const TOTALS = [
  'joined', 'comments', 'blocked', 'funnel:tapped', 'funnel:reserved', 'funnel:paid',
  ...ORDER_STATES.map((s) => `orders:${s}`), 'gmv:reserved', 'gmv:paid', 'gmv:refunded',
];
/** Timeline columns and the figures field each one sums. */
const MINUTE_FIELDS = { joined: 'joined', comments: 'comments', tapped: 'funnel:tapped', reserved: 'orders:reserved', paid: 'orders:paid', gmvReserved: 'gmv:reserved', gmvPaid: 'gmv:paid' } as const;
/** The longest timeline answered: a week of minutes. */
const MAX_MINUTES = 7 * 24 * 60;

/**
 * A room's business figures, read: the decisions counted them (live-ops/figures/count.lua, in the
 * same step as each buy, join, claim, payment and comment), online counts and peaks come from
 * presence, likes from the room's state, coupons, groups and assists from their campaigns'.
 * Nothing here writes, and nothing scans.
 */
export class Figures {
  private readonly store: Store;
  private readonly keys: LiveOpsKeys;

  constructor(private readonly engine: Pick<Engine, 'store' | 'keys' | 'presence' | 'broker'>, private readonly campaigns: CampaignCounts) {
    this.store = engine.store;
    this.keys = liveOpsKeys(engine.keys);
  }

  async of(room: string): Promise<RoomFigures> {
    const [coupons, groupBuys, assists] = await Promise.all([this.campaigns.coupons(room), this.campaigns.groupBuys(room), this.campaigns.assists(room)]);
    const usedFields = coupons.map((c) => `coupon:${c.id}:used`);
    const [values, now, peaks, state] = await Promise.all([
      this.store.hmget(this.keys.figures(room), ...TOTALS, ...usedFields),
      this.engine.presence.count(room),
      this.engine.presence.peaks(room),
      this.engine.broker.roomState(room),
    ]);
    const f = Object.fromEntries(TOTALS.map((field, i) => [field, Number(values[i] ?? 0)]));
    const sum = <T>(items: T[], pick: (item: T) => number) => items.reduce((total, item) => total + pick(item), 0);
    return {
      room,
      at: Date.now(),
      viewers: { now, peak: Math.max(peaks.peak, now), unique: f.joined! },
      likes: Number(state.likes ?? 0),
      comments: f.comments!,
      hidden: f.blocked!,
      orders: Object.fromEntries(ORDER_STATES.map((s) => [s, f[`orders:${s}`]!])) as RoomFigures['orders'],
      gmv: { reserved: f['gmv:reserved']!, paid: f['gmv:paid']!, refunded: f['gmv:refunded']! },
      funnel: { joined: f.joined!, tapped: f['funnel:tapped']!, reserved: f['funnel:reserved']!, paid: f['funnel:paid']! },
      coupons: coupons.map((c, i) => ({ id: c.id, title: c.title, issued: c.issued, used: Number(values[TOTALS.length + i] ?? 0), left: c.left })),
      groups: { open: sum(groupBuys, (g) => g.opened - g.formed - g.failed), formed: sum(groupBuys, (g) => g.formed), failed: sum(groupBuys, (g) => g.failed) },
      assists: { open: sum(assists, (a) => a.started - a.completed), completed: sum(assists, (a) => a.completed) },
    };
  }

  /** Every minute from the first counted to the last (at most a week, the latest), gaps as zeros. */
  async timeline(room: string): Promise<FiguresMinute[]> {
    const [hash, peaks] = await Promise.all([this.store.hgetall(this.keys.figures(room)), this.engine.presence.peaks(room)]);
    const byMinute = new Map<number, Record<string, number>>();
    const at = (minute: number) => byMinute.get(minute) ?? byMinute.set(minute, {}).get(minute)!;
    for (const [field, value] of Object.entries(hash)) {
      const match = /^t:(\d+):(.+)$/.exec(field);
      if (match) at(Number(match[1]))[match[2]!] = Number(value);
    }
    for (const [minute, peak] of peaks.byMinute) at(minute).viewersPeak = peak;
    if (!byMinute.size) return [];
    const last = Math.max(...byMinute.keys());
    const first = Math.max(Math.min(...byMinute.keys()), last - MAX_MINUTES + 1);
    const rows: FiguresMinute[] = [];
    for (let minute = first; minute <= last; minute++) {
      const m = byMinute.get(minute) ?? {};
      const row = { minute: minute * 60_000, viewersPeak: m.viewersPeak ?? 0 } as FiguresMinute;
      for (const [column, field] of Object.entries(MINUTE_FIELDS)) row[column as keyof typeof MINUTE_FIELDS] = m[field] ?? 0;
      rows.push(row);
    }
    return rows;
  }
}
