import { App, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';

// One bench process: constructs and synthesizes `stacks` stacks of one kind in one App, then prints
// JSON: CPU time (user + system) of construct + synth and of the whole process (start-up and module
// loading included), wall time, peak RSS. Each kind loads only its own modules, so the empty app
// pays for cdktf alone.
// Usage: node --import tsx scripts/bench/scale.ts <empty|naive|ours> <stacks> <outdir>

type MakeStack = (app: Construct, id: string) => TerraformStack;
const kinds: Record<string, () => MakeStack> = {
  empty: () => (app, id) => new TerraformStack(app, id),
  naive: () => {
    const { NaiveStack } = require('./naive-stack') as typeof import('./naive-stack');
    return (app, id) => new NaiveStack(app, id);
  },
  ours: () => {
    // As main.ts imports it.
    const { KindoMicrosoftIntegrationsStack } =
      require('../../src/constructs/kindo-microsoft-integrations-stack') as typeof import('../../src/constructs/kindo-microsoft-integrations-stack');
    return (app, id) => new KindoMicrosoftIntegrationsStack(app, id);
  },
};

function main(): void {
  const [kind, count, outdir] = process.argv.slice(2);
  if (!Object.hasOwn(kinds, kind) || !(Number(count) > 0) || !outdir)
    throw new Error('usage: scale.ts <empty|naive|ours> <stacks> <outdir>');
  // As main.ts does, for every kind alike: see there.
  process.setSourceMapsEnabled(false);
  const make = kinds[kind]();
  const start = performance.now();
  const cpu = process.cpuUsage();
  const app = new App({ outdir });
  for (let i = 0; i < Number(count); i++) make(app, `tenant-${i}`);
  app.synth();
  const used = process.cpuUsage(cpu);
  const total = process.cpuUsage();
  console.log(
    JSON.stringify({
      cpuMs: (used.user + used.system) / 1000,
      processCpuMs: (total.user + total.system) / 1000,
      wallMs: performance.now() - start,
      rssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
}

main();
