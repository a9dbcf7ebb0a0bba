/** <rc-ticker room scope>: "just bought" and comments, as the server samples them; the last few, as <rc-ticker> shows them. */
const { attachModel, detachModel, RoomFeedModel, label } = require('../../roomcast-sdk.js');

Component({
  options: { styleIsolation: 'apply-shared' },
  properties: { room: String, scope: { type: String, value: '' } },
  data: { lines: [] },
  lifetimes: {
    attached() {
      attachModel(this, (joined, paint) => new RoomFeedModel(joined.client, joined.room, (what) => what === 'feed' && paint()));
    },
    detached() {
      detachModel(this);
    },
  },
  methods: {
    paint() {
      const bought = label(this.lang, 'justBought');
      const lines = this.model.lines.map((l, i) => ({ key: i, kind: l.kind, text: l.kind === 'bought' ? `${l.name} ${bought} ${l.product}` : `${l.name}: ${l.text}` }));
      this.setData({ lines });
    },
  },
});
