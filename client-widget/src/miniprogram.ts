/**
 * The mini-program build (`dist/miniprogram/roomcast-sdk.js`): the SDK, and what its components
 * (client-widget/miniprogram/components/) share with the Web Components: the models of what each
 * shows, the labels.
 */
export * from './index.ts';
export { CouponPopupModel, type CouponStatus } from './models/coupon-popup.ts';
export { FlashSaleModel, orderLabel, type FlashPhase } from './models/flash-sale.ts';
export { GroupBuyModel } from './models/group-buy.ts';
export { attachModel, detachModel, rooms, type JoinedRoom } from './models/rooms.ts';
export { clock, label, yuan, type Label } from './components/i18n.ts';
