import { z } from 'zod';
import { viewerIdSchema } from '../../protocol/ops.ts';
import { folded } from './text.ts';

/** Words in one keyword list (a room's, or the brand's in config). */
export const MAX_KEYWORDS = 1000;
/** Characters in one keyword. */
export const MAX_KEYWORD_LENGTH = 50;
/** The longest mute: 30 days. */
export const MAX_MUTE_SECONDS = 30 * 86_400;

export const keywordsSchema = z
  .array(z.string().trim().min(1).max(MAX_KEYWORD_LENGTH, `a keyword is at most ${MAX_KEYWORD_LENGTH} characters`)
    .refine((word) => folded(word) !== '', 'a keyword needs a letter or a digit (spaces and symbols are ignored when matching)'))
  .max(MAX_KEYWORDS, `at most ${MAX_KEYWORDS} keywords in a list`);


export const keywordsBody = z.object({ words: keywordsSchema });
export const muteSecondsSchema = z.number().int().min(1, 'a mute lasts at least 1 second').max(MAX_MUTE_SECONDS, `a mute lasts at most ${MAX_MUTE_SECONDS} seconds (30 days)`);
export const muteBody = z.object({ user: viewerIdSchema, seconds: muteSecondsSchema });
export const banBody = z.object({ user: viewerIdSchema });
