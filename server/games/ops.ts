import type { Games } from './service.ts';
import { parseOpenGame } from './schema.ts';
import { groupRoom } from './group-room.ts';
import type { Handlers } from '../core/handlers.ts';

/** In-group games: the manager's open/draw/end, and the members' check-in, entry, grab and points. */
export const gameOps = (games: Games): Handlers<'game.open' | 'game.draw' | 'game.end' | 'game.get' | 'game.list' | 'checkin' | 'draw.enter' | 'redpacket.grab' | 'points'> => ({
  async 'game.open'(session, { chat, game }) {
    games.admission.requireManager(session.identity, chat);
    return { game: await games.open(chat, parseOpenGame(game)) };
  },
  async 'game.draw'(session, { chat, game }) {
    games.admission.requireManager(session.identity, chat);
    return { game: await games.draw(groupRoom(chat), game) };
  },
  async 'game.end'(session, { chat, game }) {
    games.admission.requireManager(session.identity, chat);
    return { game: await games.end(groupRoom(chat), game) };
  },
  async 'game.get'(session, { room, game }) {
    session.requireMember(room);
    return games.details(room, game);
  },
  async 'game.list'(session, { room }) {
    session.requireMember(room);
    return { games: await games.list(room) };
  },
  async checkin(session, { room, game }) {
    session.requireMember(room);
    return { checkin: await games.checkIns.checkIn(session.identity, await games.ofKind(room, game, 'checkin')) };
  },
  async 'draw.enter'(session, { room, game }) {
    session.requireMember(room);
    return { entries: await games.draws.enter(session.identity, await games.ofKind(room, game, 'draw')) };
  },
  async 'redpacket.grab'(session, { room, game }) {
    session.requireMember(room);
    return { grab: await games.packets.grab(session.identity, room, game) };
  },
  async points(session, { room }) {
    session.requireMember(room);
    return games.points.of(room, session.identity.sub);
  },
});
