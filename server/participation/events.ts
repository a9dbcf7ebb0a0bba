/**
 * The participation events a decision writes about a viewer (docs/participation.md), in the order
 * of a viewer's path. The brand's CRM takes these; other sinks take what concerns them.
 */
export const participationTypes = [
  'viewer.joined', 'order.reserved', 'order.paid', 'coupon.claimed', 'group.joined', 'assist.started', 'assist.helped', 'checkin.done',
  'draw.entered', 'draw.won', 'packet.grabbed',
] as const;

/** An event as kept in the outbox and sent out (one JSON line each). */
export interface ParticipationEvent {
  /** The same decision always names the same id: receivers deduplicate by it. */
  id: string;
  type: string;
  at: number;
  room: string;
  user: string;
  detail: Record<string, unknown>;
}
