import type { ParticipationEvent } from '../../participation/events.ts';
import type { Sink } from '../../participation/crm.ts';
import { tagNamesOf } from './names.ts';
import type { Tagger } from './tagger.ts';

/** Viewers tagged at once: WeCom counts concurrent calls too (45033 past about ten). */
const IN_FLIGHT = 8;

/**
 * WeCom corp tags as a participation sink: a batch of events becomes, per viewer, the tags their
 * events name (`rules`), marked in one `mark_tag` call per viewer; the per-API minute budget
 * (api/budget.ts) paces the calls, so a 5,000-buyer storm drains at the budget, not into 45009. A
 * failed call sends the batch again; the viewers tagged already are not tagged twice.
 */
export function wecomTags(tagger: Tagger, rules: Readonly<Record<string, string>>): Sink {
  return {
    types: Object.keys(rules),
    batchSize: 100,
    async deliver(events) {
      const byViewer = new Map<string, Set<string>>();
      for (const line of events) {
        const event = JSON.parse(line) as ParticipationEvent;
        if (!event.user) continue;
        const names = byViewer.get(event.user) ?? new Set<string>();
        for (const name of tagNamesOf(event, rules)) names.add(name);
        byViewer.set(event.user, names);
      }
      const work = [...byViewer].filter(([, names]) => names.size);
      let failed = false;
      await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, work.length) }, async () => {
        for (let next = work.shift(); next && !failed; next = work.shift()) {
          await tagger.tag(next[0], [...next[1]]).catch((err: unknown) => {
            failed = true;
            throw err;
          });
        }
      }));
      return { ok: true };
    },
  };
}
