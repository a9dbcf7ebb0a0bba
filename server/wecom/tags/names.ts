import type { ParticipationEvent } from '../../participation/events.ts';

/** WeCom's limit on a tag's name, in characters. */
const MAX_TAG_NAME = 30;

/**
 * The corp tags an event puts on its viewer: the rule for its type (config `wecom.tags.rules`, such
 * as `order.paid: "直播{room}-已购"`) with `{room}` filled in, cut to WeCom's 30 characters.
 */
export function tagNamesOf(event: ParticipationEvent, rules: Readonly<Record<string, string>>): string[] {
  const rule = rules[event.type];
  if (!rule) return [];
  return [[...rule.replaceAll('{room}', event.room)].slice(0, MAX_TAG_NAME).join('')];
}
