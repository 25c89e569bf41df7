import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

// `npm run bench`: how much the constructs cost beside a naive stack of the same resource shapes with
// the azuread bindings (scripts/bench/naive-stack.ts) and beside an empty cdktf app (the app process's
// CPU time, and the wall time of a synth as `npm run synth` runs it), how cost grows with the number of
// app registrations, and how many data sources a plan reads. A script, not a test: numbers vary with the machine and its load, which is
// printed with them.

const root = join(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface Run {
  /** CPU time (user + system) of construct + synth. */
  readonly cpuMs: number;
  /** CPU time of the whole process: start-up, module loading, construct + synth. */
  readonly processCpuMs: number;
  readonly wallMs: number;
  readonly rssMb: number;
}

type Kind = 'empty' | 'naive' | 'ours';

/**
 * One process of scripts/bench/scale.ts under the runner cdktf.json uses (`node --import tsx`):
 * `stacks` stacks of one kind, constructed and synthesized in one App. CPU times, not wall time:
 * the development machine is shared, and CPU time varies far less with its load.
 */
function run(kind: Kind, stacks: number): Run {
  const outdir = mkdtempSync(join(tmpdir(), `kindo-bench-${kind}-`));
  try {
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', join('scripts', 'bench', 'scale.ts'), kind, String(stacks), outdir],
      { cwd: root, encoding: 'utf8' },
    );
    if (child.status !== 0) throw new Error(`${kind} × ${stacks}: ${child.stderr}`);
    return JSON.parse(child.stdout.trim().split('\n').pop()!) as Run;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Median of the pairs' ratios and the medians of each side; runs alternate, so load drift hits both sides alike. */
function pairs(runs: number, base: () => number, ours: () => number): { base: number; ours: number; ratio: number } {
  const b: number[] = [];
  const o: number[] = [];
  for (let i = 0; i < runs; i++) {
    b.push(base());
    o.push(ours());
  }
  return { base: median(b), ours: median(o), ratio: median(b.map((x, i) => o[i] / x)) };
}

/**
 * Wall time of a synth as `npm run synth` runs it: the app run directly, writing to CDKTF_OUTDIR,
 * which works under cdktf and under cdktn, on Node 20 (cdktn's CLI needs Node 22.19).
 */
function timeSynth(app: string, outdir: string): number {
  const start = performance.now();
  execFileSync(process.execPath, ['--import', 'tsx', app], {
    cwd: root,
    stdio: 'ignore',
    env: { ...process.env, CDKTF_OUTDIR: outdir },
  });
  return performance.now() - start;
}

/** Median of the runs' ratios `ours[i] / base[i]`: runs alternate, so load drift hits both sides alike. */
const ratio = (base: number[], ours: number[]) => median(ours.map((x, i) => x / base[i]));

function wholeProcess(): string[] {
  // Empty, naive and default stack alternate, so that load drift hits all three alike.
  const runs: Record<Kind, number[]> = { empty: [], naive: [], ours: [] };
  for (let i = 0; i < RUNS; i++)
    for (const kind of ['empty', 'naive', 'ours'] as const) runs[kind].push(run(kind, 1).processCpuMs);
  const work = mkdtempSync(join(tmpdir(), 'kindo-bench-'));
  // The empty app lives in this checkout, so that it imports the same cdktf as main.ts.
  const emptyInRoot = join(root, `.bench-empty-${process.pid}.ts`);
  writeFileSync(
    emptyInRoot,
    "import { App, TerraformStack } from 'cdktf';\nconst app = new App();\nnew TerraformStack(app, 'empty');\napp.synth();\n",
  );
  try {
    const synth = pairs(
      RUNS,
      () => timeSynth(emptyInRoot, join(work, 'out-empty')),
      () => timeSynth('main.ts', join(work, 'out-default')),
    );
    const { empty, naive, ours } = runs;
    return [
      `| app process (\`node --import tsx\`, one stack), CPU time (user + system) | ${seconds(median(empty))} | ${seconds(median(naive))} (×${ratio(empty, naive).toFixed(2)} of empty) | ${seconds(median(ours))} (**×${ratio(naive, ours).toFixed(2)} of naive**, ×${ratio(empty, ours).toFixed(2)} of empty) |`,
      `| \`npm run synth\` (the app run directly, one stack), wall time | ${seconds(synth.base)} | – | ${seconds(synth.ours)} (×${synth.ratio.toFixed(2)} of empty) |`,
    ];
  } finally {
    rmSync(emptyInRoot, { force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Construct + synth of 20 and 100 stacks (280 and 1,400 app registrations) in one process, naive and
 * ours alternating: CPU and peak RSS, each with the median of the runs' ratios.
 */
function scale(): string[] {
  const runs = Number(process.env.BENCH_SCALE_RUNS ?? 3);
  return [20, 100].map((stacks) => {
    const naive: Run[] = [];
    const ours: Run[] = [];
    for (let i = 0; i < runs; i++) {
      naive.push(run('naive', stacks));
      ours.push(run('ours', stacks));
    }
    const cpu = (rs: Run[]) => rs.map((r) => r.cpuMs);
    const rss = (rs: Run[]) => rs.map((r) => r.rssMb);
    const cell = (rs: Run[]) =>
      `${seconds(median(cpu(rs)))} CPU (${(median(cpu(rs)) / stacks).toFixed(0)} ms per stack), peak RSS ${median(rss(rs)).toFixed(0)} MiB`;
    return `| construct + synth in one process, ${(stacks * 14).toLocaleString('en')} app registrations (${stacks} stacks), ${runs} alternating run${runs === 1 ? '' : 's'} | – | ${cell(naive)} | ${cell(ours)} (**CPU ×${ratio(cpu(naive), cpu(ours)).toFixed(2)}, RSS ×${ratio(rss(naive), rss(ours)).toFixed(2)} of naive**) |`;
  });
}

function dataSourceReads(): string[] {
  const program = `
    const { Testing } = require('cdktf');
    const { KindoMicrosoftIntegrationsStack, INTEGRATION_IDS } = require('./src');
    const counts = [1, 4, 14].map((n) => {
      const tf = JSON.parse(Testing.synth(new KindoMicrosoftIntegrationsStack(Testing.app(), 's', { integrations: INTEGRATION_IDS.slice(0, n) })));
      const data = Object.values(tf.data ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
      // Only checks with a scoped data source read anything; the others evaluate what the plan knows.
      const checks = Object.values(tf.check ?? {}).filter((c) => c.data).length;
      return { n, data, checks };
    });
    console.log(JSON.stringify(counts));`;
  // Testing.app() synthesizes into a new directory under the temporary one and leaves it there.
  const scratch = mkdtempSync(join(tmpdir(), 'kindo-bench-lookups-'));
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--eval', program], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, TMPDIR: scratch },
  });
  rmSync(scratch, { recursive: true, force: true });
  if (run.status !== 0) throw new Error(run.stderr);
  return (JSON.parse(run.stdout.trim().split('\n').pop()!) as { n: number; data: number; checks: number }[]).map(
    (c) =>
      `| data sources a plan reads, ${c.n} integration(s) | – | – | ${c.data} Entra lookups (tenant, which APIs exist, one per API used) + ${c.checks} in check blocks |`,
  );
}

const loadBefore = loadavg()[0];
const rows = [
  '| Measure | Empty app | Naive bindings | Ours |',
  '|---|---|---|---|',
  ...wholeProcess(),
  ...scale(),
  ...dataSourceReads(),
];
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${RUNS} alternating runs per one-stack ratio (median of the runs' ratios); 1-minute load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after`;
console.log(`${rows.join('\n')}\n\nMachine: ${machine}`);
