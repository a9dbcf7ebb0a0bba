import type { Identity } from '../../protocol/frames.ts';
import type { Audience } from './model.ts';

/** Anyone, when the audience names nobody; else a viewer with one of its tags or from one of its channels. */
export function inAudience(viewer: Identity, audience: Audience): boolean {
  const tags = audience.tags ?? [];
  const channels = audience.channels ?? [];
  if (!tags.length && !channels.length) return true;
  return tags.some((t) => viewer.tags.includes(t)) || (viewer.channel !== undefined && channels.includes(viewer.channel));
}
