import { RoomcastError } from '../../protocol/errors.ts';
import { prizesProblem, type Prize } from '../../protocol/draw.ts';

/**
 * The server's check of a draw's prizes: a refusal the client sees (`bad_request`). protocol/draw.ts,
 * which the browser SDK imports too, says what is wrong with plain errors.
 */
export function validatePrizes(prizes: readonly Prize[]): void {
  const problem = prizesProblem(prizes);
  if (problem) throw new RoomcastError('bad_request', problem);
}
