/** Topic names: what a socket subscribes to and what a frame is published on. */
export const roomTopic = (room: string) => `room:${room}`;
export const tagTopic = (room: string, tag: string) => `room:${room}:tag:${tag}`;
export const channelTopic = (room: string, channel: string) => `room:${room}:channel:${channel}`;
export const userTopic = (uid: string) => `user:${uid}`;

/** The topics of an audience: its tags and channels, or the whole room when it names none. */
export function audienceTopics(room: string, audience: { tags?: readonly string[]; channels?: readonly string[] }): string[] {
  const topics = [...(audience.tags ?? []).map((t) => tagTopic(room, t)), ...(audience.channels ?? []).map((c) => channelTopic(room, c))];
  return topics.length ? topics : [roomTopic(room)];
}

/** The topics a viewer belongs to in a room: the room, each of its tags, the channel it came from. */
export function memberTopics(room: string, tags: readonly string[], channel?: string): string[] {
  return [roomTopic(room), ...tags.map((tag) => tagTopic(room, tag)), ...(channel ? [channelTopic(room, channel)] : [])];
}
