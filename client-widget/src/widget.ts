/** SDK and components: importing this defines the `<rc-*>` elements. */
import { RcAssist, RcGroupBuy } from './components/campaigns.ts';
import { RcCheckIn } from './components/checkin.ts';
import { RcCouponPopup } from './components/coupon-popup.ts';
import { RcLikes, RcOnline, RcTicker } from './components/counters.ts';
import { RcFlashSale } from './components/flash-sale.ts';
import { RcLuckyDraw } from './components/lucky-draw.ts';
import { RcRedPacket } from './components/red-packet.ts';
import { RcRoom } from './components/room.ts';

export * from './index.ts';

const elements: Record<string, CustomElementConstructor> = {
  'rc-room': RcRoom, 'rc-flash-sale': RcFlashSale, 'rc-coupon-popup': RcCouponPopup, 'rc-group-buy': RcGroupBuy,
  'rc-assist': RcAssist, 'rc-ticker': RcTicker, 'rc-likes': RcLikes, 'rc-online': RcOnline,
  'rc-checkin': RcCheckIn, 'rc-lucky-draw': RcLuckyDraw, 'rc-red-packet': RcRedPacket,
};
for (const [name, element] of Object.entries(elements)) if (!customElements.get(name)) customElements.define(name, element);
