import { z } from 'zod';
import { idSchema, MAX_PRICE, productSchema } from '../../protocol/ops.ts';
import { offerTermsSchema } from '../audience/audience.ts';

const MAX_STOCK = 10_000_000;

/** POST /v1/rooms/:room/flash-sales (PROTOCOL.md). Limits are plain positive integers: no -1. */
export const createFlashSaleSchema = z
  .object({
    id: idSchema.optional(),
    product: productSchema,
    price: z.number().int().nonnegative().max(MAX_PRICE),
    stock: z.number().int().min(0).max(MAX_STOCK),
    perUserLimit: z.number().int().min(1).max(1000).default(1),
    singleOrderLimit: z.number().int().min(1).max(1000).optional(),
    startsAt: z.number().int().positive().optional(),
    endsAt: z.number().int().positive().optional(),
    payWindowSec: z.number().int().min(1).max(7 * 24 * 3600).default(900),
    ...offerTermsSchema,
  })
  .refine((s) => s.startsAt === undefined || s.endsAt === undefined || s.startsAt < s.endsAt, { path: ['endsAt'], message: 'must be after startsAt' })
  .refine((s) => s.singleOrderLimit === undefined || s.singleOrderLimit <= s.perUserLimit, { path: ['singleOrderLimit'], message: 'must not exceed perUserLimit' });

export type CreateFlashSale = z.infer<typeof createFlashSaleSchema>;
