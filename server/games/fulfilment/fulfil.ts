import type { ParticipationEvent } from '../../participation/events.ts';
import { postSigned, refusedForGood, type Sink } from '../../participation/crm.ts';
import type { FulfilmentStatus } from '../../protocol/games.ts';
import { chatOf } from '../group-room.ts';
import { REFUND, type FulfilmentStatuses } from './statuses.ts';

/** The events that are prizes to hand out: a draw's prize, a red-packet share, a red packet's money left. */
const prizeEvents = ['draw.won', 'packet.grabbed', 'packet.unclaimed'] as const;

/**
 * A fulfilment job as the brand's backend receives it (docs/participation.md). `job` is the event's
 * id: the same prize is always the same job, however often it is sent.
 */
export interface FulfilmentJob {
  job: string;
  kind: 'prize' | 'red-packet' | 'refund';
  room: string;
  /** The WeCom group of a group room's game. */
  chat?: string;
  game: string;
  /** The winner or grabber (their user id); absent for a refund. */
  user?: string;
  prize?: string;
  /** Fen: a red-packet share, or the money to refund. */
  amount?: number;
  at: number;
}

const kinds = { 'draw.won': 'prize', 'packet.grabbed': 'red-packet', 'packet.unclaimed': 'refund' } as const;

function jobOf(event: ParticipationEvent): FulfilmentJob {
  const detail = event.detail as { game: string; prize?: string; amount?: number };
  const chat = chatOf(event.room);
  return {
    job: event.id,
    kind: kinds[event.type as keyof typeof kinds],
    room: event.room,
    ...(chat ? { chat } : {}),
    game: detail.game,
    ...(event.user ? { user: event.user } : {}),
    ...(detail.prize !== undefined ? { prize: detail.prize } : {}),
    ...(detail.amount !== undefined ? { amount: detail.amount } : {}),
    at: event.at,
  };
}

/**
 * Prize fulfilment: each prize event becomes one signed job POSTed to the brand's backend
 * (FULFIL_URL; the mall's signing, with FULFIL_SECRET), one per request, which answers 2xx with
 * `{ status: "fulfilled" }` or `{ status: "failed", reason }`; the answer is recorded on the game.
 * A 4xx refuses the job for good (recorded `failed`, and kept in the dead letters); a 5xx, a
 * timeout or an answer without a status is sent again later, so a prize is never dropped unseen.
 */
export function prizeFulfilment(options: { url: string; secret: string; timeoutMs: number }, statuses: FulfilmentStatuses): Sink {
  const record = (job: FulfilmentJob, status: FulfilmentStatus) => statuses.record(job.room, job.game, job.kind === 'refund' ? REFUND : job.user!, status);
  return {
    types: prizeEvents,
    batchSize: 1,
    async deliver([line]) {
      const job = jobOf(JSON.parse(line!) as ParticipationEvent);
      const { res, text } = await postSigned(options, 'application/json', JSON.stringify(job));
      if (!res.ok) {
        const refused = refusedForGood(res.status, text, 'prize fulfilment');
        await record(job, { status: 'failed', reason: `refused: HTTP ${res.status}`, at: Date.now() });
        return refused;
      }
      const answer = parse(text);
      if (!answer) throw new Error(`prize fulfilment answered ${res.status} without a status`);
      await record(job, { ...answer, at: Date.now() });
      return { ok: true };
    },
  };
}

function parse(text: string): FulfilmentStatus | undefined {
  try {
    const { status, reason } = JSON.parse(text) as { status?: unknown; reason?: unknown };
    if (status === 'fulfilled') return { status };
    if (status === 'failed') return { status, reason: typeof reason === 'string' ? reason.slice(0, 200) : 'no reason given' };
  } catch {
    // Not JSON: no status, sent again.
  }
  return undefined;
}
