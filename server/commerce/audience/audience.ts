import { z } from 'zod';
import type { Identity } from '../../protocol/frames.ts';
import type { Audience } from '../../protocol/views.ts';

const audienceKey = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'tags and channels are 1-32 of A-Z a-z 0-9 _ -');

/** An audience as the HTTP API takes it: its tags and its channels. */
export const audienceSchema = z.object({ tags: z.array(audienceKey).max(16).optional(), channels: z.array(audienceKey).max(16).optional() });

/**
 * The terms of an offer (a flash sale, a group-buy, an assist) in its create schema: an audience,
 * when given, names someone (leave it out for everyone: an empty one is a mistake, not "no one"),
 * and `firstOrderOnly` (新人购).
 */
export const offerTermsSchema = {
  audience: audienceSchema
    .refine((a) => (a.tags?.length ?? 0) + (a.channels?.length ?? 0) > 0, 'an audience names at least one tag or channel; leave it out to sell to everyone')
    .optional(),
  firstOrderOnly: z.boolean().optional(),
};

/** Anyone, when the audience names nobody; else a viewer with one of its tags or from one of its channels. */
export function inAudience(viewer: Identity, audience: Audience | undefined): boolean {
  const tags = audience?.tags ?? [];
  const channels = audience?.channels ?? [];
  if (!tags.length && !channels.length) return true;
  return tags.some((t) => viewer.tags.includes(t)) || (viewer.channel !== undefined && channels.includes(viewer.channel));
}
