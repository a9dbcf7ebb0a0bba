import type { Peaks, Presence } from '../engine.ts';

/**
 * The memory engine's online counts: every node is this process, so a room's count per node lives
 * in a map. Infrastructure, like the in-process bus, so it stays TypeScript; OnlineCounts keeps the
 * same counts in Redis by its script, and the engine contract suite holds both to one behaviour.
 */
export class MemoryPresence implements Presence {
  /** room -> node -> its count and when that report lapses */
  private readonly rooms = new Map<string, Map<string, { count: number; expiresAt: number }>>();
  private readonly peakOf = new Map<string, Peaks>();

  async report(nodeId: string, counts: ReadonlyMap<string, number>, ttlMs: number): Promise<Map<string, number>> {
    const now = Date.now();
    const totals = new Map<string, number>();
    for (const [room, count] of counts) {
      let nodes = this.rooms.get(room);
      if (!nodes) this.rooms.set(room, (nodes = new Map()));
      nodes.set(nodeId, { count, expiresAt: now + ttlMs });
      const total = this.total(nodes, now);
      totals.set(room, total);
      this.notePeak(room, total, now);
    }
    return totals;
  }

  async peaks(room: string): Promise<Peaks> {
    const peaks = this.peakOf.get(room);
    return { peak: peaks?.peak ?? 0, byMinute: new Map(peaks?.byMinute) };
  }

  private notePeak(room: string, total: number, now: number): void {
    let peaks = this.peakOf.get(room);
    if (!peaks) this.peakOf.set(room, (peaks = { peak: 0, byMinute: new Map() }));
    const minute = Math.floor(now / 60_000);
    peaks.peak = Math.max(peaks.peak, total);
    peaks.byMinute.set(minute, Math.max(peaks.byMinute.get(minute) ?? 0, total));
  }

  async count(room: string): Promise<number> {
    const nodes = this.rooms.get(room);
    return nodes ? this.total(nodes, Date.now()) : 0;
  }

  /** Sums the live reports and forgets the lapsed ones (a node that stopped reporting). */
  private total(nodes: Map<string, { count: number; expiresAt: number }>, now: number): number {
    let total = 0;
    for (const [node, entry] of nodes) {
      if (entry.expiresAt <= now) nodes.delete(node);
      else total += entry.count;
    }
    return total;
  }
}
