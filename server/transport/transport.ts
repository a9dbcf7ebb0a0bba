import type { Config } from '../config/schema.ts';
import type { Connection, Session } from '../core/session.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Logger } from '../observability/logger.ts';

/** What a transport needs from the node. */
export interface TransportContext {
  config: Config;
  jwtKey: Uint8Array;
  metrics: Metrics;
  log: Logger;
  openSession(connection: Connection): Session;
  /** The hub has frames for its next tick (Hub.framesDue): a reply held until then rides with them. */
  framesDue(): boolean;
}

export interface Transport {
  /** Closes every client socket (shutdown: 1001 going away). */
  closeAll(code: number, reason: string): Promise<void>;
}
