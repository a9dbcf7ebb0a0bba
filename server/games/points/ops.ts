import type { Handlers } from '../../core/handlers.ts';
import type { Games } from '../service.ts';

/** A member's own balance and ledger (`points`). */
export const pointsOps = (games: Games): Handlers<'points'> => ({
  async points(session, { room }) {
    session.requireMember(room);
    return games.points.of(room, session.identity.sub);
  },
});
