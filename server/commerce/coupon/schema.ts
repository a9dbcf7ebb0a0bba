import { z } from 'zod';
import { idSchema } from '../../protocol/ops.ts';
import { audienceSchema } from '../audience/audience.ts';

/** POST /v1/rooms/:room/coupons (PROTOCOL.md). */
export const createCouponSchema = z.object({
  id: idSchema.optional(),
  title: z.string().trim().min(1).max(60),
  value: z.number().int().positive(),
  minSpend: z.number().int().nonnegative().default(0),
  quantity: z.number().int().min(1).max(10_000_000),
  perUserLimit: z.number().int().min(1).max(100).default(1),
  audience: audienceSchema.default({}),
  popupSec: z.number().int().min(1).max(3600).default(30),
  validDays: z.number().int().min(1).max(365).default(7),
});

export type CreateCoupon = z.infer<typeof createCouponSchema>;
