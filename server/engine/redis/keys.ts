/**
 * Every Redis key and channel Roomcast uses, in one place. Keys of one room share the `{room}` hash
 * tag so a multi-key script stays in one Redis Cluster slot.
 */
export function redisKeys(prefix: string) {
  const room = (id: string, type: string) => `${prefix}:room:{${id}}:${type}`;
  return {
    roomMeta: (id: string) => room(id, 'meta'),
    roomSeq: (id: string) => room(id, 'seq'),
    roomHistory: (id: string) => room(id, 'history'),
    roomState: (id: string) => room(id, 'state'),
    roomCounters: (id: string) => room(id, 'counters'),
    roomOnline: (id: string) => room(id, 'online'),
    idempotency: (key: string) => `${prefix}:idem:${key}`,
    roomChannel: (id: string) => `${prefix}:bus:room:{${id}}`,
    userChannel: (uid: string) => `${prefix}:bus:user:${uid}`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
