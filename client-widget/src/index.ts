/** The SDK: `import { RoomcastClient } from 'roomcast'`. */
export { RoomcastClient, type ClientOptions } from './sdk/client.ts';
export { State } from './sdk/connection.ts';
export type { EventMap, RoomEvent } from './sdk/events.ts';
export type { RoomView } from './sdk/room-view.ts';
export type { AssistView, GroupView, OrderView as Order } from '../../server/protocol/views.ts';
export { RoomcastError } from './sdk/errors.ts';
export { browserSocket, wxSocket, type SocketLike, type WxLike } from './sdk/socket.ts';
export { browserPlatform, type Platform } from './sdk/platform.ts';
export { wxPlatform, type WxPlatformApi } from './sdk/wx-platform.ts';
export type { CheckInGame, CheckInOutcome, DrawEntry, DrawGame, DrawResultEvent, Game, GameDetails, GameEndedEvent, GameKind, GameStatus, LedgerEntry, RedPacketGame } from '../../server/protocol/games.ts';
export type { OpenGameInput } from './sdk/ops.ts';
/** Anyone can recompute a lucky draw's winners from its revealed seed: the server's own code, plain TypeScript (no Web Crypto), so a phone's mini-program verifies too. */
export { verifyDraw, type DrawResult, type Prize, type Winner } from '../../server/protocol/draw.ts';
