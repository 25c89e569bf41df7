import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataResource, Fn, TerraformVariable } from 'cdktf';
import { main } from '../../src/cli/main';
import { NangoRegistration } from '../../src/nango/nango-registration';
import { registrationsFromState, verifyRegistrations } from '../../src/nango/verify';
import { FakeNango } from '../support/fake-nango';
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
    let out = '';
    let err = '';
    const stored = () => nango.integrations.get('kindo-purview')!;
    const verify = async (...args: string[]) => {
      out = err = '';
      const status = await main(['verify', '--dir', dir, ...args]);
      const all = out + err;
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
      expect(apply.output).toMatch(/\+ client_secret += \(sensitive value\)/);
      expect(apply.output).not.toContain(CLIENT_SECRET);
    }, 120_000);
    afterAll(async () => {
      await nango.stop();
      rmSync(dirname(dirname(dir)), { recursive: true, force: true });
    });
    beforeEach(() => {
      process.env.NANGO_SECRET_KEY = nango.secretKey;
      vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
        out += String(s);
        return true;
      });
      vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
        err += String(s);
        return true;
      });
    });
    afterEach(() => {
      delete process.env.NANGO_SECRET_KEY;
      vi.restoreAllMocks();
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
      expect(out).toContain(
        'Integration              Unique key     registered  provider  client_id  scopes  fields  redirect_uri  client_secret',
      );
      expect(out).toContain(
        'purview-data-governance  kindo-purview  ok          ok        ok         ok      ok      n/a           ok',
      );
      expect(out).toMatch(/Everything agrees\.\n$/);
    });

    test('--json reports every check, the secret only as compared', async () => {
      expect(await verify('--json')).toBe(0);
      const report = JSON.parse(out);
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
        expect(out).toContain(
          'purview-data-governance  kindo-purview  ok          ok        ok         DIFFERS  DIFFERS  n/a           DIFFERS',
        );
        expect(out).toContain(
          '- purview-data-governance scopes DIFFERS: Terraform: offline_access,User.Read; Nango: offline_access.',
        );
        expect(out).toContain(
          `- purview-data-governance fields DIFFERS: Terraform: purview_endpoint=${PURVIEW}, tenant_id=${TENANT_ID}; Nango: purview_endpoint=https://other.purview.azure.com, tenant_id=${TENANT_ID}. differ: purview_endpoint; set in Nango only: region_hint (Nango cannot remove a field: clear it with '' in nangoFields, e.g. { region_hint: '' })`,
        );
        expect(out).toContain(
          '- purview-data-governance client_secret DIFFERS: Nango holds another client secret than Terraform (compared by SHA-256)',
        );
        expect(out).toMatch(/1 of 1 integration\(s\) do not agree with Nango\.\n$/);
      } finally {
        nango.integrations.set('kindo-purview', saved);
      }
    });

    test('exits 3 when the integration is gone, naming the fix', async () => {
      const saved = stored();
      nango.integrations.delete('kindo-purview');
      try {
        expect(await verify()).toBe(3);
        expect(out).toMatch(
          /- purview-data-governance registered DIFFERS: Nango has no integration 'kindo-purview' \(deleted outside Terraform, or the secret key belongs to another environment\); register it again with: terraform apply -replace=terraform_data\.Purview_Registration_[0-9A-F]+\n/,
        );
      } finally {
        nango.integrations.set('kindo-purview', saved);
      }
    });

    test("compares the app's redirect URIs with Nango's callback when the state holds the app", async () => {
      const state = JSON.parse(execFileSync('terraform', ['show', '-json'], { cwd: dir, encoding: 'utf8' }));
      const resources: any[] = state.values.root_module.resources;
      const callback = `${resources.find((r) => r.type === 'terraform_data' && r.values.triggers_replace.provider).values.triggers_replace.server_url}/oauth/callback`;
      const file = join(dir, 'state.json');
      const withApp = (uris: string[]) => {
        const app = {
          address: 'azuread_application.app',
          mode: 'managed',
          type: 'azuread_application',
          name: 'app',
          values: { client_id: CLIENT_ID, web: [{ redirect_uris: uris }] },
        };
        writeFileSync(file, JSON.stringify({ ...state, values: { root_module: { resources: [...resources, app] } } }));
      };
      try {
        withApp(['https://elsewhere.example.com/callback']);
        expect(await verify('--state', file)).toBe(3);
        expect(out).toContain(
          `- purview-data-governance redirect_uri DIFFERS: Terraform: https://elsewhere.example.com/callback; Nango: ${callback}. the app registration's Web redirect URIs do not include Nango's callback URL`,
        );
        withApp([callback]);
        expect(await verify('--state', file)).toBe(0);
        expect(out).toContain('ok      ok            ok');
        expect(await verify('--state', file, '--callback-url', 'https://nango.example.com/oauth/callback')).toBe(3);
      } finally {
        rmSync(file, { force: true });
      }
    });

    test('fails with status 1, without the key, when Nango refuses the secret key', async () => {
      process.env.NANGO_SECRET_KEY = randomUUID();
      const planted = process.env.NANGO_SECRET_KEY;
      expect(await verify()).toBe(1);
      expect(err).not.toContain(planted);
      expect(err).toMatch(
        /^GET http:\/\/127\.0\.0\.1:\d+\/integrations\/kindo-purview\?include=credentials: Nango refused the secret key \(HTTP 401, unknown_account\); expected NANGO_SECRET_KEY/,
      );
    });

    test('fails with status 1 when no secret key is in the environment', async () => {
      delete process.env.NANGO_SECRET_KEY;
      expect(await verify()).toBe(1);
      expect(err).toMatch(
        /^no Nango secret key in the environment; expected NANGO_SECRET_KEY \(or TF_VAR_nango_secret_key/,
      );
    });
  },
);

describe('verify without terraform', () => {
  let err = '';
  beforeEach(() => {
    err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      err += String(s);
      return true;
    });
    process.env.NANGO_SECRET_KEY = randomUUID();
  });
  afterEach(() => {
    delete process.env.NANGO_SECRET_KEY;
    vi.restoreAllMocks();
  });

  test('fails if the state holds no Nango registration', async () => {
    const file = join(process.env.TMPDIR ?? '/tmp', `empty-state-${randomUUID()}.json`);
    writeFileSync(file, JSON.stringify({ format_version: '1.0' }));
    try {
      expect(await main(['verify', '--state', file])).toBe(1);
      expect(err).toContain(
        "holds no Nango registration (NangoRegistration's Sync resource); expected the state of a stack after `terraform apply`",
      );
    } finally {
      rmSync(file, { force: true });
    }
  });

  test('fails if --callback-url is not an https URL, naming it', async () => {
    expect(await main(['verify', '--callback-url', 'http://nango.example.com/oauth/callback'])).toBe(2);
    expect(err).toMatch(
      /^verify: option --callback-url is not an https URL: 'http:\/\/nango\.example\.com\/oauth\/callback'; expected/,
    );
  });
});

describe('verifyRegistrations with Nango answers the stand-in does not give', () => {
  const secretKey = randomUUID();
  const clientSecret = entraSecret();
  // `terraform show -json` of a state whose registrations sit in a child module, keyed by integration id, with the
  // unique key given as a token (so Registration also keeps it in its triggers).
  const state = {
    format_version: '1.0',
    values: {
      root_module: {
        child_modules: [
          {
            address: 'module.kindo',
            resources: [
              {
                address: 'module.kindo.terraform_data.registration["teams"]',
                mode: 'managed',
                type: 'terraform_data',
                values: {
                  triggers_replace: {
                    integration: 'teams',
                    server_url: 'https://nango.example.com',
                    unique_key: 'kindo-teams',
                  },
                  input: { unique_key: 'kindo-teams', adopt_existing: false },
                },
              },
              {
                address: 'module.kindo.terraform_data.sync["teams"]',
                mode: 'managed',
                type: 'terraform_data',
                values: {
                  triggers_replace: {
                    server_url: 'https://nango.example.com',
                    unique_key: 'kindo-teams',
                    provider: 'microsoft-tenant-specific',
                    scopes: 'offline_access,User.Read',
                    client_id: CLIENT_ID,
                    client_secret: clientSecret,
                    fields: JSON.stringify({ tenant_id: TENANT_ID }),
                  },
                },
              },
            ],
          },
        ],
      },
    },
  };
  const answer = (routes: Record<string, [number, unknown]>): typeof fetch =>
    (async (url: string | URL | Request) => {
      const path = new URL(String(url)).pathname;
      const [status, body] = routes[path] ?? [500, { error: { code: 'generic_error_support' } }];
      return new Response(JSON.stringify(body), { status });
    }) as typeof fetch;

  test('reads registrations from a child module, with fields given as one JSON map', () => {
    expect(registrationsFromState(state, 'state.json')).toEqual([
      expect.objectContaining({
        address: 'module.kindo.terraform_data.sync["teams"]',
        registrationAddress: 'module.kindo.terraform_data.registration["teams"]',
        integration: 'teams',
        uniqueKey: 'kindo-teams',
        fields: { tenant_id: TENANT_ID },
        redirectUris: undefined,
      }),
    ]);
  });

  test('reports client ID, scopes and secret as unknown when the key may not read credentials, and fields as unknown without /config', async () => {
    const fetch = answer({
      '/integrations/kindo-teams': [
        200,
        { data: { unique_key: 'kindo-teams', provider: 'microsoft-tenant-specific' } },
      ],
      '/config/kindo-teams': [403, { error: { code: 'forbidden' } }],
    });
    const report = await verifyRegistrations(registrationsFromState(state, 'state.json'), 'state.json', {
      secretKey,
      fetch,
    });
    expect(report.agrees).toBe(false);
    expect(report.integrations[0].checks.map((c) => `${c.check}:${c.status}`)).toEqual([
      'registered:ok',
      'provider:ok',
      'client_id:unknown',
      'scopes:unknown',
      'fields:unknown',
      'redirect_uri:n/a',
      'client_secret:unknown',
    ]);
  });

  test('never prints a secret that Nango echoes in an error body', async () => {
    const fetch = answer({
      '/integrations/kindo-teams': [
        500,
        { error: { code: 'server_error', message: `bad ${secretKey} and ${clientSecret}` } },
      ],
    });
    const failure = await verifyRegistrations(registrationsFromState(state, 'state.json'), 'state.json', {
      secretKey,
      fetch,
    }).catch((e: Error) => e);
    expect((failure as Error).message).toBe(
      'GET https://nango.example.com/integrations/kindo-teams: Nango answered HTTP 500: {"code":"server_error","message":"bad [redacted] and [redacted]"}',
    );
  });

  test('says so, without the key, when Nango cannot be reached', async () => {
    const refused = (async () => {
      throw new TypeError('fetch failed', { cause: new Error(`connect ECONNREFUSED for ${secretKey}`) });
    }) as typeof globalThis.fetch;
    const failure = (await verifyRegistrations(registrationsFromState(state, 'state.json'), 'state.json', {
      secretKey,
      fetch: refused,
    }).catch((e: Error) => e)) as Error;
    expect(failure.message).toBe(
      'GET https://nango.example.com/integrations/kindo-teams?include=credentials: Nango could not be reached (connect ECONNREFUSED for [redacted]); expected the Nango server URL the stack registered with to answer',
    );
  });
});
