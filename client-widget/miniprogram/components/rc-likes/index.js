/** <rc-likes room scope>: the room's likes (state `likes`, summed by the server) and a like button, as <rc-likes> shows them. */
const { attachModel, detachModel, RoomFeedModel, label } = require('../../roomcast-sdk.js');

Component({
  options: { styleIsolation: 'apply-shared' },
  properties: { room: String, scope: { type: String, value: '' } },
  data: { likes: 0, label: '' },
  lifetimes: {
    attached() {
      attachModel(this, (joined, paint) => new RoomFeedModel(joined.client, joined.room, (what) => what === 'likes' && paint()));
    },
    detached() {
      detachModel(this);
    },
  },
  methods: {
    paint() {
      this.setData({ likes: this.model.count('likes'), label: label(this.lang, 'like') });
    },
    like() {
      if (this.model) this.model.like();
    },
  },
});
