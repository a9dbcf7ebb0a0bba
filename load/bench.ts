import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gitState } from './fanout/report.ts';
import { standard } from './scenarios/index.ts';
import type { Figures, HarnessRun, RunOutput, Scenario, Section } from './scenarios/scenario.ts';

/**
 * `npm run bench`: the standard set of scenarios (load/scenarios/), Roomcast against the plain
 * socket.io baseline in the same run on the same machine. A scenario names harness runs (the
 * harnesses under load/fanout, load/storm, load/idle make the load, each as a child process) and
 * turns their results into a report section; this runs them in turn and writes
 * load/results/<date>.json, .md and .svg (the viewers chart), ending with one headline line:
 *
 *   fanout cpu/event x<ratio> vs socket.io · p99 <ms> ms at <N> viewers · storm <n>/s exact · p99 <ms> ms
 *   at <offered>/s offered · server CPU x<R> lower per decision than naive · <c> Redis calls per 100 decisions
 *
 *   npm run bench -- --quick                      a one-minute version
 *   npm run bench -- --only fanout,storm          some of the standard set
 *   npm run bench -- --scenario ./my-scenario.ts  a scenario module of your own (its default export)
 */
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    scenario: { type: 'string' },
  },
});
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = join(ROOT, 'load/results');

async function chosen(): Promise<Scenario[]> {
  if (values.scenario) {
    const module = (await import(pathToFileURL(resolve(values.scenario)).href)) as { default?: Scenario };
    if (!module.default?.runs) usage(`${values.scenario} has no default export with runs() and report()`);
    return [module.default];
  }
  if (!values.only) return standard;
  return values.only.split(',').map((name) => standard.find((s) => s.name === name) ?? usage(`unknown scenario "${name}"`));
}

function usage(message: string): never {
  console.error(`bench: ${message}\nflags: --quick --only ${standard.map((s) => s.name).join(',')} --scenario FILE.ts`);
  process.exit(64);
}

/** Every harness results file this run read, listed in its JSON. */
const runFiles: string[] = [];

/** Runs one harness as a child process and reads back the results file it wrote. */
async function run(harness: HarnessRun): Promise<RunOutput> {
  const started = Date.now();
  console.error(`\n== npx tsx load/${harness.harness}/bench.ts ${harness.args.join(' ')}`);
  const code = await new Promise<number>((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `load/${harness.harness}/bench.ts`, ...harness.args], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (c) => done(c ?? 1));
  });
  const file = readdirSync(RESULTS)
    .filter((f) => f.startsWith(`${harness.harness}-`) && f.endsWith('.json'))
    .map((f) => join(RESULTS, f))
    .filter((f) => statSync(f).mtimeMs >= started)
    .sort()
    .at(-1);
  if (!file) throw new Error(`load/${harness.harness} wrote no results (exit ${code})`);
  const { results, errors, ...extra } = JSON.parse(readFileSync(file, 'utf8')) as { results: unknown[]; errors?: Record<string, string> };
  runFiles.push(file.slice(ROOT.length));
  return { run: harness, results, errors: errors ?? {}, extra };
}

const scenarios = await chosen();
const sections: Array<{ name: string; section: Section }> = [];
for (const scenario of scenarios) {
  const runs = scenario.runs(values.quick);
  if (!runs.length) continue;
  const outputs: RunOutput[] = [];
  for (const harness of runs) outputs.push(await run(harness));
  sections.push({ name: scenario.name, section: scenario.report(outputs, values.quick) });
}

const figures = (name: string): Figures | undefined => sections.find((s) => s.name === name)?.section.figures;
/** The headline's three figures come from the fanout, viewers and storm scenarios, when they ran. */
function headline(): string {
  const [fanout, viewers, storm] = [figures('fanout'), figures('viewers'), figures('storm')];
  return [
    fanout && `fanout cpu/event x${(fanout.cpuRatio as number).toFixed(1)} vs socket.io`,
    viewers && `p99 ${Math.round(viewers.p99Ms as number)} ms at ${viewers.viewers} viewers`,
    storm && String(storm.headline),
  ].filter(Boolean).join(' · ');
}

const line = headline();
const markdown = [
  `# Roomcast bench ${new Date().toISOString()}${values.quick ? ' (quick)' : ''}`,
  '',
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, commit ${gitState().commit}. Scenarios: ${sections.map((s) => s.name).join(', ')}.`,
  '',
  ...sections.flatMap(({ section }) => [...section.markdown, '']),
  line,
  '',
].join('\n');

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
mkdirSync(RESULTS, { recursive: true });
const base = join(RESULTS, `${stamp}${values.quick ? '-quick' : ''}`);
writeFileSync(`${base}.json`, JSON.stringify({
  date: new Date().toISOString(), quick: values.quick, git: gitState(),
  scenarios: Object.fromEntries(sections.map(({ name, section }) => [name, section.figures])), runs: runFiles, headline: line,
}, null, 2));
writeFileSync(`${base}.md`, markdown);
const chart = sections.find((s) => s.section.chart)?.section.chart;
if (chart) writeFileSync(`${base}.svg`, chart);
console.log(`\n${markdown}`);
console.log(`written: ${base}.json, .md${chart ? ', .svg' : ''}`);
console.log(line);
