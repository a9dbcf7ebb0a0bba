import { hash } from 'node:crypto';

/**
 * Ids derived from who asked and their request id (`o…` orders, `c…` coupons, `g…` groups, `a…` assists, `h…` helps): a repeated request
 * names the same record, so a retry can never create a second one. 20 characters of [A-Za-z0-9],
 * safe as a mall's order number.
 */
export function idForRequest(prefix: 'o' | 'c' | 'g' | 'a' | 'h', room: string, campaign: string, user: string, requestId: string): string {
  // One-shot hash: no Hash object per decision (this runs for every tap of a storm).
  const digest = hash('sha256', `${room}\n${campaign}\n${user}\n${requestId}`, 'base64url');
  return prefix + digest.replace(/[-_]/g, '').slice(0, 19);
}
