/**
 * A WeCom group's page: ?chat=demo-group. The member's token lists the group in `chats` (the brand's
 * backend knows who is in which group from WeCom); the components take the newest open check-in,
 * lucky draw and red packet of the group, or the ones named (&checkin=&draw=&packet=).
 */
const { session } = require('../../session.js');

Component({
  data: { room: '', checkin: '', draw: '', packet: '', wsUrl: '', token: '', error: '' },
  methods: {
    async onLoad(query) {
      const q = Object.assign({ chat: 'demo-group', checkin: '', draw: '', packet: '' }, query);
      this.setData({ room: `group:${q.chat}`, checkin: q.checkin, draw: q.draw, packet: q.packet });
      try {
        const { token, wsUrl } = await session(q, { chats: q.chat });
        this.setData({ token, wsUrl });
      } catch (err) {
        this.setData({ error: err.message });
      }
    },
    onShareAppMessage() {
      return { title: '群活动', path: `/pages/group/index?chat=${this.data.room.slice('group:'.length)}` };
    },
  },
});
