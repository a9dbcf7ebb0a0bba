/**
 * The live room's page: ?room=demo&sale=flash&campaign=pots&assist=friends, and from a share
 * &group= (join a friend's group-buy) or &code= (help a friend's assist). The share buttons of
 * rc-group-buy and rc-assist are open-type="share": onShareAppMessage puts the group id or the share
 * code in the shared path. Built with Component(), as WeChat allows for pages, so that tests render
 * it with miniprogram-simulate like any component.
 */
const { session } = require('../../session.js');

Component({
  data: { room: '', sale: '', campaign: '', assist: '', group: '', code: '', wsUrl: '', token: '', error: '' },
  methods: {
    async onLoad(query) {
      const q = Object.assign({ room: 'demo', sale: 'flash', campaign: 'pots', assist: 'friends', group: '', code: '' }, query);
      this.setData({ room: q.room, sale: q.sale, campaign: q.campaign, assist: q.assist, group: q.group, code: q.code });
      try {
        const { token, wsUrl } = await session(q, q.tags ? { tags: q.tags } : {});
        this.setData({ token, wsUrl });
      } catch (err) {
        this.setData({ error: err.message });
      }
    },
    onShareAppMessage(res) {
      const { room, sale, campaign, assist } = this.data;
      const data = (res && res.target && res.target.dataset) || {};
      const shared = data.group ? `&group=${data.group}` : data.code ? `&code=${data.code}` : '';
      return { title: '一起来抢', path: `/pages/live/index?room=${room}&sale=${sale}&campaign=${campaign}&assist=${assist}${shared}` };
    },
  },
});
