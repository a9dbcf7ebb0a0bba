import { nowMs } from './stats.ts';

const TIMER_MS = 2;

/**
 * Open loop: calls `send(i)` `rate` times a second for `seconds`, on schedule whatever the server
 * does (nothing waits for a reply); a late timer catches up. Answers how many were sent and the
 * worst lateness against the schedule, to show whether the generator itself kept time.
 */
export function paced(rate: number, seconds: number, send: (i: number) => void): Promise<{ sent: number; maxLagMs: number }> {
  const total = Math.round(rate * seconds);
  const start = nowMs();
  let sent = 0;
  let maxLagMs = 0;
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const now = nowMs();
      for (let due = start + (sent * 1000) / rate; sent < total && due <= now; due = start + (sent * 1000) / rate) {
        maxLagMs = Math.max(maxLagMs, now - due);
        send(sent++);
      }
      if (sent >= total) {
        clearInterval(timer);
        resolve({ sent, maxLagMs });
      }
    }, TIMER_MS);
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
