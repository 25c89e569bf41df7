import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliError, main } from '../../src/cli/main';
import { registrationsFromState, verifyRegistrations } from '../../src/nango/verify';
import { captureOutput } from '../support/output';
import { expectKindoError, expectKindoRejection } from '../support/errors';

// Planted secrets, made at run time: Entra-like client secrets and a Nango secret key. None may appear in any output.
const entraSecret = () => `kQ4${Math.floor(Math.random() * 10)}Q~${randomUUID().replace(/-/g, '.')}`;
const CLIENT_ID = randomUUID();
const TENANT_ID = randomUUID();

describe('verify without terraform', () => {
  const io = captureOutput();
  beforeEach(() => {
    process.env.NANGO_SECRET_KEY = randomUUID();
  });
  afterEach(() => {
    delete process.env.NANGO_SECRET_KEY;
  });

  test('fails if the state holds no Nango registration', async () => {
    const file = join(process.env.TMPDIR ?? '/tmp', `empty-state-${randomUUID()}.json`);
    writeFileSync(file, JSON.stringify({ format_version: '1.0' }));
    try {
      expect(await main(['verify', '--state', file])).toBe(1);
      const error = expectKindoError(
        () => registrationsFromState({ format_version: '1.0' }, file),
        'VERIFY_NOTHING_REGISTERED',
        [`'${file}'`],
      );
      expect(io.err).toBe(`${cliError(error)}\n`);
    } finally {
      rmSync(file, { force: true });
    }
  });

  test('fails if --callback-url is not an https URL, naming it', async () => {
    expect(await main(['verify', '--callback-url', 'http://nango.example.com/oauth/callback'])).toBe(2);
    expect(io.err).toMatch(
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
