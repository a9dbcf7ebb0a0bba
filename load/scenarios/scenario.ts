/**
 * A bench scenario: which load to run (harness runs: a harness under load/ and its flags) and what
 * to say about the results. Scenarios are plain modules, apart from the harnesses that make the
 * load, so a new one is a new file: `npm run bench -- --scenario path/to/mine.ts` runs it alone,
 * `--only fanout,storm` picks from the standard set (index.ts).
 */
export type Harness = 'fanout' | 'storm' | 'idle';

export interface HarnessRun {
  harness: Harness;
  args: string[];
}

/** One harness run's results file (load/results/<harness>-<time>.json) as read back. */
export interface RunOutput {
  run: HarnessRun;
  /** The harness's `results` rows. */
  results: unknown[];
  /** Per server under test, why its run failed (a fan-out server that died, say). */
  errors: Record<string, string>;
  /** Anything else the harness wrote (the storm's Redis ceiling). */
  extra: Record<string, unknown>;
}

/** A figure the headline or the next run compares: a name and its value. */
export type Figures = Record<string, number | string | boolean>;

export interface Section {
  /** Markdown, from a `##` heading on. */
  markdown: string[];
  figures: Figures;
  /** An SVG chart written next to the report (the bench writes at most the first one). */
  chart?: string;
}

export interface Scenario {
  name: string;
  /** The harness runs, in order; none means the scenario is skipped in that mode. */
  runs(quick: boolean): HarnessRun[];
  /** `outputs[i]` belongs to `runs(quick)[i]`. */
  report(outputs: RunOutput[], quick: boolean): Section;
}

export const serverName = (target: string): string => (target === 'roomcast' ? 'Roomcast' : 'socket.io');

export const num = (n: number, digits = 0): string =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–';

export const pct = (part: number, whole: number): string => `${num((100 * part) / whole)}%`;

/** A Markdown table: the server column left-aligned, figures right-aligned. */
export function table(header: string[], rows: Array<Array<string | number>>): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((h) => (h === 'server' || h === 'accounting' ? '---' : '---:')).join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}
