import type { Presence } from '../engine.ts';

export class MemoryPresence implements Presence {
  /** room -> node -> { count, expiresAt } */
  private readonly rooms = new Map<string, Map<string, { count: number; expiresAt: number }>>();

  async report(nodeId: string, counts: ReadonlyMap<string, number>, ttlMs: number): Promise<Map<string, number>> {
    const now = Date.now();
    const totals = new Map<string, number>();
    for (const [room, count] of counts) {
      let nodes = this.rooms.get(room);
      if (!nodes) this.rooms.set(room, (nodes = new Map()));
      nodes.set(nodeId, { count, expiresAt: now + ttlMs });
      let total = 0;
      for (const [node, entry] of nodes) {
        if (entry.expiresAt <= now) nodes.delete(node);
        else total += entry.count;
      }
      totals.set(room, total);
    }
    return totals;
  }

  async count(room: string): Promise<number> {
    const now = Date.now();
    let total = 0;
    for (const entry of this.rooms.get(room)?.values() ?? []) if (entry.expiresAt > now) total += entry.count;
    return total;
  }
}
