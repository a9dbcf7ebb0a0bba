import type { ErrorCode } from './errors.ts';

/** Types shared by the server and the client widget; no runtime code here. */

export type Priority = 'critical' | 'state' | 'chatter';

/** One event inside a frame. Critical events carry their room's seq; chatter carries none. */
export interface RoomEvent<T = unknown> {
  type: string;
  data: T;
  seq?: number;
  /** Server time (epoch ms) when the event was created: clients measure latency against it. */
  ts: number;
}

/** Once per room tick per topic, when there is anything to send. */
export interface BatchFrame {
  t: 'batch';
  room: string;
  /** The last critical seq of the room this node has seen: a resume cursor, not a gap detector. */
  seq: number;
  events: RoomEvent[];
  state: Record<string, unknown>;
  dropped?: Record<string, number>;
}

/** Personal events from `user:{uid}`. */
export interface UserFrame {
  t: 'user';
  events: RoomEvent[];
}

export type ReplyFrame =
  | { re: number; ok: true; data?: unknown }
  | { re: number; ok: false; error: { code: ErrorCode; message: string } };

export type ServerFrame = BatchFrame | UserFrame;

/** What `join` answers. `missed` is present when a resume could be served from history. */
export interface JoinResult {
  snapshot: RoomSnapshot;
  seq: number;
  resumed: boolean;
  missed?: RoomEvent[];
  /** The viewer's own opaque id in this room: how comments, draws and grabs name them to others. */
  you: { id: string };
}

export interface RoomSnapshot {
  room: RoomInfo;
  pinned: Product | null;
  online: number;
  state: Record<string, unknown>;
  campaigns: unknown[];
}

export type RoomStatus = 'created' | 'live' | 'ended';

export interface RoomInfo {
  id: string;
  title: string;
  status: RoomStatus;
  createdAt: number;
  startedAt?: number;
  endedAt?: number;
  pinned?: Product | null;
}

export interface Product {
  id: string;
  title: string;
  price: number;
  image?: string;
}

export type Role = 'viewer' | 'host' | 'manager';

/** Who is on the other end of a connection, from the verified JWT. */
export interface Identity {
  sub: string;
  name: string;
  avatar?: string;
  role: Role;
  tags: string[];
  channel?: string;
  /**
   * WeCom customer groups (chat ids) the user belongs to, or as a manager (`role: manager`) runs;
   * a group room `group:{chat}` admits only them.
   */
  chats?: string[];
  /** The rooms a host (`role: host`) runs: host ops on any other room are `forbidden`. */
  rooms?: string[];
}
