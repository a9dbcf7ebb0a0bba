/**
 * Names of scheduled work: `<kind>|<room>|<id>`. Ids and rooms never contain `|`.
 * expire: a reservation's pay deadline; flash-start / flash-end: a sale's clock; group-expire /
 * assist-expire: when an open group or assist runs out of time.
 */
export type ScheduledKind = 'expire' | 'flash-start' | 'flash-end' | 'group-expire' | 'assist-expire';

export const expiryKey = (room: string, order: string) => scheduledKey('expire', room, order);

export function scheduledKey(kind: ScheduledKind, room: string, id: string): string {
  return `${kind}|${room}|${id}`;
}

export function parseScheduledKey(key: string): { kind: ScheduledKind; room: string; id: string } | null {
  const [kind, room, id] = key.split('|');
  return kind && room && id ? { kind: kind as ScheduledKind, room, id } : null;
}
