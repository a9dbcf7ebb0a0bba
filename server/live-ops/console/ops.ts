import type { Handlers } from '../../core/handlers.ts';

/** What the console lists of a room's campaigns, read through each tool's service. */
export interface RoomCampaigns {
  sales(room: string): Promise<unknown[]>;
  coupons(room: string): Promise<unknown[]>;
  groupBuys(room: string): Promise<unknown[]>;
  assists(room: string): Promise<unknown[]>;
}

/** `campaigns`: every campaign of the room with its counters, for its host's console. */
export const consoleOps = (campaigns: RoomCampaigns): Handlers<'campaigns'> => ({
  async campaigns(session, { room }) {
    session.requireHostOf(room);
    const [sales, coupons, groupBuys, assists] = await Promise.all([campaigns.sales(room), campaigns.coupons(room), campaigns.groupBuys(room), campaigns.assists(room)]);
    return { sales, coupons, groupBuys, assists };
  },
});
