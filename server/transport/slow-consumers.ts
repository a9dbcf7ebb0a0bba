import type { Config } from '../config/schema.ts';
import type { Metrics } from '../observability/metrics.ts';

const SWEEP_MS = 250;

/** One client socket as the sweep sees it, whichever transport holds it. */
export interface BufferedSocket {
  /** Bytes queued for it that the kernel has not taken yet. */
  buffered(): number;
  /** 4008, queued after what it has yet to read, so the client reconnects and resumes. */
  closeSlow(): void;
  /** At once, no close frame (the client sees 1006 and resumes): its buffer is freed now. */
  drop(): void;
}

/** A transport's sockets, for the sweep. */
export interface SocketSource {
  sockets(): Iterable<BufferedSocket>;
}

/**
 * Slow consumers, for every transport alike: a few times a second, close sockets whose send buffer
 * is past half of `maxBackpressureBytes`, with 4008. The per-socket limit alone lets a node hold
 * sockets × limit when a whole room falls behind (a burst of large frames), and a graceful close
 * keeps a socket's buffer until its peer reads it. So past `maxBufferedTotalBytes` for the node, the
 * sockets furthest behind are dropped, which frees their buffers now, until the rest fit. Only when
 * the node was over budget at the sweep before too: a frame just published to a room sits in every
 * subscriber's buffer, readers' included, until the loop gets to write it, so one look cannot tell
 * who is behind; 250 ms later the readers have drained. One native read per socket, not a send loop.
 */
export class SlowConsumerSweep {
  private readonly timer: NodeJS.Timeout;
  /** The last sweep found the node over its send-buffer budget. */
  private overBudget = false;

  constructor(private readonly sources: SocketSource[], private readonly realtime: Config['realtime'], private readonly metrics: Metrics) {
    this.timer = setInterval(() => this.sweep(), SWEEP_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sweep(): void {
    const { maxBackpressureBytes, maxBufferedTotalBytes } = this.realtime;
    let total = 0;
    const kept: Array<{ socket: BufferedSocket; buffered: number }> = [];
    for (const source of this.sources) {
      for (const socket of source.sockets()) {
        const buffered = socket.buffered();
        if (buffered > maxBackpressureBytes / 2) {
          this.metrics.closes.inc({ reason: 'slow_consumer' });
          socket.closeSlow();
        } else if (buffered > 0) {
          total += buffered;
          kept.push({ socket, buffered });
        }
      }
    }
    const over = total > maxBufferedTotalBytes;
    if (over && this.overBudget) {
      let excess = total - maxBufferedTotalBytes;
      kept.sort((a, b) => b.buffered - a.buffered);
      for (let i = 0; i < kept.length && excess > 0; i++) {
        this.metrics.closes.inc({ reason: 'over_budget' });
        kept[i]!.socket.drop();
        excess -= kept[i]!.buffered;
      }
    }
    this.overBudget = over;
  }
}
