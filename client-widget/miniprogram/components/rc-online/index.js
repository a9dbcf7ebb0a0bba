/** <rc-online room scope>: viewers watching now (state `online`), as the Web Component <rc-online> shows it. */
const { modelComponent, RoomFeedModel, label } = require('../../roomcast-sdk.js');

Component(modelComponent({
  data: { online: 0, label: '' },
  model: (joined, _component, paint) => new RoomFeedModel(joined.client, joined.room, (what) => what === 'online' && paint()),
  paint() {
    this.setData({ online: this.model.count('online'), label: label(this.lang, 'online') });
  },
}));
