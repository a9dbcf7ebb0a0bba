import { RoomcastError } from '../../protocol/errors.ts';
import { prizesProblem, type Prize } from '../../protocol/draw.ts';

/**
 * The server's check of a draw's prizes. It lives apart from protocol/draw.ts because the browser SDK
 * imports that file, and protocol/errors.ts does not type-check in the browser (Error.stackTraceLimit
 * is V8's).
 */
export function validatePrizes(prizes: readonly Prize[]): void {
  const problem = prizesProblem(prizes);
  if (problem) throw new RoomcastError('bad_request', problem);
}
