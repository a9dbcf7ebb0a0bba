/** Topic names: what a socket subscribes to and what a frame is published on. */
export const roomTopic = (room: string) => `room:${room}`;
export const tagTopic = (room: string, tag: string) => `room:${room}:tag:${tag}`;
export const userTopic = (uid: string) => `user:${uid}`;

/** The topics a viewer with these tags belongs to in a room. */
export function memberTopics(room: string, tags: readonly string[]): string[] {
  return [roomTopic(room), ...tags.map((tag) => tagTopic(room, tag))];
}
