import { RoomcastError } from '../../protocol/errors.ts';

export interface BatchOptions {
  /** How long the first request of a batch waits for others when nothing is in flight (0: the end of this turn of the event loop). */
  windowMs: number;
  /** The most requests one call decides. */
  maxSize: number;
  /** Told each batch's size and how long its call took (metrics). */
  observe?(size: number, seconds: number): void;
}

/**
 * Decides a batch: one answer per request, in the order given (an Error for a refused one). A
 * rejection fails the whole batch: each of its requests gets that error, or `unavailable`.
 */
export type DecideBatch<Request, Answer> = (key: string, requests: Request[]) => Promise<Array<Answer | Error>>;

interface Pending<Request, Answer> {
  request: Request;
  resolve(answer: Answer): void;
  reject(err: Error): void;
}

interface Lane<Request, Answer> {
  queue: Array<Pending<Request, Answer>>;
  inFlight: boolean;
  timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
}

/**
 * Requests on the same thing (taps on one sale, claims of one coupon) that arrive while a decision
 * on it is in flight, or within `windowMs` of the first, go as one call, in arrival order, up to
 * `maxSize`. One call at a time per key: the next batch leaves when the last one is answered, so
 * the store sees each key's requests in the order they came, and a storm costs one round trip
 * (and one script call) per batch rather than per tap.
 */
export class Batcher<Request, Answer> {
  private readonly lanes = new Map<string, Lane<Request, Answer>>();

  constructor(private readonly decide: DecideBatch<Request, Answer>, private readonly options: BatchOptions) {}

  submit(key: string, request: Request): Promise<Answer> {
    let lane = this.lanes.get(key);
    if (!lane) this.lanes.set(key, (lane = { queue: [], inFlight: false, timer: undefined }));
    const answer = new Promise<Answer>((resolve, reject) => lane.queue.push({ request, resolve, reject }));
    if (!lane.inFlight) {
      if (lane.queue.length >= this.options.maxSize) this.flush(key, lane);
      else lane.timer ??= this.options.windowMs > 0
        ? setTimeout(() => this.flush(key, lane), this.options.windowMs)
        : setImmediate(() => this.flush(key, lane));
    }
    return answer;
  }

  private flush(key: string, lane: Lane<Request, Answer>): void {
    if (lane.timer) clearTimeout(lane.timer as NodeJS.Timeout);
    clearImmediate(lane.timer as NodeJS.Immediate);
    lane.timer = undefined;
    const batch = lane.queue.splice(0, this.options.maxSize);
    if (!batch.length) {
      this.lanes.delete(key);
      return;
    }
    lane.inFlight = true;
    this.run(key, batch).finally(() => {
      lane.inFlight = false;
      // What arrived meanwhile has waited for a whole call already: it leaves now.
      if (lane.queue.length) this.flush(key, lane);
      else this.lanes.delete(key);
    });
  }

  private async run(key: string, batch: Array<Pending<Request, Answer>>): Promise<void> {
    let answers: Array<Answer | Error>;
    const started = performance.now();
    try {
      answers = await this.decide(key, batch.map((p) => p.request));
      this.options.observe?.(batch.length, (performance.now() - started) / 1000);
      if (answers.length !== batch.length) throw new Error(`a batch of ${batch.length} got ${answers.length} answers`);
    } catch (err) {
      const failure = err instanceof RoomcastError ? err : Object.assign(new RoomcastError('unavailable', 'the decision could not be made; try again'), { cause: err });
      for (const pending of batch) pending.reject(failure);
      return;
    }
    batch.forEach((pending, i) => {
      const answer = answers[i]!;
      if (answer instanceof Error) pending.reject(answer);
      else pending.resolve(answer);
    });
  }
}
