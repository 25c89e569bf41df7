import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// .ci/plan-stacks with a stand-in `terraform` that records how it is called: the hardened CLI
// configuration and provider override in every stack, the state per stack, what is printed.

const ROOT = resolve(__dirname, '..', '..');
const SCRIPT = join(ROOT, '.ci', 'plan-stacks');

// The provider's sign-in and endpoint arguments (internal/provider/provider.go at v3.7.0): each must be
// pinned, or a configuration could send the OIDC token, or the request token, somewhere else.
const AZUREAD_AUTH_ARGUMENTS = [
  'client_id',
  'client_id_file_path',
  'tenant_id',
  'environment',
  'metadata_host',
  'client_certificate',
  'client_certificate_password',
  'client_certificate_path',
  'client_secret',
  'client_secret_file_path',
  'use_oidc',
  'oidc_token',
  'oidc_token_file_path',
  'ado_pipeline_service_connection_id',
  'oidc_request_token',
  'oidc_request_url',
  'use_aks_workload_identity',
  'use_cli',
  'use_msi',
  'msi_endpoint',
];

const FAKE_TERRAFORM = `#!/usr/bin/env bash
dir=\${1#-chdir=}; shift
echo "$dir|$*|$TF_CLI_CONFIG_FILE" >> "$FAKE_LOG"
case $1 in
  plan) echo "planned value: PLANTED-VALUE"; echo "Plan: 1 to add, 0 to change, 0 to destroy."; exit "\${FAKE_PLAN_EXIT:-0}" ;;
  show) echo '{"format_version":"1.2"}' ;;
esac
`;

describe('.ci/plan-stacks', () => {
  let root: string;
  let synth: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kindo-plan-stacks-'));
    mkdirSync(join(root, 'bin'));
    writeFileSync(join(root, 'bin', 'terraform'), FAKE_TERRAFORM);
    chmodSync(join(root, 'bin', 'terraform'), 0o755);
    synth = join(root, 'synth');
    for (const name of ['one', 'two']) {
      mkdirSync(join(synth, name), { recursive: true });
      writeFileSync(join(synth, name, 'cdk.tf.json'), '{}');
    }
    const stacks = {
      one: { name: 'one', synthesizedStackPath: 'one/cdk.tf.json' },
      two: { name: 'two', synthesizedStackPath: 'two/cdk.tf.json' },
    };
    writeFileSync(join(synth, 'manifest.json'), JSON.stringify({ stacks }));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const run = (mode: string, env: Record<string, string> = {}) =>
    spawnSync('bash', [SCRIPT, mode, synth, join(root, 'plans')], {
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${join(root, 'bin')}:${process.env.PATH}`,
        FAKE_LOG: join(root, 'calls.log'),
        TFSTATE_STORAGE_ACCOUNT: 'account',
        TFSTATE_CONTAINER: 'state',
        ...env,
      },
    });
  const calls = () =>
    readFileSync(join(root, 'calls.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split('|'));

  test('plans every stack with the hardened CLI configuration, the pinned provider and its own state blob', () => {
    const result = run('plan');
    expect(result.status, result.stderr).toBe(0);
    expect(calls().map(([dir, args]) => [dir.slice(synth.length + 1), args.split(' ')[0]])).toEqual([
      ['one', 'init'],
      ['one', 'plan'],
      ['one', 'show'],
      ['two', 'init'],
      ['two', 'plan'],
      ['two', 'show'],
    ]);
    expect(calls().every(([, , config]) => config === join(ROOT, '.ci', 'terraform', 'plan.tfrc'))).toBe(true);
    expect(calls()[1][1]).toContain('-lock=false');
    const backend = JSON.parse(readFileSync(join(synth, 'two', 'backend_override.tf.json'), 'utf8'));
    expect(backend.terraform.backend.azurerm).toMatchObject({ storage_account_name: 'account', key: 'two.tfstate' });
    expect(readFileSync(join(synth, 'one', 'provider_override.tf.json'), 'utf8')).toBe(
      readFileSync(join(ROOT, '.ci', 'terraform', 'provider_override.tf.json'), 'utf8'),
    );
    expect(JSON.parse(readFileSync(join(root, 'plans', 'one.json'), 'utf8'))).toEqual({ format_version: '1.2' });
    // A pull request's plan output stays in the plans directory; only its summary line is printed.
    expect(result.stdout).toContain('Plan: 1 to add');
    expect(result.stdout + result.stderr).not.toContain('PLANTED-VALUE');
  });

  test('records drift per stack and exits 0, whatever drifted', () => {
    expect(run('drift', { FAKE_PLAN_EXIT: '2' }).status).toBe(0);
    expect(readFileSync(join(root, 'plans', 'status.tsv'), 'utf8')).toBe(
      `one\t${join(synth, 'one')}\tdrift\ntwo\t${join(synth, 'two')}\tdrift\n`,
    );
    expect(run('drift', { FAKE_PLAN_EXIT: '1' }).status).toBe(0);
    expect(readFileSync(join(root, 'plans', 'status.tsv'), 'utf8')).toContain('\terror\n');
    expect(
      calls()
        .filter(([, args]) => args.startsWith('plan'))
        .every(([, args]) => args.includes('-detailed-exitcode')),
    ).toBe(true);
  });

  test('refuses to run without the shared state, which would plan every app as new', () => {
    const result = run('apply', { TFSTATE_STORAGE_ACCOUNT: '' });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('::error::Set the repository variables TFSTATE_STORAGE_ACCOUNT');
  });

  test('the provider override pins every sign-in and endpoint argument of azuread 3.7', () => {
    const override = JSON.parse(readFileSync(join(ROOT, '.ci', 'terraform', 'provider_override.tf.json'), 'utf8'));
    expect(Object.keys(override.provider.azuread).sort()).toEqual([...AZUREAD_AUTH_ARGUMENTS].sort());
    expect(override.provider.azuread).toMatchObject({
      environment: 'global',
      metadata_host: '',
      use_oidc: true,
      use_cli: false,
    });
  });
});
