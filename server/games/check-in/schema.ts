import { z } from 'zod';
import { DEFAULT_TIME_ZONE, defaultRewards, validTimeZone } from '../../protocol/calendar.ts';
import { gameIdSchema } from '../../protocol/ops.ts';

const points = z.number().int().min(0).max(1_000_000);

/** A check-in game, as `POST /v1/groups/:chat/games` and `game.open` take it. */
export const checkInSchema = z.object({
  kind: z.literal('checkin'),
  id: gameIdSchema.optional(),
  title: z.string().min(1).max(60).default('每日签到'),
  timeZone: z.string().refine(validTimeZone, 'an IANA time zone such as Asia/Shanghai').default(DEFAULT_TIME_ZONE),
  rewards: z.object({
    daily: z.array(points).min(1).max(31),
    bonus: z.object({ day: z.number().int().min(1).max(366), points }).optional(),
  }).default(defaultRewards),
});
