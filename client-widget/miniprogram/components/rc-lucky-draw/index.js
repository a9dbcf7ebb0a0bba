/**
 * <rc-lucky-draw room game scope>: the prizes, entries live, the countdown to the draw, entering (a
 * tap, or the keyword to comment), then the winners with this member's own win, and verify: the
 * winners recomputed on the phone from the revealed seed. The same model (LuckyDrawModel) and labels
 * as the Web Component <rc-lucky-draw>. Without `game`, the newest open draw of the group.
 */
const { modelComponent, LuckyDrawModel, label, clock } = require('../../roomcast-sdk.js');

Component(modelComponent({
  properties: { game: { type: String, value: '' } },
  data: { id: '', status: '', title: '', entries: '', prizes: [], countdown: '', keyword: '', button: {}, drawn: false, won: '', winners: [], winnersLabel: '', verify: {} },
  model: (joined, component, paint) => new LuckyDrawModel({ client: joined.client, room: joined.room, you: joined.you }, component.data.game || undefined, paint),
  ticking: (m) => m.countdown() !== undefined,
  paint() {
    const m = this.model;
    const t = (key) => label(this.lang, key);
    const game = m.game;
    if (!game) return this.setData({ id: '' });
    const left = m.countdown();
    const won = m.won();
    const v = m.verification;
    this.setData({
      id: game.id, status: game.status, title: game.title, entries: `${m.entries()} ${t('entries')}`,
      prizes: game.prizes.map((p) => `${p.name} ×${p.count}`),
      countdown: left === undefined ? '' : left === 'drawing' ? t('drawing') : `${t('drawIn')} ${clock(left)}`,
      keyword: game.entry === 'comment' && game.status === 'open' ? `${t('commentToEnter')} ${game.keyword}` : '',
      button: m.button({ idle: t('enterDraw'), done: t('entered'), already_done: t('entered'), not_eligible: t('checkInFirst'), ended: t('closed') }, t),
      drawn: game.status === 'drawn', won: won ? `${t('youWon')} ${won.prize}` : '',
      winnersLabel: (game.winners || []).length ? t('winners') : t('noWinners'),
      winners: (game.winners || []).map((w) => ({ user: w.user, prize: w.prize, me: w.user === m.scope.you })),
      verify: { state: v.state, text: { idle: t('verify'), busy: t('verifying'), ok: t('verified'), failed: t('verifyFailed') }[v.state], reason: v.reason || '' },
    });
  },
  methods: {
    act() {
      if (this.model && this.data.button.enabled) this.model.act();
    },
    verify() {
      if (this.model && this.data.drawn) this.model.verify();
    },
  },
}));
