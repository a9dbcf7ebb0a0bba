import type { GroupBuys } from './service.ts';
import type { Handlers } from '../../core/handlers.ts';

export const groupOps = (groups: GroupBuys): Handlers<'group.open' | 'group.join' | 'group.list'> => ({
  async 'group.open'(session, { room, campaign, requestId }) {
    session.requireMember(room);
    return { group: await groups.open(session.identity, { room, campaign, requestId }) };
  },
  async 'group.join'(session, { room, group, requestId }) {
    session.requireMember(room);
    return { group: await groups.join(session.identity, { room, group, requestId }) };
  },
  async 'group.list'(session, { room, campaign }) {
    session.requireMember(room);
    return { groups: await groups.openGroups(room, campaign, session.identity) };
  },
});
