/**
 * <rc-red-packet room game scope>: shares left live, the grab button, and the amount this member
 * grabbed, as the Web Component <rc-red-packet> shows them (the same model, RedPacketModel, and
 * labels). Without `game`, the newest open red packet of the group.
 */
const { modelComponent, RedPacketModel, label, yuan } = require('../../roomcast-sdk.js');

Component(modelComponent({
  properties: { game: { type: String, value: '' } },
  data: { id: '', title: '', left: 0, leftLabel: '', total: '', button: {}, amount: '' },
  model: (joined, component, paint) => new RedPacketModel({ client: joined.client, room: joined.room, you: joined.you }, component.data.game || undefined, paint),
  paint() {
    const m = this.model;
    const t = (key) => label(this.lang, key);
    if (!m.game) return this.setData({ id: '' });
    const left = m.left();
    this.setData({
      id: m.game.id, title: m.game.title, left, leftLabel: `${t('left')} ${left}/${m.game.count} ${t('shares')}`, total: yuan(m.game.total, true),
      button: m.button({ idle: t('grab'), done: t('grabbed'), already_done: t('alreadyGrabbed'), sold_out: t('gone') }, t),
      amount: m.amount === undefined ? '' : `${t('grabbed')} ${yuan(m.amount, true)}`,
    });
  },
  methods: {
    act() {
      if (this.model && this.data.button.enabled) this.model.act();
    },
  },
}));
