import { RoomcastError } from '../../protocol/errors.ts';
import { WeComApiError, WeComUnavailable } from '../api/client.ts';

/** WeCom failing is the caller's `unavailable` (503), saying what WeCom said; our own refusals pass. */
export function asRefusal(err: unknown): unknown {
  if (err instanceof WeComApiError || err instanceof WeComUnavailable) return new RoomcastError('unavailable', err.message);
  return err;
}
