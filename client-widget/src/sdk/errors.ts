import type { ErrorCode } from '../../../server/protocol/errors.ts';

/**
 * Every failure the SDK reports: the protocol's error code, or the SDK's own (`disconnected`,
 * `timeout`, `unsupported`: the runtime lacks what the SDK needs), and a message.
 */
export class RoomcastError extends Error {
  override name = 'RoomcastError';
  constructor(readonly code: ErrorCode | 'disconnected' | 'timeout' | 'unsupported', message: string = code) {
    super(message);
  }
}
