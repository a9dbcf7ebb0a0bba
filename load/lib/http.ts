import { get } from 'node:http';

/**
 * GET over a fresh connection each time: no keep-alive pool, whose idle sockets a busy server may
 * close under us, and a timeout, because an overloaded server may not accept the connection at all.
 */
export function getText(url: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        if (res.statusCode === 200) resolve(body);
        else reject(new Error(`GET ${url}: HTTP ${res.statusCode} ${body.slice(0, 200)}`));
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/**
 * A Roomcast node's /metrics: on its operator port, or on its HTTP port for a checkout from before
 * there was one (`--before`).
 */
export async function roomcastMetrics(ports: { admin: number; http: number }, timeoutMs: number): Promise<string> {
  try {
    return await getText(`http://127.0.0.1:${ports.admin}/metrics`, timeoutMs);
  } catch (err) {
    return getText(`http://127.0.0.1:${ports.http}/metrics`, timeoutMs).catch(() => Promise.reject(err));
  }
}

/** A JSON request with a bearer key and a timeout; throws with the status and body on anything but 2xx. */
export async function requestJson<T = unknown>(method: 'GET' | 'POST', url: string, options: { bearer?: string; body?: unknown; timeoutMs?: number } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
