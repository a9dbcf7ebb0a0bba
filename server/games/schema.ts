import { z } from 'zod';
import { gameIdSchema } from '../protocol/ops.ts';
import { validated } from '../protocol/validate.ts';
import { DEFAULT_TIME_ZONE, defaultRewards, validTimeZone } from '../protocol/calendar.ts';
import { MAX_PRIZE_UNITS, MAX_WEIGHT } from '../protocol/draw.ts';

const points = z.number().int().min(0).max(1_000_000);

const checkInSchema = z.object({
  kind: z.literal('checkin'),
  id: gameIdSchema.optional(),
  title: z.string().min(1).max(60).default('每日签到'),
  timeZone: z.string().refine(validTimeZone, 'an IANA time zone such as Asia/Shanghai').default(DEFAULT_TIME_ZONE),
  rewards: z.object({
    daily: z.array(points).min(1).max(31),
    bonus: z.object({ day: z.number().int().min(1).max(366), points }).optional(),
  }).default(defaultRewards),
});

const drawSchema = z.object({
  kind: z.literal('draw'),
  id: gameIdSchema.optional(),
  title: z.string().min(1).max(60).default('福袋'),
  prizes: z.array(z.object({
    name: z.string().min(1).max(60),
    count: z.number().int().min(1).max(MAX_PRIZE_UNITS),
    weight: z.number().int().min(1).max(MAX_WEIGHT).optional(),
  })).min(1).max(20),
  entry: z.enum(['join', 'comment', 'checkin']).default('join'),
  /** For `entry: comment`: a comment containing it enters the commenter. */
  keyword: z.string().trim().min(1).max(20).optional(),
  /** Within a week: the draw's timer must fit a 32-bit delay, and a lucky bag lasts a live or two. */
  drawAt: z.number().int().positive(),
}).refine((d) => d.entry !== 'comment' || d.keyword, { message: 'entry "comment" needs a keyword', path: ['keyword'] });

const redPacketSchema = z.object({
  kind: z.literal('red-packet'),
  id: gameIdSchema.optional(),
  title: z.string().min(1).max(60).default('恭喜发财'),
  /** Fen. Whether it covers `count` shares of at least 1 fen is checked when splitting. */
  total: z.number().int().positive(),
  count: z.number().int().positive(),
  expiresSec: z.number().int().min(1).max(7 * 86_400).default(86_400),
});

/** `POST /v1/groups/:chat/games` and the manager's `game.open`. */
export const openGameSchema = z.discriminatedUnion('kind', [checkInSchema, drawSchema, redPacketSchema]);
export type OpenGame = z.infer<typeof openGameSchema>;

export const parseOpenGame = (value: unknown): OpenGame => validated(openGameSchema, value);

export const spendSchema = z.object({ points: z.number().int().positive().max(1_000_000), reason: z.string().min(1).max(120) });
