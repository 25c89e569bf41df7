import { randomUUID } from 'node:crypto';
import { registrationsFromState, verifyRegistrations, type StateRegistration } from '../../src/nango/verify';
import { expectKindoRejection } from '../support/errors';

// Planted secrets, made at run time: Entra-like client secrets and a Nango secret key. None may appear in any output.
const entraSecret = () => `kQ4${Math.floor(Math.random() * 10)}Q~${randomUUID().replace(/-/g, '.')}`;
const CLIENT_ID = randomUUID();
const TENANT_ID = randomUUID();
const KEY_ID = randomUUID();

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
                    client_secret_key_id: KEY_ID,
                    fields: JSON.stringify({ tenant_id: TENANT_ID }),
                  },
                },
              },
              {
                address: 'module.kindo.azuread_application_password.this["teams"]',
                mode: 'managed',
                type: 'azuread_application_password',
                values: { key_id: KEY_ID, value: clientSecret },
              },
              {
                address: 'module.kindo.azuread_application_password.this["outlook"]',
                mode: 'managed',
                type: 'azuread_application_password',
                values: { key_id: randomUUID(), value: entraSecret() },
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

  test('reads registrations from a child module, with fields given as one JSON map, and the secret of the password with the key ID Sync recorded', () => {
    expect(registrationsFromState(state, 'state.json')).toEqual([
      expect.objectContaining({
        address: 'module.kindo.terraform_data.sync["teams"]',
        registrationAddress: 'module.kindo.terraform_data.registration["teams"]',
        integration: 'teams',
        uniqueKey: 'kindo-teams',
        fields: { tenant_id: TENANT_ID },
        redirectUris: undefined,
        clientSecretKeyId: KEY_ID,
        clientSecret,
      }),
    ]);
  });

  test('reports the client secret as unknown when the state holds no password with the recorded key ID', async () => {
    const [registration] = registrationsFromState(state, 'state.json');
    const rotated: StateRegistration = { ...registration, clientSecretKeyId: 'key-2', clientSecret: undefined };
    const fetch = answer({
      '/integrations/kindo-teams': [
        200,
        {
          data: {
            provider: 'microsoft-tenant-specific',
            credentials: { client_id: CLIENT_ID, client_secret: clientSecret, scopes: 'offline_access,User.Read' },
          },
        },
      ],
      '/config/kindo-teams': [200, { config: { custom: { tenant_id: TENANT_ID } } }],
    });
    const [ok] = (await verifyRegistrations([registration], 's', { secretKey, fetch })).integrations;
    expect(ok.checks.find((c) => c.check === 'client_secret')?.status).toBe('ok');
    const [unknown] = (await verifyRegistrations([rotated], 's', { secretKey, fetch })).integrations;
    expect(unknown.checks.find((c) => c.check === 'client_secret')).toEqual({
      check: 'client_secret',
      status: 'unknown',
      detail: "the state holds no azuread_application_password with key ID 'key-2' (Sync's client_secret_key_id)",
    });
  });

  test.each([
    ['http on a public host', 'http://nango.example.com', 'http://nango.example.com/'],
    ['credentials', 'https://admin:pa55word@nango.example.com', 'https://nango.example.com/'],
    ['no URL at all', 'nango.example.com', 'nango.example.com'],
  ])('refuses a server URL with %s before any request, without its credentials', async (_name, url, shown) => {
    const [registration] = registrationsFromState(state, 'state.json');
    const fetch = vi.fn<typeof globalThis.fetch>();
    const { message } = await expectKindoRejection(
      verifyRegistrations([{ ...registration, serverUrl: url }], 's', { secretKey, fetch }),
      'VERIFY_SERVER_URL_REFUSED',
      ['module.kindo.terraform_data.sync["teams"]', `'${shown}'`],
    );
    expect(message).not.toContain('pa55word');
    expect(fetch).not.toHaveBeenCalled();
  });

  test.each(['http://127.0.0.1:3003', 'http://localhost:3003/', 'http://[::1]:3003', 'https://api.nango.dev'])(
    'sends the key to %s',
    async (url) => {
      const [registration] = registrationsFromState(state, 'state.json');
      const fetch = vi.fn(answer({}));
      await expectKindoRejection(
        verifyRegistrations([{ ...registration, serverUrl: url }], 's', { secretKey, fetch }),
        'VERIFY_NANGO_FAILED',
      );
      expect(fetch).toHaveBeenCalled();
    },
  );

  test("reports values of the wrong type in Nango's answer as differing, without failing", async () => {
    const fetch = answer({
      '/integrations/kindo-teams': [
        200,
        { data: { provider: 5, credentials: { client_id: null, client_secret: 7, scopes: 5 } } },
      ],
      '/config/kindo-teams': [200, { config: { custom: { tenant_id: 5 } } }],
    });
    const report = await verifyRegistrations(registrationsFromState(state, 'state.json'), 'state.json', {
      secretKey,
      fetch,
    });
    expect(report.integrations[0].checks.map((c) => `${c.check}:${c.status}:${c.nango ?? ''}`)).toEqual(
      expect.arrayContaining(['provider:differs:none', 'client_id:differs:none', 'scopes:differs:none']),
    );
  });

  test("refuses a key not in Nango's form before any request, never showing it", async () => {
    const key = `${randomUUID()}\nX-Other: header`;
    const fetch = vi.fn<typeof globalThis.fetch>();
    const { message } = await expectKindoRejection(
      verifyRegistrations(registrationsFromState(state, 'state.json'), 's', { secretKey: key, fetch }),
      'NANGO_SECRET_KEY_INVALID',
      ['NANGO_SECRET_KEY', 'UUID v4'],
    );
    expect(message).not.toContain(key.slice(0, 36));
    expect(fetch).not.toHaveBeenCalled();
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
    const { message } = await expectKindoRejection(
      verifyRegistrations(registrationsFromState(state, 'state.json'), 'state.json', { secretKey, fetch }),
      'VERIFY_NANGO_FAILED',
      [
        'GET https://nango.example.com/integrations/kindo-teams',
        'HTTP 500',
        '"message":"bad [redacted] and [redacted]"',
      ],
    );
    expect(message).not.toContain(secretKey);
    expect(message).not.toContain(clientSecret);
  });

  test('says so, without the key, when Nango cannot be reached', async () => {
    const refused = (async () => {
      throw new TypeError('fetch failed', { cause: new Error(`connect ECONNREFUSED for ${secretKey}`) });
    }) as typeof globalThis.fetch;
    const { message } = await expectKindoRejection(
      verifyRegistrations(registrationsFromState(state, 'state.json'), 'state.json', { secretKey, fetch: refused }),
      'VERIFY_NANGO_FAILED',
      [
        'GET https://nango.example.com/integrations/kindo-teams?include=credentials',
        'connect ECONNREFUSED for [redacted]',
      ],
    );
    expect(message).not.toContain(secretKey);
  });
});
