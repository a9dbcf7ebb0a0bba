import { z } from 'zod';
import { idSchema } from '../../protocol/ops.ts';

const audienceKey = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'tags and channels are 1-32 of A-Z a-z 0-9 _ -');

/** POST /v1/rooms/:room/coupons (PROTOCOL.md). */
export const createCouponSchema = z.object({
  id: idSchema.optional(),
  title: z.string().trim().min(1).max(60),
  value: z.number().int().positive(),
  minSpend: z.number().int().nonnegative().default(0),
  quantity: z.number().int().min(1).max(10_000_000),
  perUserLimit: z.number().int().min(1).max(100).default(1),
  audience: z.object({ tags: z.array(audienceKey).max(16).optional(), channels: z.array(audienceKey).max(16).optional() }).default({}),
  popupSec: z.number().int().min(1).max(3600).default(30),
  validDays: z.number().int().min(1).max(365).default(7),
});

export type CreateCoupon = z.infer<typeof createCouponSchema>;
