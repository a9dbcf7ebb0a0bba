import { RoomcastError } from './errors.ts';
import { browserSocket, type SocketFactory } from './socket.ts';

/**
 * What the SDK needs from where it runs, and nothing else: the SDK core touches no browser or Node
 * global (a mini-program's JS realm has no `crypto`, `WebSocket`, `TextDecoder`, `window`...).
 * `browserPlatform()` here, `wxPlatform(wx)` (wx-platform.ts) in a mini-program.
 */
export interface Platform {
  socket: SocketFactory;
  /** Random bytes; asynchronous, as a mini-program's only source (`wx.getRandomValues`) is. */
  randomBytes(length: number): Promise<Uint8Array>;
  /** `listener(false)` when the device loses its network, `listener(true)` when it is back. */
  onNetwork(listener: (online: boolean) => void): void;
  /** `listener(false)` when the page or app goes to the background, `listener(true)` when shown again. */
  onVisible(listener: (visible: boolean) => void): void;
  /**
   * Throws a RoomcastError naming what this runtime lacks, at `connect()` rather than at the first
   * tap; `socket: false` when the client was given a socket of its own.
   */
  check(needs: { socket: boolean }): void;
}

interface BrowserGlobals {
  crypto?: { getRandomValues(bytes: Uint8Array): Uint8Array };
  addEventListener?(type: string, cb: () => void): void;
  document?: { visibilityState?: string; addEventListener?(type: string, cb: () => void): void };
}

/** A browser (or any runtime with `WebSocket`, `crypto.getRandomValues` and window events). */
export function browserPlatform(): Platform {
  const g = globalThis as BrowserGlobals;
  return {
    socket: browserSocket,
    randomBytes: async (length) => g.crypto!.getRandomValues(new Uint8Array(length)),
    onNetwork(listener) {
      g.addEventListener?.('offline', () => listener(false));
      g.addEventListener?.('online', () => listener(true));
    },
    onVisible(listener) {
      g.document?.addEventListener?.('visibilitychange', () => listener(g.document!.visibilityState !== 'hidden'));
    },
    check({ socket }) {
      const missing = [socket && typeof (globalThis as { WebSocket?: unknown }).WebSocket !== 'function' ? 'WebSocket' : '', g.crypto?.getRandomValues ? '' : 'crypto.getRandomValues'].filter(Boolean);
      if (missing.length) throw new RoomcastError('unsupported', `this runtime lacks ${missing.join(' and ')}; in a mini-program, pass platform: wxPlatform(wx)`);
    },
  };
}
