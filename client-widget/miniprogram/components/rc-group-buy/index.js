/**
 * <rc-group-buy room campaign group scope>: open a group (or join the one named, as from a share
 * link), then its seats filling live, as the Web Component <rc-group-buy> shows them (the same
 * model, GroupBuyModel, and labels). Share is the page's: the button is `open-type="share"` with the
 * group id in `data-group`, which the page's onShareAppMessage puts in the shared path.
 */
const { modelComponent, GroupBuyModel, label } = require('../../roomcast-sdk.js');

Component(modelComponent({
  properties: { campaign: String, group: { type: String, value: '' } },
  data: { id: '', members: 0, size: 0, status: '', seats: '', action: '', share: '', error: '' },
  model: (joined, component, paint) => new GroupBuyModel(joined.client, joined.room, component.data.campaign, component.data.group || undefined, paint),
  paint() {
    const t = (key) => label(this.lang, key);
    const g = this.model.group;
    this.setData({
      id: g ? g.id : '', members: g ? g.members : 0, size: g ? g.size : 0, status: g ? g.status : '', seats: g ? `${g.members}/${g.size} ${t('seats')}` : '',
      action: this.data.group ? t('joinGroup') : t('openGroup'), share: t('share'), error: this.model.error,
    });
  },
  methods: {
    async act() {
      const group = this.model && (await this.model.act());
      if (group) this.triggerEvent('group', group);
    },
  },
}));
