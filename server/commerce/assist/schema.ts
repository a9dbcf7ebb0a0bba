import { z } from 'zod';
import { idSchema, MAX_PRICE, productSchema } from '../../protocol/ops.ts';
import { offerTermsSchema } from '../audience/audience.ts';

/** POST /v1/rooms/:room/assists (PROTOCOL.md); `price` with `product` makes the reward a purchase at that price. */
export const createAssistSchema = z
  .object({
    id: idSchema.optional(),
    product: productSchema.optional(),
    price: z.number().int().nonnegative().max(MAX_PRICE).optional(),
    target: z.number().int().min(1).max(1000),
    ttlSec: z.number().int().min(1).max(30 * 86400).default(86400),
    perHelperLimit: z.number().int().min(1).max(100).default(1),
    reward: z.object({ coupon: idSchema.optional() }).default({}),
    ...offerTermsSchema,
  })
  .refine((a) => a.price === undefined || a.product !== undefined, { path: ['price'], message: 'a reward price needs a product' });

export type CreateAssist = z.infer<typeof createAssistSchema>;
