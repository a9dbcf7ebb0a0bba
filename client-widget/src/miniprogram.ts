/**
 * The mini-program build (`dist/miniprogram/roomcast-sdk.js`): the SDK, and what its components
 * (client-widget/miniprogram/components/) share with the Web Components: the models of what each
 * shows, the labels.
 */
export * from './index.ts';
export { AssistModel } from './models/assist.ts';
export { CheckInModel } from './models/check-in.ts';
export { CouponPopupModel, type CouponStatus } from './models/coupon-popup.ts';
export { FlashSaleModel, orderLabel, type FlashPhase } from './models/flash-sale.ts';
export { GameModel, type GameScope, type TapButton } from './models/game.ts';
export { GroupBuyModel } from './models/group-buy.ts';
export { LuckyDrawModel, type Verification } from './models/lucky-draw.ts';
export { RedPacketModel } from './models/red-packet.ts';
export { RoomFeedModel, type FeedLine } from './models/room-feed.ts';
export { modelComponent, rooms, shareClient, type JoinedRoom, type ModelComponent, type ModelComponentSpec } from './models/rooms.ts';
export { clock, label, yuan, type Label } from './components/i18n.ts';
