/** Room state keys of PROTOCOL.md for the commerce tools. */
export const leftKey = (sale: string) => `flash:${sale}:left`;
export const couponLeftKey = (campaign: string) => `coupon:${campaign}:left`;
export const groupKey = (group: string) => `group:${group}`;
