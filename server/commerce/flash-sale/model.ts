import type { FlashSaleView } from '../../protocol/views.ts';

/** A flash sale as stored: what everyone sees of it, and its room. */
export interface FlashSale extends FlashSaleView {
  room: string;
}
