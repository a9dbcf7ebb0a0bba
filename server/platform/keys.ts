import { SLOTS, slotOfKey, tagOfSlot } from './slots.ts';

/**
 * Key and channel names. Every key of a room carries the `{room}` hash tag, so a script over one
 * room's keys stays in one Redis Cluster slot. Domains name their own keys with `room()`,
 * `global()`, `family()` and `index()`, each in its store (which lists them); the platform's own are
 * here.
 *
 * On one Redis (`cluster` false) the names are what they have always been. On a Redis Cluster, what
 * many rooms share is split so that a script never leaves its room's slot:
 * - an index of many rooms' records (due work, unsettled orders, ids to rooms) is one key per slot,
 *   beside the rooms of that slot (`index`); whoever reads all of it reads each slot's in use
 *   (`slots()` lists them: a room's slot is registered when the room is made);
 * - a record found by its id alone (an order, an assist, a share code) carries its room's slot in
 *   its last three characters (`placed`), so `indexOf` finds its index from the id;
 * - a family of keys that scripts and transactions use together (WeCom routing) shares one tag.
 */
export function keyspace(prefix: string, { cluster = false } = {}) {
  const room = (id: string, type: string) => `${prefix}:room:{${id}}:${type}`;
  const global = (name: string) => `${prefix}:${name}`;
  const slotIndex = (slot: number, name: string) => `${prefix}:idx:{${tagOfSlot(slot)}}:${name}`;
  const slotOfRoom = (id: string) => slotOfKey(`{${id}}`);
  const index = (id: string, name: string) => (cluster ? slotIndex(slotOfRoom(id), name) : global(name));
  return {
    prefix,
    cluster,
    room,
    global,
    /** A key of a family used together in scripts and transactions: one slot on a cluster. */
    family: (tag: string, name: string) => (cluster ? `${prefix}:{${tag}}:${name}` : global(name)),
    /** Index `name` as it holds `room`'s records: the one index on one Redis, its slot's on a cluster. */
    index,
    /** Index `name` as it holds the record of a `placed` id. */
    indexOf: (placedId: string, name: string) => (cluster ? slotIndex(slotOfPlaced(placedId), name) : global(name)),
    /** Every index `name`, given the slots in use (`slots` of the engine's Shards). */
    indexes: (name: string, slots: readonly number[]) => (cluster ? slots.map((slot) => slotIndex(slot, name)) : [global(name)]),
    /** An id of `room`'s (20 characters of [A-Za-z0-9]) that says where it is indexed: itself on one Redis. */
    placed: (id: string, record: string) => (cluster ? record.slice(0, -3) + slotOfRoom(id).toString(36).toUpperCase().padStart(3, '0') : record),
    /** The slot of a room's keys. */
    slotOfRoom,
    /** The slots in use (rooms were made there): a set of slot numbers, on a cluster. */
    slotRegistry: () => global('idx:slots'),
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
    /** Due work (pay deadlines, campaign clocks, draws) of the room's index (`index`). */
    schedule: (id: string) => index(id, 'schedule'),
    roomChannel: (id: string) => `${prefix}:bus:room:{${id}}`,
    userChannel: (uid: string) => `${prefix}:bus:user:${uid}`,
  };
}

/** The slot a `placed` id names (its last three characters, base 36). */
function slotOfPlaced(id: string): number {
  const slot = Number.parseInt(id.slice(-3), 36);
  return Number.isInteger(slot) && slot >= 0 && slot < SLOTS ? slot : 0;
}

export type Keys = ReturnType<typeof keyspace>;
