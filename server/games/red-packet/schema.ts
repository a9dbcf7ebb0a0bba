import { z } from 'zod';
import { gameIdSchema } from '../../protocol/ops.ts';

/** A red packet, as `POST /v1/groups/:chat/games` and `game.open` take it. */
export const redPacketSchema = z.object({
  kind: z.literal('red-packet'),
  id: gameIdSchema.optional(),
  title: z.string().min(1).max(60).default('恭喜发财'),
  /** Fen. Whether it covers `count` shares of at least 1 fen is checked when splitting. */
  total: z.number().int().positive(),
  count: z.number().int().positive(),
  expiresSec: z.number().int().min(1).max(7 * 86_400).default(86_400),
});
