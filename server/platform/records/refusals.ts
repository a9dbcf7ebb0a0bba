import { refused, type ErrorCode } from '../../protocol/errors.ts';

/** Negative results of the commerce scripts (see each script's header), in one place. */
const codes: Record<number, ErrorCode> = {
  [-1]: 'not_found',
  [-2]: 'not_started',
  [-3]: 'ended',
  [-4]: 'sold_out',
  [-5]: 'limit_reached',
  [-6]: 'forbidden',
  [-7]: 'already_done',
  [-8]: 'expired',
  [-9]: 'not_eligible',
  [-10]: 'group_full',
  [-11]: 'self_help',
  [-12]: 'banned',
  [-13]: 'muted',
};

/**
 * A refusal is a value: the same code for the same thing is one shared instance (a storm refuses
 * thousands of taps with "flash sale s1: sold out"; nothing changes a RoomcastError once made).
 */
const made = new Map<string, ReturnType<typeof refused>>();
const MAX_KEPT = 1000;

export function refusal(code: number, what: string) {
  const key = `${code}\n${what}`;
  let error = made.get(key);
  if (!error) {
    if (made.size >= MAX_KEPT) made.clear();
    made.set(key, (error = refused(codes[code] ?? 'internal', what)));
  }
  return error;
}
