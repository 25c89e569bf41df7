import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KindoConfigError, show } from '../core/errors';
import type { SynthesizedStack } from './types';

// A pull request's synth is planned by a job that holds a read identity for Entra and the state
// (docs/review.md, "Threat model"). `terraform plan` runs provider code and Terraform functions on
// that configuration, so before it does, the trusted base branch's code checks that the synth uses
// only what this package's stacks use: the hashicorp/azuread provider (whose endpoints the workflow
// pins in an override file), its resources and data sources, and terraform_data. Anything that could
// reach further — another provider, a module fetched from elsewhere, a function reading the runner's
// files, `nonsensitive()` printing a secret from state, a second (aliased) provider configuration
// that the override would not pin — is refused.

type Json = Record<string, unknown>;

const TOP_LEVEL = new Set([
  '//',
  'terraform',
  'provider',
  'resource',
  'data',
  'variable',
  'locals',
  'output',
  'check',
  'import',
  'moved',
  'removed',
]);
const TERRAFORM_SETTINGS = new Set(['//', 'required_providers', 'required_version', 'backend']);
const AZUREAD_SOURCES = new Set(['hashicorp/azuread', 'registry.terraform.io/hashicorp/azuread']);
// Built into Terraform: needs no provider and makes no request at plan.
const BUILT_IN_RESOURCES = new Set(['terraform_data']);
// Functions that read the runner's files or paths, or drop the sensitive mark of a value from state.
const DENIED_FUNCTIONS =
  /(?<![\w.])(file|fileexists|fileset|filebase64|filebase64sha256|filebase64sha512|filemd5|filesha1|filesha256|filesha512|templatefile|abspath|pathexpand|nonsensitive|ephemeralasnull)\s*\(|provider::/;
/** Stack names become directory names and state keys. */
const STACK_NAME = /^[A-Za-z0-9_-]{1,100}$/;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const blocks = (v: unknown): Json[] => (Array.isArray(v) ? v : [v]).filter(isObject);

function settingsProblems(terraform: unknown): string[] {
  if (terraform === undefined) return [];
  if (!isObject(terraform)) return ['`terraform` is not an object'];
  const problems = Object.keys(terraform)
    .filter((k) => !TERRAFORM_SETTINGS.has(k))
    .map((k) => `terraform setting ${show(k)} (only required_providers, required_version and a local backend)`);
  for (const backend of blocks(terraform.backend))
    for (const type of Object.keys(backend).filter((t) => t !== 'local'))
      problems.push(`backend ${show(type)} (the workflow sets the backend)`);
  for (const providers of blocks(terraform.required_providers))
    for (const [name, requirement] of Object.entries(providers)) {
      const source = isObject(requirement) ? requirement.source : requirement;
      if (name !== 'azuread' || typeof source !== 'string' || !AZUREAD_SOURCES.has(source.toLowerCase()))
        problems.push(`required provider ${show(name)} from ${show(source)} (only hashicorp/azuread)`);
    }
  return problems;
}

function providerProblems(provider: unknown): string[] {
  if (provider === undefined) return [];
  if (!isObject(provider)) return ['`provider` is not an object'];
  const problems = Object.keys(provider)
    .filter((name) => name !== 'azuread')
    .map((name) => `provider ${show(name)} (only azuread)`);
  const configs = blocks(provider.azuread);
  if (configs.length > 1) problems.push('more than one azuread provider configuration');
  if (configs.some((c) => 'alias' in c)) problems.push('an aliased azuread provider (the endpoint override pins one)');
  return problems;
}

function typeProblems(section: unknown, kind: 'resource' | 'data', where = ''): string[] {
  if (section === undefined) return [];
  if (!isObject(section)) return [`\`${kind}\`${where} is not an object`];
  return Object.keys(section)
    .filter((type) => !type.startsWith('azuread_') && !(kind === 'resource' && BUILT_IN_RESOURCES.has(type)))
    .map(
      (type) =>
        `${kind} type ${show(type)}${where} (only azuread_*${kind === 'resource' ? ' and terraform_data' : ''})`,
    );
}

/** Every string of a JSON value, object keys included (Terraform reads some keys as templates too). */
function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const v of value) yield* strings(v);
  else if (isObject(value))
    for (const [k, v] of Object.entries(value)) {
      yield k;
      yield* strings(v);
    }
}

function functionProblems(config: Json): string[] {
  const found = new Set<string>();
  for (const s of strings(config)) {
    const call = s.includes('${') || s.includes('%{') ? DENIED_FUNCTIONS.exec(s) : null;
    if (call) found.add(call[1] ?? 'provider::');
  }
  return [...found].map((name) => `function ${show(name)}`);
}

/** Why a synthesized stack may not be planned by the privileged job; empty when it may. */
export function planInputProblems(config: Json): string[] {
  const checks = Object.values(isObject(config.check) ? config.check : {}).filter(isObject);
  return [
    ...Object.keys(config)
      .filter((k) => !TOP_LEVEL.has(k))
      .map((k) => `block ${show(k)}${k === 'module' ? ' (a module is fetched and run from its source)' : ''}`),
    ...settingsProblems(config.terraform),
    ...providerProblems(config.provider),
    ...typeProblems(config.resource, 'resource'),
    ...typeProblems(config.data, 'data'),
    ...checks.flatMap((c) => typeProblems(c.data, 'data', ' in a check block')),
    ...functionProblems(config),
  ];
}

/**
 * Checks an untrusted synth (a pull request's) before a privileged plan and writes what passes to
 * `outdir`: each stack's `cdk.tf.json` alone, re-serialized, in `<outdir>/<stack>/`, and a manifest.
 * Nothing else of the synth (no `.terraform` directory, lock file, provider binary or asset) is copied.
 * Writes nothing when any stack is refused.
 */
export function preparePlanInput(stacks: readonly SynthesizedStack[], outdir: string): string[] {
  const problems = stacks.flatMap((s) => [
    ...(STACK_NAME.test(s.name) ? [] : [`stack name ${show(s.name)} (letters, digits, _ and - only)`]),
    ...planInputProblems(s.config).map((p) => `${s.name}: ${p}`),
  ]);
  if (stacks.length === 0) problems.push('no stack');
  if (problems.length > 0) throw planInputRefused(problems);
  mkdirSync(outdir, { recursive: true });
  if (readdirSync(outdir).length > 0) throw planInputRefused([`${show(outdir)} is not empty`]);
  const manifest: Json = { stacks: {} };
  for (const s of stacks) {
    mkdirSync(join(outdir, s.name));
    writeFileSync(join(outdir, s.name, 'cdk.tf.json'), JSON.stringify(s.config));
    (manifest.stacks as Json)[s.name] = { name: s.name, synthesizedStackPath: `${s.name}/cdk.tf.json` };
  }
  writeFileSync(join(outdir, 'manifest.json'), JSON.stringify(manifest));
  return stacks.map((s) => s.name);
}

function planInputRefused(problems: readonly string[]): KindoConfigError {
  const shown = problems.slice(0, 10);
  const more = problems.length > shown.length ? `\n- … ${problems.length - shown.length} more` : '';
  return new KindoConfigError(
    'REVIEW_PLAN_INPUT_REFUSED',
    `the synth may not be planned with the plan identity; it uses:\n- ${shown.join('\n- ')}${more}\nexpected only hashicorp/azuread, terraform_data and no file-reading or nonsensitive() calls`,
    'docs/review.md#what-the-plan-job-refuses',
  );
}
