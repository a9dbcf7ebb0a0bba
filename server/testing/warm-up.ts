import WebSocket from 'ws';
import { issueToken, secretKey } from '../auth/token.ts';
import { encode } from '../protocol/codec.ts';

/**
 * One throwaway socket (connect, ping, answer) before a test's burst. A freshly started node has been seen to drop the very
 * first socket of a burst of simultaneous upgrades (1006 right after the 101; open bug, see docs/operations.md),
 * which would fail a concurrency test for a reason that is not the one it tests.
 */
export async function warmUp(port: number, secret: string): Promise<void> {
  const token = await issueToken({ sub: 'warm-up' }, secretKey(secret));
  await new Promise<void>((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/v1/ws?token=${token}`);
    socket.once('error', () => resolve());
    socket.once('unexpected-response', () => {
      socket.terminate();
      resolve();
    });
    socket.once('open', () => socket.send(encode({ id: 1, op: 'ping' })));
    socket.once('message', () => {
      socket.terminate();
      resolve();
    });
    socket.once('close', () => resolve());
  });
}
