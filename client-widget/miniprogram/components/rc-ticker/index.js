/**
 * <rc-ticker room scope>: "just bought" and comments, as the server samples them; the last few (a
 * comment a host removed leaves), as <rc-ticker> shows them.
 */
const { modelComponent, RoomFeedModel, label } = require('../../roomcast-sdk.js');

Component(modelComponent({
  data: { lines: [] },
  model: (joined, _component, paint) => new RoomFeedModel(joined.client, joined.room, (what) => what === 'feed' && paint()),
  paint() {
    const bought = label(this.lang, 'justBought');
    const lines = this.model.lines.map((l, i) => ({ key: l.kind === 'comment' ? l.id : `b${i}`, kind: l.kind, text: l.kind === 'bought' ? `${l.name} ${bought} ${l.product}` : `${l.name}: ${l.text}` }));
    this.setData({ lines });
  },
}));
