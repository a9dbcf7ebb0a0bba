import { z } from 'zod';
import { idSchema, MAX_PRICE, productSchema } from '../../protocol/ops.ts';
import { offerTermsSchema } from '../audience/audience.ts';

/** POST /v1/rooms/:room/group-buys (PROTOCOL.md). */
export const createGroupBuySchema = z.object({
  id: idSchema.optional(),
  product: productSchema,
  price: z.number().int().nonnegative().max(MAX_PRICE),
  size: z.number().int().min(2).max(100),
  ttlSec: z.number().int().min(1).max(30 * 86400).default(86400),
  perUserLimit: z.number().int().min(1).max(100).default(1),
  ...offerTermsSchema,
});

export type CreateGroupBuy = z.infer<typeof createGroupBuySchema>;
