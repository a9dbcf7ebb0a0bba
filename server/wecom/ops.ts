import type { WeComRouting } from './routing/service.ts';
import type { Handlers } from '../core/handlers.ts';

/** `wecom.route`: the room named, or the one the viewer is in. */
export const wecomOps = (routing: WeComRouting): Handlers<'wecom.route'> => ({
  async 'wecom.route'(session, { room }) {
    const where = room ?? session.onlyRoom();
    session.requireMember(where);
    return { join: await routing.route(session.identity, where) };
  },
});
