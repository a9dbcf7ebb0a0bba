import type { Keys } from '../platform/keys.ts';

/**
 * Live-ops keys, each in its room's slot (they leave with the room, server/retention):
 * - `mod`: the room's keyword list (`keywords`, JSON), its version (`kwv`, bumped on every change,
 *   so every node knows its cached list is stale) and the comment counter (`comments`, the ids);
 * - `people`: opaque id -> sub of everyone who joined (what a host's mute or ban names); its length
 *   is the room's unique viewers;
 * - `mutes`: opaque id -> muted until (ms); `bans`: opaque id -> sub;
 * - `comments`: comment id -> `{ user, text, at, removed? }` of the room's latest comments, oldest
 *   first in `comment-ids` (a list trimmed to `COMMENTS_KEPT`);
 * - `figures`: the room's business figures (live-ops/figures), `reach`: sub -> the funnel stages a
 *   viewer reached; `audit`: the audit trail (a list, newest first, `<id> <entry JSON>`) and
 *   `audit:seq` its counter.
 */
export function liveOpsKeys(k: Keys) {
  return {
    moderation: (room: string) => k.room(room, 'mod'),
    people: (room: string) => k.room(room, 'people'),
    mutes: (room: string) => k.room(room, 'mutes'),
    bans: (room: string) => k.room(room, 'bans'),
    comments: (room: string) => k.room(room, 'comments'),
    commentIds: (room: string) => k.room(room, 'comment-ids'),
    figures: (room: string) => k.room(room, 'figures'),
    reach: (room: string) => k.room(room, 'reach'),
    audit: (room: string) => k.room(room, 'audit'),
    auditSeq: (room: string) => k.room(room, 'audit:seq'),
  };
}

export type LiveOpsKeys = ReturnType<typeof liveOpsKeys>;

/** Comments kept per room for a host to act on (remove, mute or ban their author). */
export const COMMENTS_KEPT = 1000;
