/** The SDK: `import { RoomcastClient } from 'roomcast'`. */
export { RoomcastClient, State, type ClientOptions, type EventMap, type RoomEvent, type RoomView } from './sdk/client.ts';
export type { AssistView, GroupView, OrderView as Order } from '../../server/protocol/views.ts';
export { RoomcastError } from './sdk/errors.ts';
export { browserSocket, wxSocket, type SocketLike, type WxLike } from './sdk/socket.ts';
export type { CheckInGame, CheckInOutcome, DrawEntry, DrawGame, DrawResultEvent, Game, GameDetails, GameEndedEvent, GameKind, GameStatus, LedgerEntry, RedPacketGame } from '../../server/protocol/games.ts';
export type { OpenGameInput } from './sdk/ops.ts';
/** Anyone can recompute a lucky draw's winners from its revealed seed: the server's own code, Web Crypto only. */
export { verifyDraw, type DrawResult, type Prize, type Winner } from '../../server/protocol/draw.ts';
