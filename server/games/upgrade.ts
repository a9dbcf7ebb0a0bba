import type { JobQueues } from '../platform/jobs/queue.ts';
import { dueKey } from '../platform/scheduler/due-work.ts';
import type { Scheduler } from '../platform/scheduler/scheduler.ts';
import { gameDue } from './store.ts';

/**
 * Up to 0.1.0 (before the one scheduler), a draw or a red packet's end was a BullMQ delayed
 * job in the queue `games`, data `{ action: 'draw' | 'end', room, game }`. Games opened before the
 * upgrade still have theirs there and no worker reads that queue now: each node takes them into the
 * schedule when it starts, at the time they were due. A game already drawn or ended by then is a
 * refusal its handler absorbs. Remove once no deployment runs a version from before the scheduler.
 */
export async function adoptGameJobs(queues: JobQueues, schedule: Scheduler): Promise<number> {
  return queues.adopt('games', async ({ action, room, game }, dueAt) => {
    if (!room || !game || (action !== 'draw' && action !== 'end')) return;
    await schedule.at(dueKey(action === 'draw' ? gameDue.draw : gameDue.end, room, game), dueAt);
  });
}
