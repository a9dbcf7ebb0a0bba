export interface Connected<V> {
  connected: V[];
  failed: number;
  retried: number;
}

/**
 * Connects `count` clients, `concurrency` at a time, each attempt bounded by `timeoutMs`. A failed
 * connect is retried once and counted: the bench needs its clients, the report needs the failure.
 * `label(i)` names client i in the errors passed to `noteError`.
 */
export async function connectEach<V>(
  count: number,
  concurrency: number,
  timeoutMs: number,
  connect: (i: number) => Promise<V>,
  label: (i: number) => string,
  noteError: (message: string) => void,
): Promise<Connected<V>> {
  const outcome: Connected<V> = { connected: [], failed: 0, retried: 0 };
  const attempt = (i: number) => withTimeout(connect(i), timeoutMs, 'connect and join');
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      try {
        outcome.connected.push(await attempt(i).catch((err: Error) => {
          outcome.retried++;
          noteError(`connect ${label(i)} (retried): ${err.message}`);
          return attempt(i);
        }));
      } catch (err) {
        outcome.failed++;
        noteError(`connect ${label(i)}: ${(err as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcome;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
