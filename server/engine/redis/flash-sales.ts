import type { Redis } from 'ioredis';
import type { FlashSale, FlashSaleStatus, Order } from '../../commerce/model.ts';
import type { BuyOutcome, BuyRequest, FlashSaleStore, ReleaseOutcome } from '../commerce.ts';
import { fields, pairs } from './hashes.ts';
import type { RedisKeys } from './keys.ts';
import { refusal } from './refusals.ts';
import { script, type Script } from './scripts.ts';
import { expiryKey } from '../../commerce/schedule-keys.ts';
import type { RedisBroker } from './broker.ts';
import { leftKey } from '../../commerce/state-keys.ts';

const numeric = ['price', 'stock', 'perUserLimit', 'singleOrderLimit', 'startsAt', 'endsAt', 'payWindowSec', 'left', 'sold', 'startedAt', 'endedAt'];

export class RedisFlashSaleStore implements FlashSaleStore {
  private readonly createHash: Script;
  private readonly transitionScript: Script;
  private readonly buyScript: Script;
  private readonly releaseScript: Script;

  constructor(private readonly redis: Redis, private readonly keys: RedisKeys, scripts: Map<string, Script>, private readonly broker: RedisBroker) {
    this.createHash = script(scripts, 'create-hash');
    this.transitionScript = script(scripts, 'transition');
    this.buyScript = script(scripts, 'flash-buy');
    this.releaseScript = script(scripts, 'flash-release');
  }

  async create(sale: FlashSale): Promise<boolean> {
    const created = Number(await this.createHash([this.keys.flashSale(sale.room, sale.id)], fields(sale))) === 1;
    if (created) await this.redis.sadd(this.keys.flashSales(sale.room), sale.id);
    return created;
  }

  async get(room: string, id: string): Promise<FlashSale | null> {
    const hash = await this.redis.hgetall(this.keys.flashSale(room, id));
    return Object.keys(hash).length ? toSale(hash) : null;
  }

  async list(room: string): Promise<FlashSale[]> {
    const ids = await this.redis.smembers(this.keys.flashSales(room));
    const sales = await Promise.all(ids.map((id) => this.get(room, id)));
    return sales.filter((s): s is FlashSale => s !== null).sort((a, b) => a.id.localeCompare(b.id));
  }

  async transition(room: string, id: string, from: FlashSaleStatus[], to: FlashSaleStatus, patch: Partial<FlashSale>): Promise<FlashSale | null> {
    const reply = (await this.transitionScript([this.keys.flashSale(room, id)], [from.join(','), to, ...fields(patch)])) as Buffer[];
    return reply.length ? toSale(pairs(reply)) : null;
  }

  async buy(r: BuyRequest): Promise<BuyOutcome> {
    const k = this.keys;
    const reply = (await this.buyScript(
      [k.flashSale(r.room, r.sale), k.flashBuyers(r.room, r.sale), k.order(r.room, r.orderId), k.request(r.room, r.user, r.requestId), k.schedule(), k.issuedCoupon(r.room, r.coupon ?? '-'), k.orderRooms()],
      [r.user, r.qty, r.now, r.orderId, r.room, r.coupon ?? '', r.requestTtlMs, expiryKey(r.room, r.orderId)],
    )) as Array<Buffer | number>;
    const status = Number(reply[0]);
    if (status < 0) throw refusal(status, `flash sale ${r.sale}`);
    const left = Number(reply[1]);
    return { order: toOrder(pairs(reply, 4)), left, soldOut: Number(reply[2]) === 1, replayed: Number(reply[3]) === 1 };
  }

  async publishLeft(room: string, id: string): Promise<void> {
    await this.broker.publishField(room, leftKey(id), this.keys.flashSale(room, id), 'left');
  }

  async release(room: string, orderId: string, now: number): Promise<ReleaseOutcome | null> {
    const order = await this.redis.hmget(this.keys.order(room, orderId), 'campaign', 'coupon');
    const [sale, coupon] = order;
    if (!sale) return null;
    const k = this.keys;
    const reply = (await this.releaseScript(
      [k.order(room, orderId), k.flashSale(room, sale), k.flashBuyers(room, sale), k.issuedCoupon(room, coupon ?? '-'), k.schedule()],
      [now, expiryKey(room, orderId)],
    )) as number[];
    return Number(reply[0]) === 1 ? { left: Number(reply[1]), relisted: Number(reply[2]) === 1 } : null;
  }
}

function toSale(hash: Record<string, string>): FlashSale {
  const sale: Record<string, unknown> = { ...hash, product: JSON.parse(hash.product!) };
  for (const key of numeric) if (hash[key] !== undefined) sale[key] = Number(hash[key]);
  return sale as unknown as FlashSale;
}

export function toOrder(hash: Record<string, string>): Order {
  const order: Record<string, unknown> = { ...hash };
  for (const key of ['qty', 'price', 'amount', 'createdAt', 'payDeadline', 'expiredAt']) if (hash[key] !== undefined) order[key] = Number(hash[key]);
  return order as unknown as Order;
}
