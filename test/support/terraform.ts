import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, LocalBackend, TerraformStack } from 'cdktf';

/** Whether the `terraform` binary is on the PATH; end-to-end suites are skipped, visibly, without it. */
export const hasTerraform = spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;

/** Synthesizes one stack into a fresh directory, as `cdktf synth` would, and returns the stack's Terraform directory. */
export function synthToDir(build: (stack: TerraformStack) => void): string {
  const outdir = mkdtempSync(join(tmpdir(), 'kindo-e2e-'));
  const app = new App({ outdir, skipValidation: false });
  const stack = new TerraformStack(app, 'e2e');
  // cdktf's default local backend keeps state beside cdktf.json, shared by every run: keep it in this directory.
  new LocalBackend(stack, { path: join(outdir, 'terraform.tfstate') });
  build(stack);
  app.synth();
  return join(outdir, 'stacks', 'e2e');
}

/** The environment terraform runs in: non-interactive, without the update check, with `TF_VAR_*` values. */
export function terraformEnv(vars: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' };
  for (const [k, v] of Object.entries(vars)) env[`TF_VAR_${k}`] = v;
  return env;
}

export interface TerraformRun {
  readonly status: number;
  readonly output: string;
}

/**
 * Runs terraform in `dir` with `TF_VAR_*` values, non-interactively and without colour. Asynchronous,
 * so that a server in this process can answer the requests Terraform's provisioners make. `env` adds
 * to the environment (TF_LOG, say) for this run only.
 */
export function terraform(
  dir: string,
  args: string[],
  vars: Record<string, string> = {},
  env: NodeJS.ProcessEnv = {},
): Promise<TerraformRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', [...args, '-no-color'], { cwd: dir, env: { ...terraformEnv(vars), ...env } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status: status ?? -1, output }));
  });
}

/**
 * Applies `config` (main.tf.json of a configuration that needs no provider) in a directory of its own,
 * removed after, and returns `terraform output -json`.
 */
export async function applyOutputs(config: object): Promise<Record<string, { value: any }>> {
  const dir = mkdtempSync(join(tmpdir(), 'kindo-outputs-'));
  try {
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(config));
    const run = await terraform(dir, ['apply', '-auto-approve', '-input=false']);
    expect(run.status, run.output).toBe(0);
    return JSON.parse((await terraform(dir, ['output', '-json'])).output.replace(/^[^{]*/s, ''));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The time `days` from now, in whole seconds, as Terraform writes timestamps. */
export const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');

/** `terraform console`'s value of an HCL expression in `dir`, with `TF_VAR_*` values. */
export function consoleValue(dir: string, vars: Record<string, string>, expression: string): any {
  const run = spawnSync('terraform', ['console', '-no-color'], {
    cwd: dir,
    env: terraformEnv(vars),
    input: `jsonencode(${expression})\n`,
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(JSON.parse(run.stdout.trim().split('\n').pop()!));
}
