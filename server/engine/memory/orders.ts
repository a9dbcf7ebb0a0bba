import { stampField, type Order } from '../../commerce/model.ts';
import type { OrderState } from '../../protocol/views.ts';
import type { OrderStore, Scheduler } from '../commerce.ts';
import type { CommerceState } from './commerce-state.ts';

export class MemoryOrderStore implements OrderStore {
  constructor(private readonly state: CommerceState) {}

  async transition(id: string, from: OrderState[], to: OrderState, patch: Partial<Order> = {}): Promise<Order | null> {
    const order = this.state.orders.get(id);
    if (!order || !from.includes(order.state)) return null;
    Object.assign(order, structuredClone(patch), { state: to, [stampField(to)]: Date.now() });
    return structuredClone(order);
  }

  async get(id: string): Promise<Order | null> {
    const order = this.state.orders.get(id);
    return order ? structuredClone(order) : null;
  }

  async unsettled(createdBefore: number, limit: number): Promise<Order[]> {
    return [...this.state.orders.values()]
      .filter((o) => o.state === 'reserved' && o.createdAt < createdBefore)
      .sort((a, b) => a.createdAt - b.createdAt)
      .slice(0, limit)
      .map((o) => structuredClone(o));
  }
}

export class MemoryScheduler implements Scheduler {
  constructor(private readonly state: CommerceState) {}

  async at(key: string, when: number): Promise<void> {
    this.state.schedule.set(key, when);
  }

  async claimDue(now: number, leaseMs: number, limit: number): Promise<string[]> {
    const due = [...this.state.schedule].filter(([, when]) => when <= now).sort((a, b) => a[1] - b[1]).slice(0, limit).map(([key]) => key);
    for (const key of due) this.state.schedule.set(key, now + leaseMs);
    return due;
  }

  async done(key: string): Promise<void> {
    this.state.schedule.delete(key);
  }
}
