/** <rc-online room scope>: viewers watching now (state `online`), as the Web Component <rc-online> shows it. */
const { attachModel, detachModel, RoomFeedModel, label } = require('../../roomcast-sdk.js');

Component({
  options: { styleIsolation: 'apply-shared' },
  properties: { room: String, scope: { type: String, value: '' } },
  data: { online: 0, label: '' },
  lifetimes: {
    attached() {
      attachModel(this, (joined, paint) => new RoomFeedModel(joined.client, joined.room, (what) => what === 'online' && paint()));
    },
    detached() {
      detachModel(this);
    },
  },
  methods: {
    paint() {
      this.setData({ online: this.model.count('online'), label: label(this.lang, 'online') });
    },
  },
});
