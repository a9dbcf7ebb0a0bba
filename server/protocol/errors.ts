/** Error codes of PROTOCOL.md; stable, clients switch on them. */
export const errorCodes = [
  'bad_request', 'unauthorized', 'forbidden', 'not_found', 'rate_limited', 'not_started', 'ended',
  'sold_out', 'limit_reached', 'not_eligible', 'already_done', 'group_full', 'expired', 'self_help',
  'too_large', 'unavailable', 'internal', 'muted', 'banned',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

const httpStatus: Record<ErrorCode, number> = {
  bad_request: 400, unauthorized: 401, forbidden: 403, not_found: 404, rate_limited: 429,
  not_started: 409, ended: 409, sold_out: 409, limit_reached: 409, not_eligible: 403,
  already_done: 409, group_full: 409, expired: 410, self_help: 409, too_large: 413, unavailable: 503, internal: 500,
  muted: 403, banned: 403,
};

/** A refusal the client may see: the code is the contract, the message is for humans. */
export class RoomcastError extends Error {
  override name = 'RoomcastError';
  constructor(readonly code: ErrorCode, message: string = code) {
    super(message);
  }
  get status(): number {
    return httpStatus[this.code];
  }
  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** V8's stack depth setting; a browser's Error may have none (setting it there does nothing). */
const v8Error = Error as ErrorConstructor & { stackTraceLimit: number };

/**
 * The refusal of an action on `what` ("flash sale s1: sold out"). Refusals are answers, not faults:
 * they carry no stack trace, which in a storm (thousands of `sold_out` a second) is most of their cost.
 */
export function refused(code: ErrorCode, what: string): RoomcastError {
  const limit = v8Error.stackTraceLimit;
  v8Error.stackTraceLimit = 0;
  try {
    return new RoomcastError(code, `${what}: ${code.replace('_', ' ')}`);
  } finally {
    v8Error.stackTraceLimit = limit;
  }
}

/** Anything thrown that is not ours becomes `internal`, without leaking its message. */
export function toRoomcastError(err: unknown): RoomcastError {
  return err instanceof RoomcastError ? err : new RoomcastError('internal', 'internal error');
}

/** WebSocket close codes Roomcast uses. 1007/1009 are the standard ones PROTOCOL.md names. */
export const CloseCode = {
  goingAway: 1001,
  unparsable: 1007,
  flood: 1008,
  tooLarge: 1009,
  slowConsumer: 4008,
} as const;
