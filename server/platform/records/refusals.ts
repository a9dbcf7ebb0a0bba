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
};

export function refusal(code: number, what: string) {
  return refused(codes[code] ?? 'internal', what);
}
