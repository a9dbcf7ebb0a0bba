import { Immutable } from '../../platform/batch/immutable.ts';
import { RoomcastError } from '../../protocol/errors.ts';
import type { Identity } from '../../protocol/frames.ts';
import type { OfferTerms } from '../../protocol/views.ts';
import { inAudience } from './audience.ts';

/** Viewers known to have paid, kept per node before it starts over (a mark never goes away). */
const MAX_KNOWN_PAYERS = 200_000;

/**
 * Who may take an offer: a viewer in its audience (their token's tags and channel), and, for a
 * first-order-only offer (新人购), with no paid order yet. Checked before the decision, like a
 * coupon's audience: an offer's terms never change once made, so they are read once per node, and
 * "has paid" only ever turns true, so a viewer seen to have paid is not asked about again.
 */
export class Eligibility {
  private readonly terms = new Immutable<OfferTerms>();
  private readonly payers = new Set<string>();

  constructor(private readonly hasPaid: (user: string) => Promise<boolean>) {}

  /**
   * `not_eligible` when the viewer may not take the offer `key` (`load` reads its terms; an offer
   * not found is left to the decision, which answers `not_found`).
   */
  async admit(viewer: Identity, key: string, load: () => Promise<OfferTerms | undefined>): Promise<void> {
    const terms = await this.termsOf(key, load);
    if (!terms) return;
    if (!inAudience(viewer, terms.audience)) throw new RoomcastError('not_eligible', 'this offer is for another audience');
    if (terms.firstOrderOnly && (await this.paid(viewer.sub))) throw new RoomcastError('not_eligible', 'this offer is for first orders only: you have paid an order before');
  }

  /** The offer's terms, read once per node (for its announcements' topics too). */
  termsOf(key: string, load: () => Promise<OfferTerms | undefined>): Promise<OfferTerms | undefined> {
    return this.terms.get(key, async () => {
      const offer = await load();
      return offer && termsOf(offer);
    });
  }

  private async paid(user: string): Promise<boolean> {
    if (this.payers.has(user)) return true;
    if (!(await this.hasPaid(user))) return false;
    if (this.payers.size >= MAX_KNOWN_PAYERS) this.payers.clear();
    this.payers.add(user);
    return true;
  }
}

/** An offer's terms as kept on it (absent fields: everyone, any order). */
export function termsOf(offer: OfferTerms): OfferTerms {
  return { ...(offer.audience ? { audience: offer.audience } : {}), ...(offer.firstOrderOnly ? { firstOrderOnly: true } : {}) };
}
