import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

// `npm run bench`: how much the constructs add to cdktf's own synth, how cost grows with the number
// of app registrations, and how many data sources a plan reads. A script, not a test: numbers vary
// with the machine.

const root = join(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function timeCdktfSynth(app: string, outdir: string): number {
  const start = performance.now();
  execFileSync('npx', ['cdktf', 'synth', '--app', app, '--output', outdir], { cwd: root, stdio: 'ignore', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  return performance.now() - start;
}

function cliSynth(): string[] {
  const work = mkdtempSync(join(tmpdir(), 'kindo-bench-'));
  // The empty app lives in this checkout, so that it imports the same cdktf as main.ts.
  const emptyInRoot = join(root, `.bench-empty-${process.pid}.ts`);
  writeFileSync(emptyInRoot, "import { App, TerraformStack } from 'cdktf';\nconst app = new App();\nnew TerraformStack(app, 'empty');\napp.synth();\n");
  try {
    const base: number[] = [];
    const ours: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      base.push(timeCdktfSynth(`node --import tsx ${emptyInRoot}`, join(work, 'out-empty')));
      ours.push(timeCdktfSynth('node --import tsx main.ts', join(work, 'out-default')));
    }
    const m = { base: median(base), ours: median(ours) };
    return [
      `| \`cdktf synth\`, empty stack | ${seconds(m.base)} |`,
      `| \`cdktf synth\`, default stack (14 integrations) | ${seconds(m.ours)} |`,
      `| ratio default / empty | ${(m.ours / m.base).toFixed(2)} |`,
    ];
  } finally {
    rmSync(emptyInRoot, { force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

/** Construct and synth of `stacks` × 14 integrations in a fresh process; its time and peak memory. */
function inProcess(stacks: number): { ms: number; rssMb: number } {
  const outdir = mkdtempSync(join(tmpdir(), 'kindo-bench-scale-'));
  const program = `
    const { App } = require('cdktf');
    const { KindoMicrosoftIntegrationsStack } = require('./src');
    const start = performance.now();
    const app = new App({ outdir: ${JSON.stringify(outdir)} });
    for (let i = 0; i < ${stacks}; i++) new KindoMicrosoftIntegrationsStack(app, 'tenant-' + i);
    app.synth();
    console.log(JSON.stringify({ ms: performance.now() - start, rssMb: process.resourceUsage().maxRSS / 1024 }));`;
  try {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--eval', program], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 });
    if (run.status !== 0) throw new Error(run.stderr);
    return JSON.parse(run.stdout.trim().split('\n').pop()!);
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
      const checks = Object.keys(tf.check ?? {}).length;
      return { n, data, checks };
    });
    console.log(JSON.stringify(counts));`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--eval', program], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return (JSON.parse(run.stdout.trim().split('\n').pop()!) as { n: number; data: number; checks: number }[]).map(
    (c) => `| data sources a plan reads, ${c.n} integration(s) | ${c.data} Entra lookups (tenant, which APIs exist, one per API used) + ${c.checks} Nango GETs (drift checks, one per registration) |`,
  );
}

const rows = ['| Measure | Value |', '|---|---|', ...cliSynth()];
for (const stacks of [1, 10, 100]) {
  const r = inProcess(stacks);
  rows.push(`| construct + synth in process, ${stacks * 14} app registrations (${stacks} stack${stacks > 1 ? 's' : ''}) | ${seconds(r.ms)}, peak RSS ${r.rssMb.toFixed(0)} MiB |`);
}
rows.push(...dataSourceReads());
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, median of ${RUNS} runs for cdktf synth`;
console.log(`${rows.join('\n')}\n\nMachine: ${machine}`);
