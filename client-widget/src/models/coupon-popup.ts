import type { CouponPopupEvent } from '../../../server/protocol/events.ts';
import type { RoomcastClient } from '../sdk/client.ts';

export type CouponStatus = 'open' | 'claiming' | 'claimed' | 'gone';

/**
 * The room's coupon pop-up as a viewer sees it, for every renderer (`<rc-coupon-popup>`, the
 * mini-program `rc-coupon-popup`): it appears on `coupon.popup`, which only the coupon's audience
 * receives, counts down to its close, and claims (open, claiming, claimed, gone). `changed` is
 * called after every change and once a second while it is shown; `dispose` stops all of it.
 */
export class CouponPopupModel {
  popup: CouponPopupEvent | undefined;
  status: CouponStatus = 'open';
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly off: () => void;

  constructor(private readonly client: RoomcastClient, private readonly room: string, private readonly changed: () => void) {
    this.off = client.on('coupon.popup', (e) => {
      if (e.room && e.room !== room) return;
      this.popup = e.data as CouponPopupEvent;
      this.status = 'open';
      clearInterval(this.timer);
      this.timer = setInterval(() => {
        if (!this.shown()) clearInterval(this.timer);
        changed();
      }, 1000);
      changed();
    });
  }

  /** A pop-up is up and its window still open. */
  shown(now = Date.now()): boolean {
    return this.popup !== undefined && this.popup.closesAt > now;
  }

  secondsLeft(now = Date.now()): number {
    return this.popup ? Math.max(0, Math.ceil((this.popup.closesAt - now) / 1000)) : 0;
  }

  async claim(): Promise<void> {
    if (!this.popup || this.status !== 'open') return;
    this.status = 'claiming';
    this.changed();
    try {
      await this.client.claim(this.room, this.popup.coupon);
      this.status = 'claimed';
    } catch (err) {
      this.status = (err as { code?: string })?.code === 'already_done' ? 'claimed' : 'gone';
    }
    this.changed();
  }

  dispose(): void {
    this.off();
    clearInterval(this.timer);
  }
}
