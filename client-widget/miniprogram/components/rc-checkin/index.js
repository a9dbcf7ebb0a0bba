/**
 * <rc-checkin room game scope>: how many members checked in today, the check-in button, and after it
 * the streak, the points earned and the balance, as the Web Component <rc-checkin> shows them (the
 * same model, CheckInModel, and labels). Without `game`, the newest open check-in of the group.
 */
const { modelComponent, CheckInModel, label } = require('../../roomcast-sdk.js');

Component(modelComponent({
  properties: { game: { type: String, value: '' } },
  data: { id: '', title: '', count: '', button: {}, outcome: null },
  model: (joined, component, paint) => new CheckInModel({ client: joined.client, room: joined.room, you: joined.you }, component.data.game || undefined, paint),
  paint() {
    const m = this.model;
    const t = (key) => label(this.lang, key);
    if (!m.game) return this.setData({ id: '' });
    const o = m.outcome;
    this.setData({
      id: m.game.id, title: m.game.title, count: `${m.countToday()} ${t('checkedInToday')}`,
      button: m.button({ idle: t('checkIn'), done: t('checkedIn'), already_done: t('alreadyCheckedIn') }, t),
      outcome: o ? { streak: `${t('streak')} ${o.streak}`, reward: `+${o.reward} ${t('points')}`, balance: `${t('balance')} ${o.balance}` } : null,
    });
  },
  methods: {
    act() {
      if (this.model && this.data.button.enabled) this.model.act();
    },
  },
}));
