import type { ErrorCode } from '../../../server/protocol/errors.ts';

/** Every failure the SDK reports: the protocol's error code (or `disconnected`, `timeout`) and a message. */
export class RoomcastError extends Error {
  override name = 'RoomcastError';
  constructor(readonly code: ErrorCode | 'disconnected' | 'timeout', message: string = code) {
    super(message);
  }
}
