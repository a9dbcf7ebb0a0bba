import { RoomcastError } from '../../protocol/errors.ts';

/**
 * Ceilings on one packet, not a product policy (a game's own limits belong to its settings): 10,000
 * shares keeps one split a small array and 20,000,000 fen (200,000 yuan) keeps every sum an exact
 * integer. They are looser than WeChat's own group red packets, which stop at 200 yuan a share.
 */
export const MAX_SHARES = 10_000;
export const MAX_TOTAL_FEN = 20_000_000;

/**
 * Splits `totalFen` into `count` shares by the "double mean" rule (二倍均值法): each share but the
 * last is a uniform integer in [1, max], max being twice the mean of what remains, lowered so that
 * every later share can still have 1 fen; the last share takes the rest. Every share is at least
 * 1 fen and the shares add up to `totalFen` exactly. Each share's expected value is close to the
 * overall mean, so grabbing early or late is about equally fair; late shares only vary more.
 */
export function splitRedPacket(totalFen: number, count: number, random: () => number = Math.random): number[] {
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_SHARES) {
    throw new RoomcastError('bad_request', `a red packet has 1 to ${MAX_SHARES} shares (got ${count})`);
  }
  if (!Number.isSafeInteger(totalFen) || totalFen > MAX_TOTAL_FEN) {
    throw new RoomcastError('bad_request', `a red packet holds a whole number of fen, at most ${MAX_TOTAL_FEN} (got ${totalFen})`);
  }
  if (totalFen < count) {
    throw new RoomcastError('bad_request', `${totalFen} fen cannot give each of ${count} shares at least 1 fen`);
  }
  const shares: number[] = [];
  let remaining = totalFen;
  for (let left = count; left > 1; left--) {
    const max = Math.min(Math.floor((2 * remaining) / left), remaining - (left - 1));
    const share = 1 + Math.floor(random() * max);
    shares.push(share);
    remaining -= share;
  }
  shares.push(remaining);
  return shares;
}
