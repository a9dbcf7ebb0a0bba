import type { Order } from '../model.ts';

/** What the brand's mini-program mall answers for an order it accepted. */
export interface MallReceipt {
  mallOrderId: string;
  /** The mini-program page where the buyer pays. */
  payPath: string;
}

/**
 * The seam to the brand's mall. Pushing the same order twice must be safe: the order id is the
 * idempotency key. Failures say whether a retry can help.
 */
export interface MallAdapter {
  push(order: Order): Promise<MallReceipt>;
  refund(order: Order & { mallOrderId?: string }, reason: string): Promise<void>;
}

/** The mall refused the order itself (a 4xx other than 408, 425, 429): retrying cannot help. */
export class MallRejected extends Error {
  override name = 'MallRejected';
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * The mall was unreachable, slow, busy or broken (408, 425, 429, 5xx, timeout): retry later, not
 * before `retryAfterMs` when the mall said when (`Retry-After`).
 */
export class MallUnavailable extends Error {
  override name = 'MallUnavailable';
  constructor(message: string, readonly retryAfterMs?: number) {
    super(message);
  }
}
