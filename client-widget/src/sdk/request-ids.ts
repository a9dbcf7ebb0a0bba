/**
 * Request ids for commerce ops. A requestId only has to be unique among one user's requests (the
 * server scopes it to the user and the campaign), so it is this client's random prefix and a
 * counter. The prefix comes from the platform's randomness, which may be asynchronous; an op made
 * before it arrives (there is none before `connect()` resolves) gets one from the clock instead.
 */
export class RequestIds {
  private prefix: string | undefined;
  private next = 0;
  readonly ready: Promise<void>;

  constructor(random: Promise<Uint8Array>) {
    // A platform without randomness is refused at connect() (Platform.check); here it only leaves the clock's prefix.
    this.ready = random.then((bytes) => {
      this.prefix ??= [...bytes].map((b) => b.toString(36).padStart(2, '0')).join('');
    }, () => {});
  }

  id(): string {
    this.prefix ??= `${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 6).toString(36)}`;
    return `rc-${this.prefix}-${(this.next++).toString(36)}`;
  }
}
