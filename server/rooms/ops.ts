import type { ViewerIds } from '../auth/viewer-ids.ts';
import { RoomcastError } from '../protocol/errors.ts';
import type { CommentEvent } from '../protocol/events.ts';
import type { Identity, JoinResult } from '../protocol/frames.ts';
import type { RoomService } from './service.ts';
import type { Handlers } from '../core/handlers.ts';
import { chatOf } from '../games/group-room.ts';
import type { Games } from '../games/service.ts';

/**
 * The room ops of PROTOCOL.md: join (with resume), leave, like, comment, ping, and the host's pin.
 * A group room admits its group's members only; a comment there may enter a keyword draw.
 */
export const roomOps = (rooms: RoomService, games: Games, campaigns: (room: string, viewer: Identity) => Promise<unknown[]>, viewerId: ViewerIds): Handlers<'join' | 'leave' | 'like' | 'comment' | 'ping' | 'pin'> => ({
  async join(session, { room, resume }): Promise<JoinResult> {
    const { hub, config } = session.ctx;
    const chat = chatOf(room);
    if (chat) {
      if (!(await games.admission.admits(session.identity, chat))) throw new RoomcastError('forbidden', `group room ${room} is for members of group ${chat}`);
      // A member may open the group's page before any game: the room is there for them.
      await games.admission.groupRoom(chat);
    }
    const rejoin = session.rooms.has(room);
    if (!rejoin && session.rooms.size >= config.realtime.maxRoomsPerConnection) {
      throw new RoomcastError('limit_reached', `at most ${config.realtime.maxRoomsPerConnection} rooms per connection`);
    }
    await rooms.get(room);
    if (!rejoin) {
      session.rooms.add(room);
      await hub.enterRoom(room);
      for (const topic of session.topicsIn(room)) session.connection.subscribe(topic);
    }
    // Subscribed before reading history: an event landing in between arrives twice at most
    // (client drops seq it has seen), never zero times.
    const { broker } = session.ctx.engine;
    const history = resume === undefined ? undefined : await broker.history(room, resume);
    const [snapshot, lastSeq, live] = await Promise.all([rooms.snapshot(room, hub.online(room)), history?.seq ?? broker.lastSeq(room), campaigns(room, session.identity)]);
    snapshot.campaigns = live;
    const seq = Math.max(lastSeq, hub.seq(room));
    hub.noteSeq(room, seq);
    // Others in the room know this viewer by this id only (comments, draws, grabs): now they do too.
    const you = { id: viewerId(room, session.identity.sub) };
    if (!history?.events) return { snapshot, seq, resumed: false, you };
    const mine = new Set(session.topicsIn(room));
    const missed = history.events.filter((e) => e.topics.some((t) => mine.has(t))).map(({ topics: _topics, ...event }) => event);
    return { snapshot, seq, resumed: true, missed, you };
  },

  async leave(session, { room }) {
    if (!session.rooms.delete(room)) return;
    for (const topic of session.topicsIn(room)) session.connection.unsubscribe(topic);
    session.ctx.hub.leaveRoom(room);
  },

  async like(session, { room, n }) {
    session.requireMember(room);
    session.ctx.hub.addLikes(room, n);
  },

  async comment(session, { room, text }) {
    session.requireMember(room);
    const { sub, name, avatar } = session.identity;
    const user = { id: viewerId(room, sub), name, ...(avatar ? { avatar } : {}) };
    await session.ctx.engine.broker.publishChatter(room, { type: 'comment', data: { user, text } satisfies CommentEvent });
    // A keyword entry is the draw's business, not the comment's answer (onComment logs its own failures).
    void games.draws.onComment(session.identity, room, text);
  },

  async ping() {
    return { now: Date.now() };
  },

  async pin(session, { room, product }) {
    session.requireHostOf(room);
    await rooms.pin(room, product);
  },
});

