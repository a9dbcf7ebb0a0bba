import type { Logger } from '../../observability/logger.ts';
import { WeComApiError, type WeComClient } from '../api/client.ts';
import type { CorpTags } from './corp-tags.ts';
import type { KnownContact, TagStore } from './store.ts';

/** WeCom: the customer is not that staff member's (any more): there is no pair to tag. */
const NOT_A_CUSTOMER = 84061;
/** WeCom: no such customer. */
const UNKNOWN_CUSTOMER = 40096;
/** WeCom: no such tag (deleted in the admin console). */
const UNKNOWN_TAG = 40068;

export type TagOutcome = 'tagged' | 'pending' | 'already';

export interface TaggerEvents {
  tagged(outcome: TagOutcome): void;
  /** The app lacks a permission (48002 and kin): said once per API and errcode. */
  missingPermission(api: string, errcode: number): void;
}

/**
 * Corp tags on viewers, as far as WeCom allows (../shared/reference §6): a tag hangs on a (staff
 * member, customer) pair, so a viewer is tagged on the pair with the first member they added; a
 * viewer who is no member's customer (only in a group, or not in WeCom at all: 84061) keeps their
 * tags pending until the `add_external_contact` callback makes them one. A self-built app has no
 * unionid -> external_userid call, so the index is Roomcast's own, from `externalcontact/get` on
 * each contact callback. A tag is marked once per viewer (the marks are kept). Pending names leave
 * the store only once they are on the customer, and every tagging of a customer takes their pending
 * names along, so a node that dies while it tags loses none: the next callback or event delivers them.
 */
export class Tagger {
  private readonly saidMissing = new Set<string>();

  constructor(
    private readonly client: WeComClient,
    private readonly store: TagStore,
    private readonly corpTags: CorpTags,
    private readonly log: Logger,
    private readonly events: TaggerEvents,
  ) {}

  /** Puts the named tags on the viewer (their unionid, the token's `sub`), or keeps them pending. */
  async tag(unionId: string, names: readonly string[]): Promise<TagOutcome> {
    const outcome = await this.tryTag(unionId, names);
    this.events.tagged(outcome);
    return outcome;
  }

  /**
   * A `change_external_contact` callback: the customer's pairs changed (added a member, was
   * deleted, edited). Their contact is read again and kept; once they are someone's customer, the
   * tags pending for them go on.
   */
  async onContactChange(externalUserId: string): Promise<void> {
    let followUsers: string[] = [];
    let unionId: string | undefined;
    try {
      const contact = await this.client.getExternalContact(externalUserId);
      ({ followUsers, unionId } = contact);
    } catch (err) {
      if (!(err instanceof WeComApiError && (err.errcode === UNKNOWN_CUSTOMER || err.errcode === NOT_A_CUSTOMER))) throw this.said(err);
    }
    if (!unionId) {
      this.log.warn({ externalUserId }, 'wecom: a customer without a unionid (is the corp bound to the brand\'s Open Platform account?): cannot be matched to a viewer');
      return;
    }
    await this.store.saveContact(unionId, { externalUserId, followUsers });
    if (!followUsers.length || !(await this.store.pending(unionId)).length) return;
    await this.store.putting(unionId);
    await this.putPending(unionId);
  }

  /**
   * A node that died while putting a customer's pending tags on left them listed, and WeCom's
   * retried callback is a duplicate by then: each one listed for longer than `graceMs` is tried
   * again (on the reconcile pass).
   */
  async sweepPending(graceMs: number): Promise<void> {
    for (const unionId of await this.store.stalled(Date.now() - graceMs)) {
      await this.putPending(unionId).catch((err: unknown) => this.log.warn({ err, unionId }, 'wecom: pending tags not put on; next sweep'));
    }
  }

  /**
   * The customer's pending tags, on (not counted as a tagging: no event asked for it); a customer
   * no one's any more leaves the sweep's list (a callback brings them back).
   */
  private async putPending(unionId: string): Promise<void> {
    if ((await this.tryTag(unionId, [])) === 'pending') await this.store.notPutting(unionId);
    // Their pending names were put on (by this call or another node's): off the list, unless more came meanwhile.
    else await this.store.unpend(unionId, []);
  }

  /** Puts `names` and the viewer's pending names on the customer, or keeps `names` pending. */
  private async tryTag(unionId: string, names: readonly string[]): Promise<TagOutcome> {
    const [contact, pending] = await Promise.all([this.store.contact(unionId), this.store.pending(unionId)]);
    if (!contact?.followUsers.length) {
      await this.store.addPending(unionId, names);
      // The callback that makes them a customer may have come between the read and the write:
      // then it found nothing pending, and the names would wait for a callback that never comes.
      if (!(await this.store.contact(unionId))?.followUsers.length) return 'pending';
      return this.tryTag(unionId, names);
    }
    const outcome = await this.markOn(unionId, contact, [...new Set([...names, ...pending])]);
    if (outcome !== 'pending' && pending.length) await this.store.unpend(unionId, pending);
    return outcome;
  }

  /** Marks the named tags on the customer's pair with their first member, each tag once. */
  private async markOn(unionId: string, contact: KnownContact, names: readonly string[]): Promise<TagOutcome> {
    for (let attempt = 0; ; attempt++) {
      const ids = await this.corpTags.idsOf(names).catch((err: unknown) => {
        throw this.said(err);
      });
      const todo = await this.store.unmarked(unionId, [...new Set(ids.values())]);
      if (!todo.length) return 'already';
      try {
        await this.client.markTag(contact.followUsers[0]!, contact.externalUserId, todo);
        await this.store.markDone(unionId, todo);
        return 'tagged';
      } catch (err) {
        // The member deleted them meanwhile: pending until a callback says whose customer they are.
        if (err instanceof WeComApiError && err.errcode === NOT_A_CUSTOMER) {
          await this.store.addPending(unionId, names);
          return 'pending';
        }
        // A tag deleted in the admin console: made again, once.
        if (err instanceof WeComApiError && err.errcode === UNKNOWN_TAG && attempt === 0) {
          await this.corpTags.forget(names);
          continue;
        }
        throw this.said(err);
      }
    }
  }

  /** A missing permission is named once (per API and errcode), with what fixes it; the error goes on. */
  private said(err: unknown): unknown {
    if (!(err instanceof WeComApiError && err.missingPermission)) return err;
    const key = `${err.api}:${err.errcode}`;
    if (!this.saidMissing.has(key)) {
      this.saidMissing.add(key);
      this.events.missingPermission(err.api, err.errcode);
      this.log.error({ api: err.api, errcode: err.errcode },
        `wecom: the app may not call ${err.api} (errcode ${err.errcode}): list it under 客户联系 → 可调用接口的应用 (and trust this server's IP); tags wait and go on once it may`);
    }
    return err;
  }
}
