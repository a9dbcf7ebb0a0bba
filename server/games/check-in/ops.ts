import type { Handlers } from '../../core/handlers.ts';
import type { Games } from '../service.ts';

/** A member's check-in (`checkin`): once a day, in the group's room. */
export const checkInOps = (games: Games): Handlers<'checkin'> => ({
  async checkin(session, { room, game }) {
    session.requireMember(room);
    return { checkin: await games.checkIns.checkIn(session.identity, await games.ofKind(room, game, 'checkin')) };
  },
});
