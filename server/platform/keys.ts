/**
 * Every Redis key and channel Roomcast uses, in one place. Keys of one room share the `{room}` hash
 * tag so a multi-key script stays in one Redis Cluster slot.
 */
export function redisKeys(prefix: string) {
  const room = (id: string, type: string) => `${prefix}:room:{${id}}:${type}`;
  return {
    roomMeta: (id: string) => room(id, 'meta'),
    roomSeq: (id: string) => room(id, 'seq'),
    roomHistory: (id: string) => room(id, 'history'),
    roomState: (id: string) => room(id, 'state'),
    roomCounters: (id: string) => room(id, 'counters'),
    roomOnline: (id: string) => room(id, 'online'),
    idempotency: (key: string) => `${prefix}:idem:${key}`,
    flashSales: (id: string) => room(id, 'flash-sales'),
    flashSale: (id: string, sale: string) => room(id, `flash:${sale}`),
    flashBuyers: (id: string, sale: string) => room(id, `flash:${sale}:buyers`),
    coupons: (id: string) => room(id, 'coupons'),
    coupon: (id: string, campaign: string) => room(id, `coupon:${campaign}`),
    couponClaimers: (id: string, campaign: string) => room(id, `coupon:${campaign}:claimers`),
    groupBuys: (id: string) => room(id, 'group-buys'),
    groupBuy: (id: string, campaign: string) => room(id, `group-buy:${campaign}`),
    groupOpenMembers: (id: string, campaign: string) => room(id, `group-buy:${campaign}:open-members`),
    groupCounts: (id: string, campaign: string) => room(id, `group-buy:${campaign}:counts`),
    groupsOpen: (id: string, campaign: string) => room(id, `group-buy:${campaign}:open-groups`),
    group: (id: string, group: string) => room(id, `group:${group}`),
    assistCampaigns: (id: string) => room(id, 'assists'),
    assistCampaign: (id: string, campaign: string) => room(id, `assist-campaign:${campaign}`),
    assistOwners: (id: string, campaign: string) => room(id, `assist-campaign:${campaign}:open-owners`),
    assistHelperCounts: (id: string, campaign: string) => room(id, `assist-campaign:${campaign}:helper-counts`),
    assistPrefix: (id: string) => room(id, 'assist:'),
    assist: (id: string, assist: string) => room(id, `assist:${assist}`),
    /** Which room an assist is in, and what a share code points at (assist.help names no room). */
    assistRooms: () => `${prefix}:assist-rooms`,
    shareCodes: () => `${prefix}:share-codes`,
    games: (id: string) => room(id, 'games'),
    game: (id: string, game: string) => room(id, `game:${game}`),
    gameSeed: (id: string, game: string) => room(id, `game:${game}:seed`),
    gameEntries: (id: string, game: string) => room(id, `game:${game}:entries`),
    /** A red packet's shares not yet grabbed, and who grabbed what (in grab order). */
    gameShares: (id: string, game: string) => room(id, `game:${game}:shares`),
    gameGrabs: (id: string, game: string) => room(id, `game:${game}:grabs`),
    gameGrabOrder: (id: string, game: string) => room(id, `game:${game}:grab-order`),
    /** Group-room members' last check-in ("day,streak"), members per day, points and ledgers. */
    checkIns: (id: string) => room(id, 'check-ins'),
    checkInCounts: (id: string) => room(id, 'check-in-counts'),
    points: (id: string) => room(id, 'points'),
    ledger: (id: string, user: string) => room(id, `ledger:${user}`),
    /** Order keys of a room are this prefix and the order id (scripts that touch many orders build them). */
    orderPrefix: (id: string) => room(id, 'order:'),
    order: (id: string, order: string) => room(id, `order:${order}`),
    /** A refused request's marker, by the id of the record the request would have made. */
    request: (id: string, record: string) => room(id, `request:${record}`),
    issuedCoupon: (id: string, coupon: string) => room(id, `issued-coupon:${coupon}`),
    /** Which room an order belongs to, for reads by order id. */
    orderRooms: () => `${prefix}:order-rooms`,
    /** Reservations by creation time, until the settle sweep sees them leave `reserved`. */
    unsettledOrders: () => `${prefix}:unsettled-orders`,
    /**
     * Due work of every room (pay deadlines, campaign clocks). One key outside the room slots: on
     * Redis Cluster it would be split per slot.
     */
    schedule: () => `${prefix}:schedule`,
    /** WeCom routing: few keys, read at routing time and written by callbacks. */
    wecomPools: () => `${prefix}:wecom:pools`,
    wecomGroupNames: (pool: string) => `${prefix}:wecom:pool:${pool}:group-names`,
    wecomGroupMembers: (pool: string) => `${prefix}:wecom:pool:${pool}:group-members`,
    wecomChatPools: () => `${prefix}:wecom:chat-pools`,
    /** The unionids of a group's members at its last `groupchat/get`. */
    wecomRoster: (chatId: string) => `${prefix}:wecom:roster:${chatId}`,
    wecomJoinWays: (pool: string) => `${prefix}:wecom:pool:${pool}:join-ways`,
    wecomStates: () => `${prefix}:wecom:states`,
    wecomRouted: () => `${prefix}:wecom:routed`,
    wecomJoined: (room: string, pool: string) => `${prefix}:wecom:joined:{${room}}:${pool}`,
    wecomJoinedIndex: () => `${prefix}:wecom:joined-index`,
    wecomBuyers: (room: string) => `${prefix}:wecom:buyers:{${room}}`,
    roomChannel: (id: string) => `${prefix}:bus:room:{${id}}`,
    userChannel: (uid: string) => `${prefix}:bus:user:${uid}`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
