/**
 * <rc-flash-sale room sale scope>: the sale's product and price, a stock bar that follows `left`
 * live, a countdown to the start, and the buy button (idle, buying, bought, sold out, limit
 * reached, ended), as the Web Component <rc-flash-sale> shows them: the same model (FlashSaleModel)
 * and labels. It never shows a unit the server has not confirmed.
 */
const { modelComponent, FlashSaleModel, label, yuan, clock, orderLabel } = require('../../roomcast-sdk.js');

Component(modelComponent({
  properties: { sale: String },
  data: { phase: 'soon', label: '', title: '', price: '', left: 0, stock: 0, percent: 0, leftLabel: '', order: '', orderState: '' },
  model: (joined, component, paint) => new FlashSaleModel(joined.client, joined.room, component.data.sale, paint),
  ticking: (m) => m.phase === 'soon',
  paint() {
    const m = this.model;
    const t = (key) => label(this.lang, key);
    const startsIn = m.startsIn();
    const labels = { idle: t('buy'), buying: t('buying'), bought: t('bought'), soldOut: t('soldOut'), limit: t('limit'), ended: t('ended'), soon: startsIn ? `${t('startsIn')} ${clock(startsIn)}` : t('soon') };
    const stock = m.sale ? m.sale.stock : 0;
    const left = m.left;
    this.setData({
      phase: m.phase, label: labels[m.phase], title: m.sale ? m.sale.product.title : '', price: m.sale ? yuan(m.sale.price) : '',
      left, stock, percent: stock ? Math.round((100 * left) / stock) : 0, leftLabel: `${t('left')} ${left}`,
      order: m.order ? `${t('order')}: ${t(orderLabel(m.order.state))}` : '', orderState: m.order ? m.order.state : '',
    });
  },
  methods: {
    buy() {
      if (this.model && this.model.phase === 'idle') this.model.buy();
    },
  },
}));
