import type { Assists } from './service.ts';
import type { Handlers } from '../../core/handlers.ts';

/** `assist.help` names no room: a friend follows a share card into any room, or none. */
export const assistOps = (assists: Assists): Handlers<'assist.start' | 'assist.help'> => ({
  async 'assist.start'(session, { room, campaign, requestId }) {
    session.requireMember(room);
    return { assist: await assists.start(session.identity, { room, campaign, requestId }) };
  },
  async 'assist.help'(session, { assist, shareCode, requestId }) {
    return { assist: await assists.help(session.identity, { requestId, ...(assist ? { assist } : {}), ...(shareCode ? { shareCode } : {}) }) };
  },
});
