/** Shapes of WeCom routing shared by the service, the engines that store them and the API. */

/** Who a pool is for; every given field must match (absent: anyone). */
export interface SegmentRule {
  /** The viewer's channel (the token's `channel`: a WeCom or ad `state`). */
  channels?: string[];
  /** Any of these audience tags. */
  tags?: string[];
  /** Has (true) or has not (false) paid for an order in the room. */
  bought?: boolean;
  rooms?: string[];
}

export interface Pool {
  id: string;
  name: string;
  /** Lower first: routing takes the first pool whose rule matches. */
  priority: number;
  rule: SegmentRule;
  /** Members a group takes before it rotates out of the join way (WeCom: QR joins stop near 200). */
  cap: number;
  /** WeCom opens `<roomBaseName><n>` when every listed group is full. */
  roomBaseName: string;
  roomBaseId: number;
  createdAt: number;
}

export interface PoolGroup {
  chatId: string;
  name: string;
  /** Customers in the group, from callbacks, reconciled from `groupchat/get`. */
  members: number;
}

/** One join way per pool and room: its `state` tells a join's room. */
export interface RoomJoinWay {
  pool: string;
  room: string;
  configId: string;
  qrCode: string;
  state: string;
  /** What WeCom has now, fullest first. */
  chatIds: string[];
}

export interface RoutingFigures {
  room: string;
  pool: string;
  routed: number;
  joined: number;
}
