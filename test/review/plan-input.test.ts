import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { main } from '../../src/cli/main';
import { KindoMicrosoftIntegrationsStack } from '../../src/constructs/kindo-microsoft-integrations-stack';
import { planInputProblems, preparePlanInput } from '../../src/review/plan-input';
import { REVIEW_EXIT, loadSynthesizedStacks } from '../../src/review/review';
import { expectKindoError } from '../support/errors';
import { captureOutput } from '../support/output';

type Tf = Record<string, any>;

// The default stack with every integration, as the review-plan workflow receives it from a pull request.
const synth = (): Tf =>
  JSON.parse(JSON.stringify(new KindoMicrosoftIntegrationsStack(Testing.app(), 'kindo', {}).toTerraform()));
const DEFAULT = synth();
const edited = (edit: (tf: Tf) => void): Tf => {
  const tf = JSON.parse(JSON.stringify(DEFAULT));
  edit(tf);
  return tf;
};

describe('what the plan job refuses to plan', () => {
  test('nothing of the default stack: azuread, its data sources, terraform_data, checks, outputs', () => {
    expect(planInputProblems(DEFAULT)).toEqual([]);
  });

  test.each<[string, (tf: Tf) => void, string]>([
    [
      'a module, fetched and run from its source',
      (tf) => (tf.module = { m: { source: 'git::https://x' } }),
      "block 'module'",
    ],
    ['another provider', (tf) => (tf.provider.http = [{}]), "provider 'http'"],
    [
      'a provider from another source',
      (tf) => (tf.terraform.required_providers.azuread.source = 'evil/azuread'),
      "required provider 'azuread' from 'evil/azuread'",
    ],
    [
      'another required provider',
      (tf) => (tf.terraform.required_providers.external = { source: 'hashicorp/external' }),
      "required provider 'external'",
    ],
    ['an aliased azuread provider', (tf) => (tf.provider.azuread = [{ alias: 'x', metadata_host: 'evil' }]), 'aliased'],
    ['a second azuread provider', (tf) => tf.provider.azuread.push({}), 'more than one azuread provider'],
    ['a remote backend', (tf) => (tf.terraform.backend = { http: { address: 'https://x' } }), "backend 'http'"],
    ['a cloud block', (tf) => (tf.terraform.cloud = { organization: 'x' }), "terraform setting 'cloud'"],
    [
      'terraform_remote_state, which reads any backend at plan',
      (tf) => (tf.data.terraform_remote_state = { s: { backend: 'http', config: {} } }),
      "data type 'terraform_remote_state'",
    ],
    [
      'a resource of another provider',
      (tf) => (tf.resource.null_resource = { n: {} }),
      "resource type 'null_resource'",
    ],
    [
      'a data source in a check block',
      (tf) => (tf.check.c = { data: { http: { h: { url: 'https://x' } } }, assert: [] }),
      "data type 'http' in a check block",
    ],
    ['file() in a local', (tf) => (tf.locals = { l: '${file("/proc/self/environ")}' }), "function 'file'"],
    [
      'templatefile() in an output',
      (tf) => (tf.output.o = { value: '${templatefile("x", {})}' }),
      "function 'templatefile'",
    ],
    [
      'nonsensitive() on a secret of the state',
      (tf) => (tf.output.o = { value: '${nonsensitive(azuread_application_password.p.value)}' }),
      "function 'nonsensitive'",
    ],
    ['a provider function', (tf) => (tf.locals = { l: '${provider::azuread::x()}' }), "function 'provider::'"],
    ['a function in an object key', (tf) => (tf.locals = { l: { '${filebase64("x")}': 1 } }), "function 'filebase64'"],
  ])('%s', (_, edit, problem) => {
    expect(planInputProblems(edited(edit))).toEqual([expect.stringContaining(problem)]);
  });

  test('leaves a description that only mentions file( alone: functions are looked for in templates', () => {
    expect(planInputProblems(edited((tf) => (tf.variable.nango_server_url.description = 'see file(s)')))).toEqual([]);
  });
});

describe('review --prepare-plan', () => {
  captureOutput();
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kindo-plan-input-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** A synth output directory as a pull request's artifact could hold it: with whatever else it wants. */
  function artifact(config: Tf, name = 'kindo'): string {
    const dir = join(root, 'artifact');
    mkdirSync(join(dir, 'stacks', name, '.terraform', 'providers'), { recursive: true });
    writeFileSync(join(dir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(config));
    writeFileSync(join(dir, 'stacks', name, '.terraform.lock.hcl'), '# planted');
    writeFileSync(join(dir, 'stacks', name, '.terraform', 'providers', 'terraform-provider-azuread'), 'planted');
    const stacks = { [name]: { name, synthesizedStackPath: `stacks/${name}/cdk.tf.json` } };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ stacks }));
    return dir;
  }

  test('copies each stack’s cdk.tf.json alone, and a manifest the review reads', () => {
    const out = join(root, 'plan-input');
    expect(main(['review', '--synth', artifact(DEFAULT), '--prepare-plan', out], root)).toBe(REVIEW_EXIT.NO_GROWTH);
    expect(readdirSync(out).sort()).toEqual(['kindo', 'manifest.json']);
    expect(readdirSync(join(out, 'kindo'))).toEqual(['cdk.tf.json']);
    expect(JSON.parse(readFileSync(join(out, 'kindo', 'cdk.tf.json'), 'utf8'))).toEqual(DEFAULT);
    expect(loadSynthesizedStacks(out).map((s) => s.name)).toEqual(['kindo']);
  });

  test('refuses a synth that uses anything else, with status 1, writing nothing', () => {
    const out = join(root, 'plan-input');
    const bad = edited((tf) => (tf.locals = { l: '${file("/proc/self/environ")}' }));
    expect(main(['review', '--synth', artifact(bad), '--prepare-plan', out], root)).toBe(REVIEW_EXIT.ERROR);
    expectKindoError(
      () => preparePlanInput(loadSynthesizedStacks(join(root, 'artifact')), out),
      'REVIEW_PLAN_INPUT_REFUSED',
      ["kindo: function 'file'"],
    );
    expect(() => readdirSync(out)).toThrow();
  });

  test('refuses a stack name that is not a plain directory name, and a directory that is not empty', () => {
    expectKindoError(
      () => preparePlanInput([{ name: '../x', config: DEFAULT }], join(root, 'o')),
      'REVIEW_PLAN_INPUT_REFUSED',
      ["stack name '../x'"],
    );
    mkdirSync(join(root, 'full'));
    writeFileSync(join(root, 'full', 'x'), '');
    expectKindoError(
      () => preparePlanInput([{ name: 'kindo', config: DEFAULT }], join(root, 'full')),
      'REVIEW_PLAN_INPUT_REFUSED',
      ['is not empty'],
    );
  });
});
