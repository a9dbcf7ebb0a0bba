import type { Engine } from '../../platform/engine.ts';
import { luaScript } from '../../platform/store/lua-script.ts';
import type { Store } from '../../platform/store/store.ts';
import type { Logger } from '../../observability/logger.ts';
import { liveOpsKeys, type LiveOpsKeys } from '../keys.ts';

const appendScript = luaScript(new URL('./append-2.lua', import.meta.url));
const pageScript = luaScript(new URL('./page-2.lua', import.meta.url));

/** Entries kept per room. */
export const AUDIT_KEPT = 10_000;
/** The most entries one page answers. */
export const AUDIT_PAGE_MAX = 200;

/** Who did it: a host or manager by their token, or the brand's backend by its API key. */
export interface Actor {
  kind: 'host' | 'manager' | 'viewer' | 'api';
  id: string;
  name?: string;
}

export interface AuditEntry {
  id: number;
  at: number;
  actor: Actor;
  /** `room.start`, `flash.start`, `coupon.pop`, `mute`, `ban`, `game.open`, ... */
  action: string;
  /** What it acted on: a sale, a coupon, a viewer's opaque id, a comment, a game; absent for the room itself. */
  target?: string;
  detail?: unknown;
}

/** The longest detail kept (the request's own arguments, as JSON). */
const MAX_DETAIL = 1024;

/**
 * A room's audit trail: every host, manager and API action on it, appended once it succeeded (an
 * entry that cannot be written is logged, never a reason to undo what was done), read newest first
 * in pages.
 */
export class Audit {
  private readonly store: Store;
  private readonly keys: LiveOpsKeys;

  constructor(engine: Pick<Engine, 'store' | 'keys'>, private readonly log: Logger) {
    this.store = engine.store;
    this.keys = liveOpsKeys(engine.keys);
  }

  async append(room: string, entry: Omit<AuditEntry, 'id' | 'at'>): Promise<void> {
    const detail = entry.detail === undefined ? undefined : JSON.stringify(entry.detail);
    const kept = { at: Date.now(), actor: entry.actor, action: entry.action, ...(entry.target ? { target: entry.target } : {}),
      ...(detail ? { detail: detail.length > MAX_DETAIL ? `${detail.slice(0, MAX_DETAIL)}…` : JSON.parse(detail) } : {}) };
    try {
      await this.store.run(appendScript, [this.keys.audit(room), this.keys.auditSeq(room)], [JSON.stringify(kept), AUDIT_KEPT]);
    } catch (err) {
      this.log.error({ err, room, action: entry.action }, 'audit entry not written');
    }
  }

  /** Entries older than `before` (an id; the newest when absent), newest first; `next` pages on. */
  async page(room: string, { before, limit = 50 }: { before?: number; limit?: number } = {}): Promise<{ entries: AuditEntry[]; next?: number }> {
    const take = Math.min(Math.max(1, limit), AUDIT_PAGE_MAX);
    const lines = ((await this.store.run(pageScript, [this.keys.audit(room), this.keys.auditSeq(room)], [before ?? 0, take])) as Buffer[]).map(String);
    const entries = lines.map((line) => {
      const space = line.indexOf(' ');
      return { id: Number(line.slice(0, space)), ...(JSON.parse(line.slice(space + 1)) as Omit<AuditEntry, 'id'>) };
    });
    const last = entries.at(-1);
    return { entries, ...(last && last.id > 1 && entries.length === take ? { next: last.id } : {}) };
  }
}
