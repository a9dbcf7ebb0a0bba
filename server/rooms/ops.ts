import type { ViewerIds } from '../auth/viewer-ids.ts';
import { RoomcastError } from '../protocol/errors.ts';
import type { Identity, JoinResult } from '../protocol/frames.ts';
import type { RoomService } from './service.ts';
import type { Handlers } from '../core/handlers.ts';
import { chatOf } from '../games/group-room.ts';
import type { Games } from '../games/service.ts';

/**
 * The room ops of PROTOCOL.md: join (with resume), leave, like, ping, and the host's pin (comments
 * are moderated: live-ops/moderation/ops.ts). A group room admits its group's members only; `enter`
 * refuses whom the room banned and counts who came.
 */
export const roomOps = (
  rooms: RoomService,
  games: Games,
  campaigns: (room: string, viewer: Identity) => Promise<unknown[]>,
  viewerId: ViewerIds,
  enter: (room: string, sub: string) => Promise<void>,
): Handlers<'join' | 'leave' | 'like' | 'ping' | 'pin' | 'room.start' | 'room.end'> => ({
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
    await enter(room, session.identity.sub);
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
    session.leaveRoom(room);
  },

  async like(session, { room, n }) {
    session.requireMember(room);
    session.ctx.hub.addLikes(room, n);
  },

  async ping() {
    return { now: Date.now() };
  },

  async 'room.start'(session, { room }) {
    session.requireHostOf(room);
    return { room: await rooms.start(room) };
  },

  async 'room.end'(session, { room }) {
    session.requireHostOf(room);
    return { room: await rooms.end(room) };
  },

  async pin(session, { room, product }) {
    session.requireHostOf(room);
    await rooms.pin(room, product);
  },
});

