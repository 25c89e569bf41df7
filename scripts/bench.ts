import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

// `npm run bench`: how much the constructs add to an empty cdktf app (the app process alone, and
// under `cdktf synth`), how cost grows with the number of app registrations, and how many data
// sources a plan reads. A script, not a test: numbers vary with the machine and its load, which is
// printed with them.

const root = join(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function timeCdktfSynth(app: string, outdir: string): number {
  const start = performance.now();
  execFileSync('npx', ['cdktf', 'synth', '--app', app, '--output', outdir], { cwd: root, stdio: 'ignore', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  return performance.now() - start;
}

/** Wall time of one app process under the runner cdktf.json uses (`node --import tsx`), writing to `outdir`. */
function timeAppProcess(file: string, outdir: string): number {
  const start = performance.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CDKTF_OUTDIR: outdir } });
  if (run.status !== 0) throw new Error(`${file}: ${run.stderr}`);
  return performance.now() - start;
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

function wholeProcess(): string[] {
  const work = mkdtempSync(join(tmpdir(), 'kindo-bench-'));
  // The empty app lives in this checkout, so that it imports the same cdktf as main.ts.
  const emptyInRoot = join(root, `.bench-empty-${process.pid}.ts`);
  writeFileSync(emptyInRoot, "import { App, TerraformStack } from 'cdktf';\nconst app = new App();\nnew TerraformStack(app, 'empty');\napp.synth();\n");
  try {
    const app = pairs(RUNS, () => timeAppProcess(emptyInRoot, join(work, 'app-empty')), () => timeAppProcess('main.ts', join(work, 'app-default')));
    const cli = pairs(
      RUNS,
      () => timeCdktfSynth(`node --import tsx ${emptyInRoot}`, join(work, 'out-empty')),
      () => timeCdktfSynth('node --import tsx main.ts', join(work, 'out-default')),
    );
    return [
      `| app process (\`node --import tsx\`), empty \`App\` + \`TerraformStack\` / default stack (14 integrations) | ${seconds(app.base)} / ${seconds(app.ours)}, ratio ${app.ratio.toFixed(2)} |`,
      `| \`cdktf synth\`, empty stack / default stack | ${seconds(cli.base)} / ${seconds(cli.ours)}, ratio ${cli.ratio.toFixed(2)} |`,
    ];
  } finally {
    rmSync(emptyInRoot, { force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

/** Construct and synth of `stacks` × 14 integrations in a fresh process; its time and peak memory. */
function inProcess(stacks: number): { ms: number; cpuMs: number; processMs: number; rssMb: number } {
  const outdir = mkdtempSync(join(tmpdir(), 'kindo-bench-scale-'));
  const program = `
    const { App } = require('cdktf');
    const { KindoMicrosoftIntegrationsStack } = require('./src');
    const start = performance.now();
    const cpu = process.cpuUsage();
    const app = new App({ outdir: ${JSON.stringify(outdir)} });
    for (let i = 0; i < ${stacks}; i++) new KindoMicrosoftIntegrationsStack(app, 'tenant-' + i);
    app.synth();
    const used = process.cpuUsage(cpu);
    console.log(JSON.stringify({ ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000, rssMb: process.resourceUsage().maxRSS / 1024 }));`;
  try {
    const start = performance.now();
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--eval', program], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 });
    const processMs = performance.now() - start;
    if (run.status !== 0) throw new Error(run.stderr);
    return { ...JSON.parse(run.stdout.trim().split('\n').pop()!), processMs };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
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
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--eval', program], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return (JSON.parse(run.stdout.trim().split('\n').pop()!) as { n: number; data: number; checks: number }[]).map(
    (c) => `| data sources a plan reads, ${c.n} integration(s) | ${c.data} Entra lookups (tenant, which APIs exist, one per API used) + ${c.checks} in check blocks |`,
  );
}

const loadBefore = loadavg()[0];
const rows = ['| Measure | Value |', '|---|---|', ...wholeProcess()];
for (const stacks of [1, 10, 100]) {
  const r = inProcess(stacks);
  rows.push(
    `| construct + synth in one process, ${(stacks * 14).toLocaleString('en')} app registrations (${stacks} stack${stacks > 1 ? 's' : ''}) | ${seconds(r.ms)} (${(r.ms / stacks).toFixed(0)} ms per stack; CPU ${seconds(r.cpuMs)}; whole process ${seconds(r.processMs)}), peak RSS ${r.rssMb.toFixed(0)} MiB |`,
  );
}
rows.push(...dataSourceReads());
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${RUNS} alternating pairs per ratio (median of the pairs' ratios); 1-minute load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after`;
console.log(`${rows.join('\n')}\n\nMachine: ${machine}`);
