/** Flat Redis hash replies (HGETALL as an array) to records, and records to HSET arguments. */
export function pairs(reply: ReadonlyArray<Buffer | string | number>, from = 0): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = from; i + 1 < reply.length; i += 2) out[String(reply[i])] = String(reply[i + 1]);
  return out;
}

/** Numbers stay numbers, objects go in as JSON, absent values are left out. */
export function fields(record: object): string[] {
  return Object.entries(record)
    .filter(([, v]) => v !== undefined && v !== null)
    .flatMap(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]);
}
