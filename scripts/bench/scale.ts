import { App, TerraformStack } from 'cdktf';
import { KindoMicrosoftIntegrationsStack } from '../../src';
import { NaiveStack } from './naive-stack';

// One bench process: constructs and synthesizes `stacks` stacks of one kind in one App, then prints
// JSON: CPU time (user + system) of construct + synth and of the whole process, wall time, peak RSS.
// Usage: node --import tsx scripts/bench/scale.ts <empty|naive|ours> <stacks> <outdir>

const kinds = {
  empty: (app: App, id: string) => new TerraformStack(app, id),
  naive: (app: App, id: string) => new NaiveStack(app, id),
  ours: (app: App, id: string) => new KindoMicrosoftIntegrationsStack(app, id),
};
const [kind, count, outdir] = process.argv.slice(2);
if (!(kind in kinds) || !(Number(count) > 0) || !outdir) throw new Error('usage: scale.ts <empty|naive|ours> <stacks> <outdir>');
const make = kinds[kind as keyof typeof kinds];

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
