import { z } from 'zod';

/** `POST /v1/groups/:chat/points/:user/spend`, what the brand's mall calls. */
export const spendSchema = z.object({ points: z.number().int().positive().max(1_000_000), reason: z.string().min(1).max(120) });
