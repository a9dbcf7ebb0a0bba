import type { Handlers } from '../../core/handlers.ts';
import { groupRoom } from '../group-room.ts';
import type { Games } from '../service.ts';

/** A member's entry (`draw.enter`), and the manager's draw (`game.draw`) before drawAt. */
export const drawOps = (games: Games): Handlers<'draw.enter' | 'game.draw'> => ({
  async 'draw.enter'(session, { room, game }) {
    session.requireMember(room);
    return { entries: await games.draws.enter(session.identity, await games.ofKind(room, game, 'draw')) };
  },
  async 'game.draw'(session, { chat, game }) {
    games.admission.requireManager(session.identity, chat);
    return { game: await games.draw(groupRoom(chat), game) };
  },
});
