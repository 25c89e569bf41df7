import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataResource, Fn, TerraformVariable } from 'cdktf';
import { main } from '../../src/cli/main';
import { NangoRegistration } from '../../src/nango/nango-registration';
import { FakeNango } from '../support/fake-nango';
import { captureOutput } from '../support/output';
import { hasTerraform, synthToDir, terraform } from '../support/terraform';

// Planted secrets, made at run time: Entra-like client secrets and a Nango secret key. None may appear in any output.
const entraSecret = () => `kQ4${Math.floor(Math.random() * 10)}Q~${randomUUID().replace(/-/g, '.')}`;
const CLIENT_SECRET = entraSecret();
const OTHER_SECRET = entraSecret();
const CLIENT_ID = randomUUID();
const TENANT_ID = randomUUID();
const PURVIEW = 'https://contoso.purview.azure.com';

/** A stack that holds only the Nango registration of purview-data-governance, with fields; no provider download needed. */
function synthStack(serverUrl: string): string {
  return synthToDir((stack) => {
    const v = (name: string, sensitive = false) =>
      new TerraformVariable(stack, name, { type: 'string', sensitive }).stringValue;
    // Ephemeral, as in the default stack.
    const secretKey = new TerraformVariable(stack, 'nango_secret_key', { type: 'string', sensitive: true });
    secretKey.addOverride('ephemeral', true);
    const secret = new DataResource(stack, 'ClientSecret', {
      triggersReplace: { key_id: v('client_secret_key_id') },
      lifecycle: { createBeforeDestroy: true },
    });
    new NangoRegistration(stack, 'Purview', {
      integrationId: 'purview-data-governance',
      serverUrl,
      uniqueKey: 'kindo-purview',
      provider: 'microsoft-tenant-specific',
      displayName: 'Microsoft Purview Data Governance',
      scopes: ['offline_access', 'User.Read'],
      secretKey: secretKey.stringValue,
      clientId: v('client_id'),
      clientSecret: v('client_secret', true),
      clientSecretKeyId: Fn.lookup(secret.triggersReplace, 'key_id'),
      fields: { tenant_id: TENANT_ID, purview_endpoint: PURVIEW },
    });
  });
}

describe.skipIf(!hasTerraform)(
  'verify against the Nango stand-in, after a real terraform apply (terraform on the PATH)',
  () => {
    const nango = new FakeNango(randomUUID());
    let dir: string;
    const io = captureOutput();
    const stored = () => nango.integrations.get('kindo-purview')!;
    /**
     * `terraform show -json` of the applied stack, with `resources` added to it, as a file for --state. An
     * Entra password with the key ID the stack registered is always added: the state of a real stack
     * holds it, and verify reads the client secret from it.
     */
    const stateWith = (...resources: object[]) => {
      const state = JSON.parse(execFileSync('terraform', ['show', '-json'], { cwd: dir, encoding: 'utf8' }));
      const password = {
        address: 'azuread_application_password.secret',
        mode: 'managed',
        type: 'azuread_application_password',
        name: 'secret',
        values: { key_id: 'key-1', value: CLIENT_SECRET },
      };
      const all = [...state.values.root_module.resources, password, ...resources];
      writeFileSync(stateFile, JSON.stringify({ ...state, values: { root_module: { resources: all } } }));
      return state.values.root_module.resources as any[];
    };
    let stateFile: string;
    const verify = async (...args: string[]) => {
      io.clear();
      const status = await main(['verify', ...(args.includes('--dir') ? [] : ['--state', stateFile]), ...args]);
      const all = io.out + io.err;
      expect(all).not.toContain(CLIENT_SECRET);
      expect(all).not.toContain(OTHER_SECRET);
      expect(all).not.toContain(nango.secretKey);
      return status;
    };

    beforeAll(async () => {
      const url = await nango.start();
      dir = synthStack(url);
      const vars = {
        nango_secret_key: nango.secretKey,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        client_secret_key_id: 'key-1',
      };
      expect((await terraform(dir, ['init', '-input=false'], vars)).status).toBe(0);
      const apply = await terraform(dir, ['apply', '-auto-approve', '-input=false'], vars);
      expect(apply.status, apply.output).toBe(0);
      // The plan shows each field on its own, and the client secret only as sensitive.
      expect(apply.output).toContain(`+ "field.purview_endpoint" = "${PURVIEW}"`);
      expect(apply.output).toContain(`+ "field.tenant_id"        = "${TENANT_ID}"`);
      // Sync holds the secret's key ID only, never the secret, not even as sensitive.
      expect(apply.output).not.toMatch(/\+ client_secret +=/);
      expect(apply.output).not.toContain(CLIENT_SECRET);
      stateFile = join(dir, 'state.json');
      stateWith();
    }, 120_000);
    afterAll(async () => {
      await nango.stop();
      rmSync(dirname(dirname(dir)), { recursive: true, force: true });
    });
    beforeEach(() => {
      process.env.NANGO_SECRET_KEY = nango.secretKey;
    });
    afterEach(() => {
      delete process.env.NANGO_SECRET_KEY;
    });

    test("apply registers the fields in the integration custom settings, the guide's others blank", () => {
      // The claim POSTs the fields; Sync's PATCH, which follows it, blanks the guide's fields not configured.
      expect(stored().custom).toEqual({
        tenant_id: TENANT_ID,
        purview_endpoint: PURVIEW,
        subscription_id: '',
        target_user_id: '',
      });
    });

    test('exits 0 with a table when Nango holds what Terraform holds', async () => {
      expect(await verify()).toBe(0);
      expect(io.out).toContain(
        'Integration              Unique key     registered  provider  client_id  scopes  fields  redirect_uri  client_secret',
      );
      expect(io.out).toContain(
        'purview-data-governance  kindo-purview  ok          ok        ok         ok      ok      n/a           ok',
      );
      expect(io.out).toMatch(/Everything agrees\.\n$/);
    });

    test('--json reports every check, the secret only as compared', async () => {
      expect(await verify('--json')).toBe(0);
      const report = JSON.parse(io.out);
      expect(report.agrees).toBe(true);
      const checks = report.integrations[0].checks;
      expect(checks.find((c: any) => c.check === 'fields')).toEqual({
        check: 'fields',
        status: 'ok',
        terraform: `purview_endpoint=${PURVIEW}, tenant_id=${TENANT_ID}`,
        nango: `purview_endpoint=${PURVIEW}, tenant_id=${TENANT_ID}`,
      });
      expect(checks.find((c: any) => c.check === 'client_secret')).toEqual({
        check: 'client_secret',
        status: 'ok',
        detail: 'Nango holds the client secret Terraform holds (compared by SHA-256)',
      });
    });

    test('exits 3 and names each difference when Nango was changed outside Terraform', async () => {
      const saved = structuredClone(stored());
      try {
        stored().credentials.scopes = 'offline_access';
        stored().credentials.client_secret = OTHER_SECRET;
        stored().custom = {
          ...stored().custom,
          purview_endpoint: 'https://other.purview.azure.com',
          region_hint: 'west',
        };
        expect(await verify()).toBe(3);
        expect(io.out).toContain(
          'purview-data-governance  kindo-purview  ok          ok        ok         DIFFERS  DIFFERS  n/a           DIFFERS',
        );
        expect(io.out).toContain(
          '- purview-data-governance scopes DIFFERS: Terraform: offline_access,User.Read; Nango: offline_access.',
        );
        expect(io.out).toContain(
          `- purview-data-governance fields DIFFERS: Terraform: purview_endpoint=${PURVIEW}, tenant_id=${TENANT_ID}; Nango: purview_endpoint=https://other.purview.azure.com, tenant_id=${TENANT_ID}. differ: purview_endpoint; set in Nango only: region_hint (Nango cannot remove a field: clear it with '' in nangoFields, e.g. { region_hint: '' })`,
        );
        expect(io.out).toContain(
          '- purview-data-governance client_secret DIFFERS: Nango holds another client secret than Terraform (compared by SHA-256)',
        );
        expect(io.out).toMatch(/1 of 1 integration\(s\) do not agree with Nango\.\n$/);
      } finally {
        nango.integrations.set('kindo-purview', saved);
      }
    });

    test('exits 3 when the integration is gone, naming the fix', async () => {
      const saved = stored();
      nango.integrations.delete('kindo-purview');
      try {
        expect(await verify()).toBe(3);
        expect(io.out).toMatch(
          /- purview-data-governance registered DIFFERS: Nango has no integration 'kindo-purview' \(deleted outside Terraform, or the secret key belongs to another environment\); register it again with: terraform apply -replace=terraform_data\.Purview_Registration_[0-9A-F]+\n/,
        );
      } finally {
        nango.integrations.set('kindo-purview', saved);
      }
    });

    test("compares the app's redirect URIs with Nango's callback when the state holds the app", async () => {
      const withApp = (uris: string[]) =>
        stateWith({
          address: 'azuread_application.app',
          mode: 'managed',
          type: 'azuread_application',
          name: 'app',
          values: { client_id: CLIENT_ID, web: [{ redirect_uris: uris }] },
        });
      const resources = withApp(['https://elsewhere.example.com/callback']);
      const callback = `${resources.find((r) => r.type === 'terraform_data' && r.values.triggers_replace.provider).values.triggers_replace.server_url}/oauth/callback`;
      try {
        expect(await verify()).toBe(3);
        expect(io.out).toContain(
          `- purview-data-governance redirect_uri DIFFERS: Terraform: https://elsewhere.example.com/callback; Nango: ${callback}. the app registration's Web redirect URIs do not include Nango's callback URL`,
        );
        withApp([callback]);
        expect(await verify()).toBe(0);
        expect(io.out).toContain('ok      ok            ok');
        expect(await verify('--callback-url', 'https://nango.example.com/oauth/callback')).toBe(3);
      } finally {
        stateWith();
      }
    });

    test('reads the state with terraform in --dir, where the Entra password is not: the secret is unknown', async () => {
      expect(await verify('--dir', dir)).toBe(3);
      expect(io.out).toContain(
        "- purview-data-governance client_secret unknown: the state holds no azuread_application_password with key ID 'key-1' (Sync's client_secret_key_id)",
      );
    });

    test('fails with status 1, without the key, when Nango refuses the secret key', async () => {
      process.env.NANGO_SECRET_KEY = randomUUID();
      const planted = process.env.NANGO_SECRET_KEY;
      expect(await verify()).toBe(1);
      expect(io.err).not.toContain(planted);
      expect(io.err).toMatch(
        /^Error \[VERIFY_NANGO_FAILED\]: GET http:\/\/127\.0\.0\.1:\d+\/integrations\/kindo-purview\?include=credentials: Nango refused the secret key \(HTTP 401, unknown_account\); expected NANGO_SECRET_KEY/,
      );
    });

    test('fails with status 1 when no secret key is in the environment', async () => {
      delete process.env.NANGO_SECRET_KEY;
      expect(await verify()).toBe(1);
      expect(io.err).toMatch(
        /^Error \[VERIFY_NO_SECRET_KEY\]: no Nango secret key in the environment; expected NANGO_SECRET_KEY \(or TF_VAR_nango_secret_key/,
      );
    });
  },
);
