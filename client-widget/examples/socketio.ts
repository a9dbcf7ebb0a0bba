import { io } from 'socket.io-client';

/**
 * For teams already on socket.io: the same room over Roomcast's socket.io transport. Ops are events
 * with an acknowledgement ({ ok, data } or { ok: false, error: { code } }); the server's frames
 * arrive as `batch` (room events and state) and `user` (personal events) events.
 */
export async function followRoom(serverUrl: string, token: string, room: string, onEvent: (type: string, data: unknown) => void) {
  const socket = io(serverUrl, { path: '/socket.io/', auth: { token }, transports: ['websocket'] });
  const deliver = (frame: { events?: Array<{ type: string; data: unknown }>; state?: Record<string, unknown> }) => {
    for (const event of frame.events ?? []) onEvent(event.type, event.data);
    for (const [key, value] of Object.entries(frame.state ?? {})) onEvent(`state:${key}`, value);
  };
  socket.on('batch', deliver);
  socket.on('user', deliver);
  const joined = await socket.timeout(5000).emitWithAck('join', { room });
  if (!joined.ok) throw new Error(`join refused: ${joined.error.code}`);
  const buy = (sale: string, requestId: string) => socket.timeout(5000).emitWithAck('flash.buy', { room, sale, requestId });
  return { snapshot: joined.data.snapshot, buy, close: () => socket.close() };
}
