/**
 * The `wx` APIs the SDK calls, as WeChat's base library offers them: `wx.connectSocket`'s
 * SocketTask (no readyState, no off*) over a real socket from the `ws` package, the asynchronous
 * `wx.getRandomValues`, the network and app show/hide signals (`show()` brings the app back),
 * `wx.request` over real HTTP (JSON answers parsed, as WeChat does) and a storage.
 * `omit` leaves APIs out, as an old base library would.
 */
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';

export function fakeWx(omit: string[] = []) {
  const sockets: WebSocket[] = [];
  const shown: Array<() => void> = [];
  const storage = new Map<string, unknown>();
  const wx: Record<string, unknown> = {
    connectSocket({ url }: { url: string }) {
      const ws = new WebSocket(url);
      ws.binaryType = 'arraybuffer';
      sockets.push(ws);
      return {
        send: ({ data }: { data: ArrayBuffer }) => ws.send(new Uint8Array(data)),
        close: ({ code, reason }: { code?: number; reason?: string }) => ws.close(code, reason),
        onOpen: (cb: () => void) => ws.on('open', () => cb()),
        onMessage: (cb: (m: { data: ArrayBuffer }) => void) => ws.on('message', (data: ArrayBuffer) => cb({ data })),
        onClose: (cb: (r: { code: number; reason: string }) => void) => ws.on('close', (code: number, reason: Buffer) => cb({ code, reason: reason.toString() })),
        onError: (cb: (e: unknown) => void) => ws.on('error', (e) => cb({ errMsg: e.message })),
      };
    },
    getRandomValues({ length, success }: { length: number; success(r: { randomValues: ArrayBuffer }): void }) {
      setTimeout(() => success({ randomValues: new Uint8Array(randomBytes(length)).buffer }), 1);
    },
    request({ url, method = 'GET', success, fail }: { url: string; method?: string; success(r: { statusCode: number; data: unknown }): void; fail(e: { errMsg: string }): void }) {
      fetch(url, { method }).then(async (res) => {
        const text = await res.text();
        let data: unknown = text;
        try {
          data = JSON.parse(text);
        } catch {
          // Not JSON: WeChat hands over the text.
        }
        success({ statusCode: res.status, data });
      }, (err: Error) => fail({ errMsg: `request:fail ${err.message}` }));
    },
    getStorageSync: (key: string) => storage.get(key) ?? '',
    setStorageSync: (key: string, value: unknown) => void storage.set(key, value),
    onNetworkStatusChange() {},
    onAppHide() {},
    onAppShow: (cb: () => void) => shown.push(cb),
  };
  for (const api of omit) delete wx[api];
  return { wx, sockets, show: () => shown.forEach((cb) => cb()) };
}
