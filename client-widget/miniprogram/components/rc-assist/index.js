/**
 * <rc-assist room campaign code scope>: start an assist (助力) and watch helpers reach the target, or,
 * opened from a friend's share with its `code`, help theirs, as the Web Component <rc-assist> does
 * (the same model, AssistModel, and labels). Share is the page's: the button is `open-type="share"`
 * with the share code in `data-code`, which the page's onShareAppMessage puts in the shared path.
 */
const { modelComponent, AssistModel, label } = require('../../roomcast-sdk.js');

Component(modelComponent({
  properties: { campaign: String, code: { type: String, value: '' } },
  data: { id: '', status: '', progress: '', shareCode: '', owner: false, action: '', share: '', error: '' },
  model: (joined, component, paint) => new AssistModel(joined.client, joined.room, component.data.campaign, component.data.code || undefined, paint),
  paint() {
    const t = (key) => label(this.lang, key);
    const a = this.model.assist;
    this.setData({
      id: a ? a.id : '', status: a ? a.status : '', progress: a ? `${a.helpers}/${a.target} ${t('helpers')}` : '', shareCode: a ? a.shareCode : '',
      owner: !this.model.code, action: this.model.code ? t('helpFriend') : t('startAssist'), share: t('share'), error: this.model.error,
    });
  },
  methods: {
    async act() {
      const assist = this.model && (await this.model.act());
      if (assist) this.triggerEvent('assist', assist);
    },
  },
}));
