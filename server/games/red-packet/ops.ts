import type { Handlers } from '../../core/handlers.ts';
import type { Games } from '../service.ts';

/** A member's grab (`redpacket.grab`): one share each, while there are shares and time. */
export const redPacketOps = (games: Games): Handlers<'redpacket.grab'> => ({
  async 'redpacket.grab'(session, { room, game }) {
    session.requireMember(room);
    return { grab: await games.packets.grab(session.identity, room, game) };
  },
});
