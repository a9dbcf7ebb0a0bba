/**
 * The socket the client speaks through: a browser `WebSocket`, or a mini-program's `wx.connectSocket`
 * task behind the same four callbacks.
 */
export interface SocketLike {
  send(bytes: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: (() => void) | null;
  onmessage: ((bytes: Uint8Array) => void) | null;
  onclose: ((code: number, reason: string) => void) | null;
}

export type SocketFactory = (url: string) => SocketLike;

export const browserSocket: SocketFactory = (url) => {
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  const socket: SocketLike = {
    send: (bytes) => ws.send(bytes),
    close: (code, reason) => ws.close(code, reason),
    onopen: null,
    onmessage: null,
    onclose: null,
  };
  ws.onopen = () => socket.onopen?.();
  ws.onmessage = (e) => socket.onmessage?.(new Uint8Array(e.data as ArrayBuffer));
  ws.onclose = (e) => socket.onclose?.(e.code, e.reason);
  return socket;
};

/** The parts of a mini-program's `wx` the adapter uses. */
export interface WxLike {
  connectSocket(options: { url: string; tcpNoDelay?: boolean }): {
    send(options: { data: ArrayBuffer }): void;
    close(options: { code?: number; reason?: string }): void;
    onOpen(cb: () => void): void;
    onMessage(cb: (message: { data: ArrayBuffer | string }) => void): void;
    onClose(cb: (result: { code: number; reason: string }) => void): void;
    onError(cb: (error: unknown) => void): void;
  };
}

/** `wx.connectSocket` as a SocketLike: for the mini-program's own socket API. */
export function wxSocket(wx: WxLike): SocketFactory {
  return (url) => {
    const task = wx.connectSocket({ url, tcpNoDelay: true });
    let closed = false;
    const socket: SocketLike = {
      send: (bytes) => task.send({ data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer }),
      close: (code, reason) => task.close({ ...(code ? { code } : {}), ...(reason ? { reason } : {}) }),
      onopen: null,
      onmessage: null,
      onclose: null,
    };
    const closeOnce = (code: number, reason: string) => {
      if (closed) return;
      closed = true;
      socket.onclose?.(code, reason);
    };
    task.onOpen(() => socket.onopen?.());
    task.onMessage(({ data }) => {
      if (typeof data !== 'string') socket.onmessage?.(new Uint8Array(data));
    });
    task.onClose(({ code, reason }) => closeOnce(code, reason));
    task.onError(() => closeOnce(1006, 'socket error'));
    return socket;
  };
}
