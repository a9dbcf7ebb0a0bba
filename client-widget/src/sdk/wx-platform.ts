import { RoomcastError } from './errors.ts';
import type { Platform } from './platform.ts';
import { wxSocket, type WxLike } from './socket.ts';

/** The parts of a mini-program's `wx` the SDK uses, with the base library each one needs. */
export interface WxPlatformApi extends WxLike {
  getRandomValues(options: { length: number; success(result: { randomValues: ArrayBuffer }): void; fail(error: { errMsg?: string }): void }): void;
  onNetworkStatusChange(cb: (result: { isConnected: boolean }) => void): void;
  onAppHide(cb: () => void): void;
  onAppShow(cb: () => void): void;
}

const NEEDS: Array<[keyof WxPlatformApi, string]> = [
  ['connectSocket', '1.7.0'], ['getRandomValues', '2.15.0'], ['onNetworkStatusChange', '1.1.0'], ['onAppHide', '2.1.2'], ['onAppShow', '2.1.2'],
];

/**
 * A WeChat mini-program: `wx.connectSocket` for the socket (one per client, for all its rooms: a
 * mini-program may hold five at most), `wx.getRandomValues` (asynchronous, base library 2.15.0),
 * `wx.onNetworkStatusChange`, and `wx.onAppHide`/`onAppShow`: WeChat suspends a backgrounded app
 * after about 5 s and may drop its socket; shown again, the client reconnects at once and resumes
 * from its last seq.
 */
export function wxPlatform(wx: WxPlatformApi): Platform {
  return {
    socket: wxSocket(wx),
    randomBytes: (length) => new Promise((resolve, reject) => {
      wx.getRandomValues({
        length,
        success: ({ randomValues }) => resolve(new Uint8Array(randomValues)),
        fail: (error) => reject(new RoomcastError('unsupported', `wx.getRandomValues failed: ${error?.errMsg ?? 'unknown'}`)),
      });
    }),
    // Registered when the client is made; an API this base library lacks is named by check() at connect().
    onNetwork: (listener) => wx.onNetworkStatusChange?.(({ isConnected }) => listener(isConnected)),
    onVisible(listener) {
      wx.onAppHide?.(() => listener(false));
      wx.onAppShow?.(() => listener(true));
    },
    check() {
      const missing = NEEDS.filter(([api]) => typeof (wx as unknown as Record<string, unknown>)?.[api] !== 'function');
      if (missing.length) {
        throw new RoomcastError('unsupported', `this mini-program base library lacks ${missing.map(([api, since]) => `wx.${api} (since ${since})`).join(', ')}`);
      }
    },
  };
}
