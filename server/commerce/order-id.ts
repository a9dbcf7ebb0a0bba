import { createHash } from 'node:crypto';

/**
 * An order id derived from who asked and their request id: a repeated request names the same order,
 * so retries can never create a second one. 20 base32-ish characters, safe for a mall's order no.
 */
export function orderIdFor(room: string, campaign: string, user: string, requestId: string): string {
  const digest = createHash('sha256').update(`${room}\n${campaign}\n${user}\n${requestId}`).digest('base64url');
  return `o${digest.replace(/[-_]/g, '').slice(0, 19)}`;
}
