/**
 * <rc-room url token room lang scope>: connects (wx.connectSocket through the SDK's wxPlatform),
 * joins the room and provides it to the components inside (by room name); shows reconnecting /
 * offline / refused in a banner. One socket for the page's rooms.
 */
const { RoomcastClient, wxPlatform, rooms, label } = require('../../roomcast-sdk.js');

Component({
  options: { styleIsolation: 'apply-shared' },
  properties: { url: String, token: String, room: String, lang: { type: String, value: 'zh-CN' }, scope: { type: String, value: '' } },
  data: { state: 'connecting', banner: '' },
  lifetimes: {
    attached() {
      this.start();
    },
    detached() {
      rooms.withdraw(this.data.room, this.data.scope);
      if (this.client) this.client.close();
    },
  },
  methods: {
    async start() {
      const { url, token, room, lang, scope } = this.data;
      const client = new RoomcastClient({ url, token, platform: wxPlatform(wx) });
      this.client = client;
      client.onState((state) => {
        const banner = state === 'reconnecting' ? label(lang, 'reconnecting') : state === 'offline' ? label(lang, 'offline') : '';
        this.setData({ state, banner });
      });
      try {
        await client.connect();
        const view = await client.join(room);
        rooms.provide({ client, room, lang, you: view.you }, scope);
        this.setData({ state: client.state });
        this.triggerEvent('ready', { you: view.you });
      } catch (err) {
        client.close();
        const code = (err && err.code) || 'error';
        this.setData({ state: 'refused', banner: code === 'forbidden' ? label(lang, 'forbidden') : `${label(lang, 'cannotJoin')} (${code})` });
      }
    },
  },
});
