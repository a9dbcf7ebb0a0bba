import type { WeComRouting } from './routing/service.ts';
import type { Handlers } from '../core/handlers.ts';
import type { GroupWarming } from './warming/warming.ts';

/** `wecom.route`: the room named, or the one the viewer is in. `wecom.announce`: the host tells the pool's groups the live started. */
export const wecomOps = (routing: WeComRouting, warming: GroupWarming): Handlers<'wecom.route' | 'wecom.announce'> => ({
  async 'wecom.announce'(session, { room, pool }) {
    session.requireHostOf(room);
    return { announcement: await warming.announce(room, { pool }) };
  },
  async 'wecom.route'(session, { room }) {
    const where = room ?? session.onlyRoom();
    session.requireMember(where);
    return { join: await routing.route(session.identity, where) };
  },
});
