import type { GroupChat } from '../api/client.ts';
import type { PoolGroup } from '../model.ts';
import type { WeComStore } from '../store.ts';

/** A dismissed group never takes members again: it counts as full forever. */
export const DISMISSED = Number.MAX_SAFE_INTEGER;

/** The group's roster as WeCom just reported it, and its count (WeCom's unless given). */
export async function rememberRoster(store: WeComStore, chat: GroupChat, members = chat.members.length): Promise<void> {
  const unionIds = chat.members.flatMap((m) => (m.unionId ? [m.unionId] : []));
  await store.setMembers(chat.chatId, members, unionIds);
}

export function groupOf(chat: GroupChat): PoolGroup {
  return { chatId: chat.chatId, name: chat.name, members: chat.members.length };
}
