import { createHash } from 'node:crypto';
import type { ParticipationEvent } from '../../participation/events.ts';

/** WeCom's limit on a tag's name, in characters. */
const MAX_TAG_NAME = 30;
/** A shortened room keeps its start, `~` and this many characters of its hash. */
const HASH_CHARS = 4;

/**
 * The corp tags an event puts on its viewer: the rule for its type (config `wecom.tags.rules`, such
 * as `order.paid: "直播{room}-已购"`) with `{room}` filled in.
 */
export function tagNamesOf(event: ParticipationEvent, rules: Readonly<Record<string, string>>): string[] {
  const rule = rules[event.type];
  return rule ? [tagName(rule, event.room)] : [];
}

/**
 * Within WeCom's 30 characters: a room too long for its place keeps its start and a short hash of
 * the whole, so the rule's own words (`-已购`) stay and two long rooms still make two tags.
 */
export function tagName(rule: string, room: string): string {
  const places = rule.split('{room}').length - 1;
  const fixed = [...rule.replaceAll('{room}', '')].length;
  const chars = [...room];
  if (!places || fixed + places * chars.length <= MAX_TAG_NAME) return [...rule.replaceAll('{room}', room)].slice(0, MAX_TAG_NAME).join('');
  const room_ = Math.max(0, Math.floor((MAX_TAG_NAME - fixed) / places) - HASH_CHARS - 1);
  const short = `${chars.slice(0, room_).join('')}~${createHash('sha256').update(room).digest('hex').slice(0, HASH_CHARS)}`;
  return [...rule.replaceAll('{room}', short)].slice(0, MAX_TAG_NAME).join('');
}
