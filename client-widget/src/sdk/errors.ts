/** Every failure the SDK reports: the protocol's error code (or `disconnected`, `timeout`) and a message. */
export class RoomcastError extends Error {
  override name = 'RoomcastError';
  constructor(readonly code: string, message: string = code) {
    super(message);
  }
}
