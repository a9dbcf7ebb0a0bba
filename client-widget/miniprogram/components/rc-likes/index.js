/** <rc-likes room scope>: the room's likes (state `likes`, summed by the server) and a like button, as <rc-likes> shows them. */
const { modelComponent, RoomFeedModel, label } = require('../../roomcast-sdk.js');

Component(modelComponent({
  data: { likes: 0, label: '' },
  model: (joined, _component, paint) => new RoomFeedModel(joined.client, joined.room, (what) => what === 'likes' && paint()),
  paint() {
    this.setData({ likes: this.model.count('likes'), label: label(this.lang, 'like') });
  },
  methods: {
    like() {
      if (this.model) this.model.like();
    },
  },
}));
