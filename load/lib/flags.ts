/**
 * Checked command-line numbers for the bench harnesses: a bad flag stops the harness with its usage
 * line and exit code 64, instead of running a benchmark on NaN.
 */
export interface Flags {
  number(name: string, raw: string, min: number, max: number): number;
  integer(name: string, raw: string, min: number, max: number): number;
  /** A comma-separated list of `roomcast` / `baseline`. */
  targets(raw: string): Array<'roomcast' | 'baseline'>;
  usage(message: string): never;
}

export function flags(harness: string, usageLine: string): Flags {
  const usage = (message: string): never => {
    console.error(`${harness}: ${message}\nflags: ${usageLine}`);
    process.exit(64);
  };
  const number = (name: string, raw: string, min: number, max: number): number => {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max) usage(`--${name} must be a number from ${min} to ${max}`);
    return n;
  };
  return {
    number,
    integer(name, raw, min, max) {
      const n = number(name, raw, min, max);
      if (!Number.isInteger(n)) usage(`--${name} must be a whole number`);
      return n;
    },
    targets: (raw) => raw.split(',').map((t) => (t === 'roomcast' || t === 'baseline' ? t : usage(`unknown target "${t}"`))),
    usage,
  };
}
