/**
 * <rc-room url token room lang scope>: joins the room and provides it to the components inside (by
 * room name); shows reconnecting / offline / refused in a banner. Every rc-room of a page with the
 * same url and token shares one socket (wx.connectSocket through the SDK's wxPlatform).
 */
const { RoomcastClient, wxPlatform, rooms, shareClient, label } = require('../../roomcast-sdk.js');

Component({
  options: { styleIsolation: 'apply-shared' },
  properties: { url: String, token: String, room: String, lang: { type: String, value: 'zh-CN' }, scope: { type: String, value: '' } },
  data: { state: 'connecting', banner: '' },
  lifetimes: {
    attached() {
      this.start();
    },
    detached() {
      const { room, scope } = this.data;
      rooms.withdraw(room, scope);
      if (this.offState) this.offState();
      if (!this.shared) return;
      if (this.joined) this.shared.client.leave(room).catch(() => undefined);
      this.shared.release();
    },
  },
  methods: {
    async start() {
      const { url, token, room, lang, scope } = this.data;
      const shared = shareClient(url, token, scope, () => new RoomcastClient({ url, token, platform: wxPlatform(wx) }));
      this.shared = shared;
      const client = shared.client;
      this.offState = client.onState((state) => {
        const banner = state === 'reconnecting' ? label(lang, 'reconnecting') : state === 'offline' ? label(lang, 'offline') : '';
        this.setData({ state, banner });
      });
      try {
        await shared.connected;
        const view = await client.join(room);
        this.joined = true;
        rooms.provide({ client, room, lang, you: view.you }, scope);
        this.setData({ state: client.state });
        this.triggerEvent('ready', { you: view.you });
      } catch (err) {
        const code = (err && err.code) || 'error';
        this.setData({ state: 'refused', banner: code === 'forbidden' ? label(lang, 'forbidden') : `${label(lang, 'cannotJoin')} (${code})` });
      }
    },
  },
});
