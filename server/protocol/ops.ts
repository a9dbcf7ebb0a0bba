import { z } from 'zod';
import { RoomcastError } from './errors.ts';
import { validated } from './validate.ts';

export const idSchema = z.string().regex(/^[A-Za-z0-9_:.-]{1,64}$/, 'an id is 1-64 of A-Z a-z 0-9 _ : . -');

/** 100 million yuan in fen: far above any live-room price, far below where Lua's number formatting rounds. */
export const MAX_PRICE = 10_000_000_000;

export const productSchema = z.object({
  id: idSchema,
  title: z.string().min(1).max(120),
  price: z.number().int().nonnegative().max(MAX_PRICE),
  image: z.string().url().max(1024).optional(),
});

/** A game's id: no ':' (its Redis keys append `:seed`, `:entries`... to it). */
export const gameIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'a game id is 1-32 of A-Z a-z 0-9 _ -');

/** A WeCom chat id; its group's room is `group:{chat}`. */
export const chatSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,58}$/, 'a chat id is 1-58 of A-Z a-z 0-9 _ . -');

/** A client's id for one action; a repeat with the same id gets the first answer. */
export const requestIdSchema = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'a requestId is 1-64 of A-Z a-z 0-9 _ . : -');

/** A viewer as a room shows them to others (comments, draws): `v` and 16 base64url characters, never their sub. */
export const viewerIdSchema = z.string().regex(/^v[A-Za-z0-9_-]{16}$/, 'a viewer id as the room shows it (v + 16 characters)');
/** A comment's id in its room. */
export const commentIdSchema = z.string().regex(/^c\d{1,15}$/, 'a comment id (c + digits)');

/** Every client op: `{ id?, op, ...args }`. Add an op here and its handler in its tool's ops.ts (wired in server/domains.ts). */
export const opSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('join'), room: idSchema, resume: z.number().int().nonnegative().optional() }),
  z.object({ op: z.literal('leave'), room: idSchema }),
  z.object({ op: z.literal('like'), room: idSchema, n: z.number().int().min(1).max(100).default(1) }),
  z.object({ op: z.literal('comment'), room: idSchema, text: z.string().trim().min(1).max(200) }),
  z.object({ op: z.literal('ping') }),
  z.object({ op: z.literal('pin'), room: idSchema, product: productSchema }),
  z.object({
    op: z.literal('flash.buy'),
    room: idSchema,
    sale: idSchema,
    qty: z.number().int().min(1).max(100).default(1),
    requestId: requestIdSchema,
    coupon: idSchema.optional(),
  }),
  z.object({ op: z.literal('flash.start'), room: idSchema, sale: idSchema }),
  z.object({ op: z.literal('flash.stop'), room: idSchema, sale: idSchema }),
  z.object({ op: z.literal('coupon.claim'), room: idSchema, coupon: idSchema, requestId: requestIdSchema }),
  z.object({ op: z.literal('coupon.pop'), room: idSchema, coupon: idSchema }),
  z.object({ op: z.literal('group.open'), room: idSchema, campaign: idSchema, requestId: requestIdSchema }),
  z.object({ op: z.literal('group.join'), room: idSchema, group: idSchema, requestId: requestIdSchema }),
  z.object({ op: z.literal('group.list'), room: idSchema, campaign: idSchema }),
  z.object({ op: z.literal('wecom.route'), room: idSchema.optional() }),
  z.object({ op: z.literal('wecom.announce'), room: idSchema, pool: idSchema }),
  z.object({ op: z.literal('assist.start'), room: idSchema, campaign: idSchema, requestId: requestIdSchema }),
  z
    .object({ op: z.literal('assist.help'), assist: idSchema.optional(), shareCode: z.string().regex(/^[A-Z0-9]{4,16}$/).optional(), requestId: requestIdSchema })
    .refine((o) => o.assist !== undefined || o.shareCode !== undefined, { message: 'assist or shareCode is required' }),
  // In-group games (server/games). A manager names the group by its chat id; `game` of game.open is
  // checked against the games' own schema (games/schema.ts) by its handler.
  z.object({ op: z.literal('game.open'), chat: chatSchema, game: z.looseObject({ kind: z.string() }) }),
  z.object({ op: z.literal('game.draw'), chat: chatSchema, game: gameIdSchema }),
  z.object({ op: z.literal('game.end'), chat: chatSchema, game: gameIdSchema }),
  z.object({ op: z.literal('game.get'), room: idSchema, game: gameIdSchema }),
  z.object({ op: z.literal('game.list'), room: idSchema }),
  z.object({ op: z.literal('checkin'), room: idSchema, game: gameIdSchema }),
  z.object({ op: z.literal('draw.enter'), room: idSchema, game: gameIdSchema }),
  z.object({ op: z.literal('redpacket.grab'), room: idSchema, game: gameIdSchema }),
  z.object({ op: z.literal('points'), room: idSchema }),
  // Live ops (server/live-ops): a host's moderation of its room. `words` is bounded by the keyword
  // list's own schema (live-ops/moderation/schema.ts) in its handler.
  z.object({ op: z.literal('mute'), room: idSchema, user: viewerIdSchema, seconds: z.number() }),
  z.object({ op: z.literal('unmute'), room: idSchema, user: viewerIdSchema }),
  z.object({ op: z.literal('ban'), room: idSchema, user: viewerIdSchema }),
  z.object({ op: z.literal('unban'), room: idSchema, user: viewerIdSchema }),
  z.object({ op: z.literal('comment.remove'), room: idSchema, comment: commentIdSchema }),
  z.object({ op: z.literal('comments.recent'), room: idSchema }),
  z.object({ op: z.literal('keywords.set'), room: idSchema, words: z.array(z.string()) }),
  z.object({ op: z.literal('keywords.get'), room: idSchema }),
  z.object({ op: z.literal('restrictions'), room: idSchema }),
  z.object({ op: z.literal('figures'), room: idSchema }),
  z.object({ op: z.literal('audit'), room: idSchema, before: z.number().int().positive().optional(), limit: z.number().int().min(1).max(200).default(50) }),
  z.object({ op: z.literal('campaigns'), room: idSchema }),
  z.object({ op: z.literal('room.start'), room: idSchema }),
  z.object({ op: z.literal('room.end'), room: idSchema }),
  z.object({ op: z.literal('figures.watch'), room: idSchema }),
  z.object({ op: z.literal('figures.timeline'), room: idSchema }),
]);

export type Op = z.infer<typeof opSchema>;
export type OpName = Op['op'];
export const opNames = opSchema.options.map((o) => o.shape.op.value) as OpName[];

/** `id` is optional: ops without one get no reply (fire-and-forget likes). */
const frameHeader = z.object({ id: z.number().int().nonnegative().max(2 ** 32 - 1).optional(), op: z.string() });

export interface ParsedFrame {
  id: number | undefined;
  op: Op;
}

/** Validates one decoded client frame; throws `bad_request` naming the field. */
export function parseClientFrame(value: unknown): ParsedFrame {
  const { id, op } = validated(frameHeader, value);
  if (!opNames.includes(op as OpName)) throw new RoomcastError('bad_request', `unknown op "${op.slice(0, 40)}"`);
  return { id, op: validated(opSchema, value) };
}
