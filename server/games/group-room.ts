import type { Identity } from '../protocol/frames.ts';

/**
 * A WeCom customer group is a room: `group:{chat}`. Its members' pages are its viewers, and the
 * commerce tools of a live room (flash sales, group-buys) work in it unchanged.
 */
const PREFIX = 'group:';

export const groupRoom = (chat: string): string => PREFIX + chat;

/** The chat id of a group room; undefined for a live room. */
export const chatOf = (room: string): string | undefined => (room.startsWith(PREFIX) ? room.slice(PREFIX.length) : undefined);

/** Members and managers of the group carry its chat id in their token's `chats` claim. */
export const belongsTo = (identity: Identity, chat: string): boolean => identity.chats?.includes(chat) ?? false;
