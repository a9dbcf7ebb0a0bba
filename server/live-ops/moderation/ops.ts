import type { Handlers } from '../../core/handlers.ts';
import { validated } from '../../protocol/validate.ts';
import type { Identity } from '../../protocol/frames.ts';
import { keywordsSchema, muteSecondsSchema } from './schema.ts';
import type { Moderation } from './service.ts';

/**
 * A viewer's `comment`, and a host's moderation of its room over the socket (the same as over HTTP):
 * mute, ban, remove a comment, the keyword list, the latest comments to act on, who is muted and banned.
 * `onComment` hears every comment that reached the room (a keyword draw enters its author).
 */
export const moderationOps = (moderation: Moderation, onComment: (author: Identity, room: string, text: string) => void): Handlers<
  'comment' | 'mute' | 'unmute' | 'ban' | 'unban' | 'comment.remove' | 'comments.recent' | 'keywords.set' | 'keywords.get' | 'restrictions'
> => ({
  async comment(session, { room, text }) {
    session.requireMember(room);
    const { id, hidden } = await moderation.comment(room, session.identity, text);
    if (!hidden) onComment(session.identity, room, text);
    return { id };
  },
  async mute(session, { room, user, seconds }) {
    session.requireHostOf(room);
    return { mute: await moderation.mute(room, user, validated(muteSecondsSchema, seconds)) };
  },
  async unmute(session, { room, user }) {
    session.requireHostOf(room);
    await moderation.unmute(room, user);
  },
  async ban(session, { room, user }) {
    session.requireHostOf(room);
    await moderation.ban(room, user);
  },
  async unban(session, { room, user }) {
    session.requireHostOf(room);
    await moderation.unban(room, user);
  },
  async 'comment.remove'(session, { room, comment }) {
    session.requireHostOf(room);
    await moderation.removeComment(room, comment);
  },
  async 'comments.recent'(session, { room }) {
    session.requireHostOf(room);
    return { comments: await moderation.recentComments(room) };
  },
  async 'keywords.set'(session, { room, words }) {
    session.requireHostOf(room);
    return { words: await moderation.setKeywords(room, validated(keywordsSchema, words)) };
  },
  async 'keywords.get'(session, { room }) {
    session.requireHostOf(room);
    return { words: await moderation.keywords(room) };
  },
  async restrictions(session, { room }) {
    session.requireHostOf(room);
    return await moderation.restrictions(room);
  },
});
