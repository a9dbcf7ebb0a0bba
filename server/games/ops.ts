import type { Handlers } from '../core/handlers.ts';
import { checkInOps } from './check-in/ops.ts';
import { chatOf, groupRoom } from './group-room.ts';
import { drawOps } from './lucky-draw/ops.ts';
import { pointsOps } from './points/ops.ts';
import { redPacketOps } from './red-packet/ops.ts';
import { parseOpenGame } from './schema.ts';
import type { Games } from './service.ts';

type GameOp = 'game.open' | 'game.draw' | 'game.end' | 'game.get' | 'game.list' | 'checkin' | 'draw.enter' | 'redpacket.grab' | 'points';

/** In-group games: the manager opens and ends any kind, members read them; each kind's own ops are in its folder. */
export const gameOps = (games: Games): Handlers<GameOp> => ({
  async 'game.open'(session, { chat, game }) {
    games.admission.requireManager(session.identity, chat);
    return { game: await games.open(chat, parseOpenGame(game)) };
  },
  async 'game.end'(session, { chat, game }) {
    games.admission.requireManager(session.identity, chat);
    return { game: await games.end(groupRoom(chat), game) };
  },
  async 'game.get'(session, { room, game }) {
    session.requireMember(room);
    // The group's manager also sees a red packet's refund, as the manager console shows it.
    const chat = chatOf(room);
    return games.details(room, game, chat !== undefined && games.admission.isManager(session.identity, chat) ? 'manager' : 'member');
  },
  async 'game.list'(session, { room }) {
    session.requireMember(room);
    return { games: await games.list(room) };
  },
  ...checkInOps(games),
  ...drawOps(games),
  ...redPacketOps(games),
  ...pointsOps(games),
});
