import { z } from 'zod';
import { MAX_PRIZE_UNITS, MAX_WEIGHT } from '../../protocol/draw.ts';
import { gameIdSchema } from '../../protocol/ops.ts';

/** A lucky draw, as `POST /v1/groups/:chat/games` and `game.open` take it. */
export const drawSchema = z.object({
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
  /** Within a week (checked when it opens): a lucky bag lasts a live or two. */
  drawAt: z.number().int().positive(),
}).refine((d) => d.entry !== 'comment' || d.keyword, { message: 'entry "comment" needs a keyword', path: ['keyword'] });
