/**
 * <rc-coupon-popup room scope>: appears on `coupon.popup` (which only the coupon's audience
 * receives), counts down to its close, and claims (claim, claimed, all gone), as the Web Component
 * <rc-coupon-popup> does: the same model (CouponPopupModel) and labels.
 */
const { modelComponent, CouponPopupModel, label, yuan } = require('../../roomcast-sdk.js');

Component(modelComponent({
  data: { shown: false, status: 'open', label: '', value: '', title: '', seconds: 0, coupon: '' },
  model: (joined, _component, paint) => new CouponPopupModel(joined.client, joined.room, paint),
  paint() {
    const m = this.model;
    const t = (key) => label(this.lang, key);
    if (!m.shown()) return this.setData({ shown: false });
    const labels = { open: t('claim'), claiming: '…', claimed: t('claimed'), gone: t('gone') };
    this.setData({ shown: true, status: m.status, label: labels[m.status], value: yuan(m.popup.value), title: m.popup.title, seconds: m.secondsLeft(), coupon: m.popup.coupon });
  },
  methods: {
    claim() {
      if (this.model) this.model.claim();
    },
  },
}));
