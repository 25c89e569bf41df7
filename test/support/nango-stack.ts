import { randomUUID } from 'node:crypto';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DataResource, Fn, TerraformVariable } from 'cdktf';
import { NANGO_ENVIRONMENT_VARIABLE, NangoRegistration } from '../../src/nango/nango-registration';
import { FakeNango } from './fake-nango';
import { synthToDir, terraform } from './terraform';

/** What the stack registers, beyond its variables. */
export interface NangoStackOptions {
  /** @default 'kindo-teams' */
  readonly uniqueKey?: string;
  readonly adoptExisting?: boolean;
  /** Leave the registration out, as a stack that dropped the integration from its selection does. */
  readonly removed?: boolean;
  /** Give the Nango environment from the variable `nango_environment`, as the default stack does. */
  readonly environment?: boolean;
  /** @default 'Microsoft Teams' */
  readonly displayName?: string;
  /** Put the variable `display_prefix` before the display name: a string of a token and literal text. */
  readonly displayPrefix?: boolean;
  /** @default none */
  readonly fields?: Readonly<Record<string, string>>;
}

/**
 * Synthesizes a stack that holds only the Nango registration of `teams`, so that it needs no
 * provider download: its inputs are Terraform variables (nango_secret_key, ephemeral as in the
 * default stack; nango_provider, client_id, client_secret, client_secret_key_id), and a
 * create-before-destroy terraform_data stands in for the Entra client secret whose key ID it
 * registers. Returns the stack's directory.
 */
export function synthNangoStack(serverUrl: string, scopes: readonly string[], options: NangoStackOptions = {}): string {
  return synthToDir((stack) => {
    const v = (name: string, sensitive = false) => new TerraformVariable(stack, name, { type: 'string', sensitive });
    const secretKey = v('nango_secret_key', true);
    secretKey.addOverride('ephemeral', true);
    const secret = new DataResource(stack, 'ClientSecret', {
      triggersReplace: { key_id: v('client_secret_key_id').stringValue },
      lifecycle: { createBeforeDestroy: true },
    });
    if (options.removed) {
      NangoRegistration.removed(stack, 'Teams');
      return;
    }
    new NangoRegistration(stack, 'Teams', {
      integrationId: 'teams',
      serverUrl,
      uniqueKey: options.uniqueKey ?? 'kindo-teams',
      provider: v('nango_provider').stringValue,
      displayName: `${options.displayPrefix ? v('display_prefix').stringValue : ''}${options.displayName ?? 'Microsoft Teams'}`,
      scopes,
      secretKey: secretKey.stringValue,
      clientId: v('client_id').stringValue,
      clientSecret: v('client_secret', true).stringValue,
      clientSecretKeyId: Fn.lookup(secret.triggersReplace, 'key_id'),
      adoptExisting: options.adoptExisting,
      fields: options.fields,
      environment: options.environment
        ? new TerraformVariable(stack, 'nango_environment', NANGO_ENVIRONMENT_VARIABLE).stringValue
        : undefined,
    });
  });
}

/**
 * End-to-end runs of {@link synthNangoStack} stacks against a Nango stand-in on 127.0.0.1, for the
 * describe block that calls it: the stand-in starts before its tests and stops after them, every
 * stack directory made is removed, and an `intercept` a test sets is cleared after it. `start` gives a
 * test a fresh stack and an empty Nango with the variables of a first apply, so that each test passes
 * alone and in any order; `dir` and `vars` are the stack and variables the other functions run with.
 */
export function nangoStackRuns(scopes: readonly string[], clientSecret = 'first~Secret.value') {
  // A second key lacks the read_credentials scope, as a Nango API key may.
  const nango = new FakeNango(randomUUID(), [randomUUID()]);
  const dirs: string[] = [];
  const runs = { nango, serverUrl: '', dir: '', vars: {} as Record<string, string> };
  /** synthToDir keeps the state at the root of its output directory. */
  const statePath = (stackDir: string) => join(stackDir, '..', '..', 'terraform.tfstate');
  const run = (...args: string[]) => terraform(runs.dir, args, runs.vars);
  const applied = async (...args: string[]) => {
    const result = await run('apply', '-auto-approve', '-input=false', ...args);
    expect(result.status, result.output).toBe(0);
    return result;
  };
  /** A plan, which must send nothing to Nango. */
  const planned = async () => {
    const before = nango.requests.length;
    const result = await run('plan', '-input=false', '-detailed-exitcode');
    expect(nango.requests.slice(before), 'a plan sends nothing to Nango').toEqual([]);
    return result;
  };
  /** The requests `fn` made Nango answer, as `METHOD path status`. */
  const sent = async (fn: () => Promise<unknown>) => {
    const before = nango.requests.length;
    await fn();
    return nango.requests.slice(before).map((r) => `${r.method} ${r.path} ${r.status}`);
  };
  /** An apply that must fail; its output on one line (Terraform wraps diagnostics at 78 columns). */
  const failed = async (...args: string[]) => {
    const result = await run('apply', '-auto-approve', '-input=false', ...args);
    expect(result.status, result.output).toBe(1);
    return result.output.replace(/\s+/g, ' ');
  };
  /** Synthesizes the stack again with other options, keeping the state, as a changed cdktf app would. */
  const resynth = async (options: NangoStackOptions = {}) => {
    const next = synthNangoStack(runs.serverUrl, scopes, options);
    dirs.push(next);
    if (runs.dir) copyFileSync(statePath(runs.dir), statePath(next));
    runs.dir = next;
    const init = await run('init', '-input=false');
    expect(init.status, init.output).toBe(0);
  };
  /** A fresh stack directory and an empty Nango; with `apply`, the integration registered as a first apply leaves it. */
  const start = async (apply: boolean, options: NangoStackOptions = {}) => {
    nango.integrations.clear();
    nango.connections.clear();
    runs.vars = {
      nango_secret_key: nango.secretKey,
      nango_provider: 'microsoft-tenant-specific',
      client_id: 'client-1',
      client_secret: clientSecret,
      client_secret_key_id: 'key-1',
    };
    runs.dir = '';
    await resynth(options);
    if (apply) await applied();
  };

  beforeAll(async () => {
    runs.serverUrl = await nango.start();
  });
  afterEach(() => {
    nango.intercept = undefined;
  });
  afterAll(async () => {
    await nango.stop();
    for (const d of dirs) rmSync(join(d, '..', '..'), { recursive: true, force: true });
  });
  return Object.assign(runs, { run, applied, planned, sent, failed, resynth, start, statePath });
}
