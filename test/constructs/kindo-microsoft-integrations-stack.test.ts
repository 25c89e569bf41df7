import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { INTEGRATION_IDS, catalog } from '../../src/catalog/catalog';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  KindoMicrosoftIntegrationsStack,
  integrationsFromEnvironment,
} from '../../src/constructs/kindo-microsoft-integrations-stack';
import { expectKindoError } from '../support/errors';

const synthDefault = () =>
  Testing.synth(
    new KindoMicrosoftIntegrationsStack(Testing.app({ enableFutureFlags: false }), 'kindo-microsoft-integrations'),
  );

/** Every string in a JSON document, with the key it sits under. */
function strings(node: unknown, key = ''): [string, string][] {
  if (typeof node === 'string') return [[key, node]];
  if (Array.isArray(node)) return node.flatMap((n) => strings(n, key));
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => strings(v, k));
  return [];
}

describe('KindoMicrosoftIntegrationsStack', () => {
  const json = synthDefault();
  const tf = JSON.parse(json);

  test('synthesizes the default stack: 14 app registrations whose permissions equal the catalog', () => {
    const apps = Object.values<any>(tf.resource.azuread_application);
    expect(apps).toHaveLength(14);
    for (const id of INTEGRATION_IDS) {
      const definition = catalog()[id];
      const app = apps.find((a) => a.display_name === `Kindo - ${definition.displayName}`);
      expect(app.required_resource_access, id).toEqual(
        definition.apis.map((api) => ({
          resource_app_id: api.resourceAppId,
          resource_access: api.permissions.map((p) => ({ id: p.id, type: 'Scope' })),
        })),
      );
    }
  });

  test('registers the 13 delegated integrations with Nango and reads the four APIs once each', () => {
    expect(Object.keys(tf.resource.terraform_data).filter((k) => k.includes('_Sync_'))).toHaveLength(13);
    expect(Object.keys(tf.data.azuread_service_principal)).toEqual([
      'KindoApiMicrosoftGraph',
      'KindoApiMicrosoftPurview',
      'KindoApiMicrosoftThreatProtection',
      'KindoApiWindowsDefenderATP',
    ]);
    expect(Object.keys(tf.data.azuread_client_config)).toHaveLength(1);
  });

  test('asks for the Nango secret key as an ephemeral, sensitive variable without default, on Terraform 1.10 or later', () => {
    expect(tf.variable.nango_secret_key).toEqual(
      expect.objectContaining({ type: 'string', sensitive: true, ephemeral: true }),
    );
    expect(tf.variable.nango_secret_key.default).toBeUndefined();
    expect(tf.terraform.required_version).toBe('>= 1.10');
    expect(Object.keys(tf.check).filter((k) => !k.includes('_SecretExpiry_'))).toEqual([]);
    expect(tf.data.http).toBeUndefined();
  });

  test('outputs per integration and keeps secrets in one sensitive output', () => {
    expect(Object.keys(tf.output.integrations.value).sort()).toEqual([...INTEGRATION_IDS].sort());
    expect(tf.output.integrations.value.teams).toEqual(
      expect.objectContaining({
        client_id: expect.any(String),
        tenant_id: expect.any(String),
        application_object_id: expect.any(String),
        service_principal_object_id: expect.any(String),
        redirect_uri: '${trimsuffix(var.nango_server_url, "/")}/oauth/callback',
        secret_expires_at: expect.any(String),
        nango_unique_key: 'kindo-teams',
      }),
    );
    expect(tf.output.client_secrets.sensitive).toBe(true);
    expect(tf.output.integrations.sensitive).toBeUndefined();
    expect(Object.keys(tf.output.fabric_connection.value).sort()).toEqual([
      'client_id',
      'lakehouse_database',
      'sql_endpoint_host',
      'tenant_id',
    ]);
  });

  test('holds no secret literal: secret-bearing fields are references, and every literal GUID is a catalog ID', () => {
    const secretField = /secret|password|authorization/i;
    const reference = /^\$\{.*(var\.|azuread_application_password\.|self\.).*\}$/;
    for (const [key, value] of strings(tf.resource).concat(strings(tf.check))) {
      if (secretField.test(key) && key !== 'client_secret_key_id') expect(value, key).toMatch(reference);
    }
    for (const value of Object.values<string>(tf.output.client_secrets.value))
      expect(value).toMatch(/^\$\{azuread_application_password\.[^.]+\.value\}$/);
    const known = new Set(
      Object.values(catalog()).flatMap((i) =>
        i.apis.flatMap((a) => [a.resourceAppId, ...a.permissions.map((p) => p.id)]),
      ),
    );
    // Variables' validation messages give example GUIDs; only the configuration's own are checked.
    const guids =
      JSON.stringify({ ...tf, variable: undefined }).match(
        /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi,
      ) ?? [];
    expect(guids.filter((g) => !known.has(g))).toEqual([]);
    // Entra client secrets look like `abc8Q~…`.
    expect(json).not.toMatch(/[A-Za-z0-9_.-]{3}\dQ~[A-Za-z0-9_~.-]{30,}/);
  });

  test('stops at duplicate display names unless prevent_duplicate_names is false, whose description points at adoption', () => {
    expect(tf.variable.prevent_duplicate_names).toMatchObject({
      type: 'bool',
      default: true,
      nullable: false,
      description: expect.stringContaining(
        "was found and `prevent_duplicate_names` was specified', adopt those apps instead (docs/adopting.md)",
      ),
    });
    const apps = Object.values<any>(tf.resource.azuread_application);
    expect(apps).toHaveLength(14);
    for (const app of apps) expect(app.prevent_duplicate_names).toBe('${var.prevent_duplicate_names}');
  });

  test('registers nango_fields per integration with Nango, over the tenant_id default, and outputs them', () => {
    expect(tf.variable.nango_fields).toMatchObject({ type: 'map(map(string))', default: {}, nullable: false });
    const sync = Object.entries<any>(tf.resource.terraform_data).find(
      ([k]) => k.includes('teams') && k.includes('Sync'),
    )![1];
    expect(sync.triggers_replace.fields).toBe(
      '${jsonencode(merge({"tenant_id" = data.azuread_client_config.KindoClientConfig.tenant_id}, lookup(var.nango_fields, "teams", {})))}',
    );
    expect(tf.output.integrations.value.teams.nango_fields).toBe(
      '${merge({"tenant_id" = data.azuread_client_config.KindoClientConfig.tenant_id}, lookup(var.nango_fields, "teams", {}))}',
    );
    expect(tf.output.integrations.value.fabric.nango_fields).toBeUndefined();
    // Fabric alone registers nothing with Nango: no fields to ask for.
    expect(
      JSON.parse(
        Testing.synth(new KindoMicrosoftIntegrationsStack(Testing.app(), 'fabric-only', { integrations: ['fabric'] })),
      ).variable.nango_fields,
    ).toBeUndefined();
  });

  test('matches the reviewed snapshot', () => {
    expect(tf).toMatchSnapshot();
  });
});

describe('integrations chosen without editing code (KINDO_INTEGRATIONS)', () => {
  test('reads ids separated by commas or spaces; unset or "all" means all 14', () => {
    expect(integrationsFromEnvironment('teams, outlook fabric')).toEqual(['teams', 'outlook', 'fabric']);
    expect(integrationsFromEnvironment(undefined)).toEqual(INTEGRATION_IDS);
    expect(integrationsFromEnvironment(' all ')).toEqual(INTEGRATION_IDS);
  });

  test.each([
    ['an id is unknown', 'teams,hubspot', 'UNKNOWN_INTEGRATION', ['`KINDO_INTEGRATIONS`', "'hubspot'"]],
    ['an id is repeated', 'teams,teams', 'DUPLICATE_INTEGRATION', ['`KINDO_INTEGRATIONS`', "'teams'"]],
    ['it names none', ' , ', 'EMPTY_SELECTION', ['`KINDO_INTEGRATIONS`']],
  ])('fails if %s', (_name, value, code, fragments) => {
    expectKindoError(() => integrationsFromEnvironment(value), code, fragments);
  });

  test('main.ts synthesizes exactly the integrations named, and stops with the message on a bad one', () => {
    const root = join(__dirname, '..', '..');
    const outdir = mkdtempSync(join(tmpdir(), 'kindo-main-'));
    try {
      const run = (value: string) =>
        spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], {
          cwd: root,
          env: { ...process.env, CDKTF_OUTDIR: outdir, KINDO_INTEGRATIONS: value },
          encoding: 'utf8',
        });
      const ok = run('teams,fabric');
      expect(ok.status, ok.stderr).toBe(0);
      const tf = JSON.parse(
        readFileSync(join(outdir, 'stacks', 'kindo-microsoft-integrations', 'cdk.tf.json'), 'utf8'),
      );
      expect(Object.keys(tf.output.integrations.value).sort()).toEqual(['fabric', 'teams']);
      const bad = run('teams,skype');
      expect(bad.status).not.toBe(0);
      const error = expectKindoError(() => integrationsFromEnvironment('teams,skype'), 'UNKNOWN_INTEGRATION', [
        '`KINDO_INTEGRATIONS`',
        "'skype'",
      ]);
      expect(bad.stderr).toContain(error.message);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 60_000);
});
