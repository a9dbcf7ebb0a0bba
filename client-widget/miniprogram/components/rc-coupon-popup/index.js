/**
 * <rc-coupon-popup room scope>: appears on `coupon.popup` (which only the coupon's audience
 * receives), counts down to its close, and claims (claim, claimed, all gone), as the Web Component
 * <rc-coupon-popup> does: the same model (CouponPopupModel) and labels.
 */
const { attachModel, detachModel, CouponPopupModel, label, yuan } = require('../../roomcast-sdk.js');

Component({
  options: { styleIsolation: 'apply-shared' },
  properties: { room: String, scope: { type: String, value: '' } },
  data: { shown: false, status: 'open', label: '', value: '', title: '', seconds: 0, coupon: '' },
  lifetimes: {
    attached() {
      attachModel(this, (joined, paint) => new CouponPopupModel(joined.client, joined.room, paint));
    },
    detached() {
      detachModel(this);
    },
  },
  methods: {
    paint() {
      const m = this.model;
      const t = (key) => label(this.lang, key);
      if (!m.shown()) return this.setData({ shown: false });
      const labels = { open: t('claim'), claiming: '…', claimed: t('claimed'), gone: t('gone') };
      this.setData({ shown: true, status: m.status, label: labels[m.status], value: yuan(m.popup.value), title: m.popup.title, seconds: m.secondsLeft(), coupon: m.popup.coupon });
    },
    claim() {
      if (this.model) this.model.claim();
    },
  },
});
