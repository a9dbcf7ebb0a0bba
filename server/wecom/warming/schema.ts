import { z } from 'zod';
import { idSchema } from '../../protocol/ops.ts';

const bytesAtMost = (max: number) => (s: string) => Buffer.byteLength(s) <= max;

/** Covers up to 512 KB (WeCom suggests 520×416; it takes 10 MB, but Roomcast keeps each to upload again). */
export const MAX_COVER_BYTES = 512 * 1024;
/** A body with a cover: its base64 and the rest. */
export const MAX_COVER_BODY_BYTES = Math.ceil(MAX_COVER_BYTES / 3) * 4 + 16 * 1024;

/** A JPG or PNG cover, base64. */
const coverSchema = z.string().max(Math.ceil(MAX_COVER_BYTES / 3) * 4, 'a cover of at most 512 KB').regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64 of a JPG or PNG');

/** PUT /v1/wecom/pools/:pool/welcome: the pool's group welcome template with a mini-program card. */
export const welcomeSchema = z.object({
  /** `%NICKNAME%` greets the joiner by name. */
  text: z.string().min(1).refine(bytesAtMost(3000), 'at most 3,000 bytes'),
  card: z.object({
    title: z.string().min(1).refine(bytesAtMost(64), 'at most 64 bytes'),
    /** The live page of `room`, or the pool's group page. */
    page: z.enum(['live', 'group']),
    room: idSchema.optional(),
  }).refine((c) => c.page === 'group' || c.room !== undefined, { path: ['room'], message: 'the live page names its room' }),
  cover: coverSchema,
});

export type WelcomeInput = z.infer<typeof welcomeSchema>;

/** POST /v1/wecom/pools/:pool/welcome/applied: groups whose staff applied the template in the client. */
export const appliedSchema = z.object({ chatIds: z.array(z.string().min(1).max(64)).min(1).max(500) });

/** POST /v1/rooms/:room/wecom/announce (and the host op `wecom.announce`). */
export const announceSchema = z.object({
  pool: idSchema,
  text: z.string().min(1).refine(bytesAtMost(4000), 'at most 4,000 bytes').optional(),
  /** The card's cover; the pool's welcome cover when absent. */
  cover: coverSchema.optional(),
});

export type AnnounceInput = z.infer<typeof announceSchema>;
