/** The SDK: `import { RoomcastClient } from 'roomcast'`. */
export { RoomcastClient, State, type ClientOptions, type EventMap, type RoomEvent, type RoomView, type Order, type GroupView, type AssistView } from './sdk/client.ts';
export { RoomcastError } from './sdk/errors.ts';
export { browserSocket, wxSocket, type SocketLike, type WxLike } from './sdk/socket.ts';
