import { z } from 'zod';
import { idSchema } from '../../protocol/ops.ts';
import type { Identity } from '../../protocol/frames.ts';
import type { Pool, PoolGroup, SegmentRule } from '../model.ts';

/** WeCom allows up to 500 members in a customer group; QR-code joins stop near 200. */
export const MAX_GROUP_CAP = 500;
/** `chat_id_list` takes at most 5 groups. */
export const JOIN_WAY_GROUPS = 5;

export const createPoolSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,24}$/, 'a pool id is 1-24 of A-Z a-z 0-9 _ -').optional(),
  name: z.string().trim().min(1).max(60),
  priority: z.number().int().min(0).max(1_000_000).default(100),
  rule: z.object({
    channels: z.array(z.string().min(1).max(30)).min(1).max(50).optional(),
    tags: z.array(z.string().min(1).max(32)).min(1).max(50).optional(),
    bought: z.boolean().optional(),
    rooms: z.array(idSchema).min(1).max(100).optional(),
  }).default({}),
  /** Groups staff created in the WeCom client (the API cannot create them). */
  chatIds: z.array(z.string().min(1).max(64)).min(1).max(200),
  cap: z.number().int().min(2).max(MAX_GROUP_CAP).optional(),
  roomBaseName: z.string().trim().min(1).max(40),
  roomBaseId: z.number().int().min(1).max(1_000_000).default(1),
});

export type CreatePool = z.infer<typeof createPoolSchema>;

export interface Viewer {
  identity: Identity;
  room: string;
  bought: boolean;
}

export function matches(rule: SegmentRule, { identity, room, bought }: Viewer): boolean {
  if (rule.rooms && !rule.rooms.includes(room)) return false;
  if (rule.channels && !(identity.channel && rule.channels.includes(identity.channel))) return false;
  if (rule.tags && !rule.tags.some((t) => identity.tags.includes(t))) return false;
  if (rule.bought !== undefined && rule.bought !== bought) return false;
  return true;
}

/** The first pool by priority (then age) whose rule takes the viewer. */
export function pickPool(pools: Pool[], viewer: Viewer): Pool | undefined {
  return [...pools].sort((a, b) => a.priority - b.priority || a.createdAt - b.createdAt).find((p) => matches(p.rule, viewer));
}

/**
 * What a pool's join ways list: up to 5 groups under the cap, fullest first, so that WeCom (which
 * puts a joiner into the first listed group with room) fills each group to the cap before the next.
 * Null when every group is full: the list stays, and WeCom opens a new group itself.
 */
export function chooseChatIds(groups: PoolGroup[], cap: number): string[] | null {
  const open = groups.filter((g) => g.members < cap).sort((a, b) => b.members - a.members || a.chatId.localeCompare(b.chatId));
  return open.length ? open.slice(0, JOIN_WAY_GROUPS).map((g) => g.chatId) : null;
}
