/**
 * Key and channel names. Every key of a room carries the `{room}` hash tag, so a script over one
 * room's keys stays in one Redis Cluster slot. Domains name their own keys with `room()` and
 * `global()`, each in its store (which lists them); the platform's own are here.
 */
export function keyspace(prefix: string) {
  const room = (id: string, type: string) => `${prefix}:room:{${id}}:${type}`;
  const global = (name: string) => `${prefix}:${name}`;
  return {
    prefix,
    room,
    global,
    /** The room's critical-event counter, its event history (a stream), its state and numeric state. */
    roomSeq: (id: string) => room(id, 'seq'),
    roomHistory: (id: string) => room(id, 'history'),
    roomState: (id: string) => room(id, 'state'),
    roomCounters: (id: string) => room(id, 'counters'),
    /** Each node's viewer count in the room. */
    roomOnline: (id: string) => room(id, 'online'),
    /** Its highest total, ever (`all`) and per minute (`m:<minute>`). */
    roomOnlinePeaks: (id: string) => room(id, 'online-peaks'),
    /**
     * A refused request's marker (platform/records/requests.lua), by the id of the record the
     * request would have made, so a repeat gets the same refusal.
     */
    request: (id: string, record: string) => room(id, `request:${record}`),
    /** A request's first answer; a nonce's first use. */
    idempotency: (key: string) => global(`idem:${key}`),
    lock: (name: string) => global(`lock:${name}`),
    /**
     * Due work of every room (pay deadlines, campaign clocks, draws). One key outside the room
     * slots: on Redis Cluster it would be split per slot.
     */
    schedule: () => global('schedule'),
    roomChannel: (id: string) => `${prefix}:bus:room:{${id}}`,
    userChannel: (uid: string) => `${prefix}:bus:user:${uid}`,
  };
}

export type Keys = ReturnType<typeof keyspace>;
