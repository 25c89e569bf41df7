import { randomUUID } from 'node:crypto';
import { FakeNango } from '../support/fake-nango';

describe('FakeNango answers as Nango 0.71.4 does', () => {
  const nango = new FakeNango(randomUUID(), [randomUUID()]);
  let url: string;
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    key: string | null = nango.secretKey,
    contentType = 'application/json',
  ) => {
    const headers: Record<string, string> = {};
    if (key) headers.Authorization = `Bearer ${key}`;
    if (body !== undefined) headers['Content-Type'] = contentType;
    const res = await fetch(`${url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return [res.status, await res.text()] as const;
  };
  const credentials = (scopes: string) => ({ type: 'OAUTH2', client_id: 'a', client_secret: 'b', scopes });

  const create = async (key: string, scopes = 'x') => {
    const [status, body] = await call('POST', '/integrations', {
      unique_key: key,
      provider: 'microsoft-tenant-specific',
      credentials: credentials(scopes),
    });
    expect(status, body).toBe(200);
  };

  beforeAll(async () => {
    url = await nango.start();
  });
  beforeEach(() => {
    nango.integrations.clear();
    nango.connections.clear();
  });
  afterAll(() => nango.stop());

  test("a key of another environment sees only that environment's integrations", async () => {
    const other = nango.addEnvironment().secretKey;
    try {
      await create('shared');
      expect((await call('GET', '/integrations/shared', undefined, other))[0]).toBe(404);
      expect(
        (
          await call(
            'POST',
            '/integrations',
            { unique_key: 'shared', provider: 'microsoft-tenant-specific', credentials: credentials('x') },
            other,
          )
        )[0],
      ).toBe(200);
      expect(await call('DELETE', '/integrations/shared', undefined, other)).toEqual([200, '{"success":true}']);
      expect((await call('GET', '/integrations/shared'))[0]).toBe(200);
    } finally {
      nango.otherEnvironments.delete(other);
    }
  });

  test('401 bodies put the message before the code', async () => {
    expect(await call('GET', '/integrations/x', undefined, null)).toEqual([
      401,
      '{"error":{"message":"Authentication failed. The request is missing the Authorization header.","code":"missing_auth_header","payload":{}}}',
    ]);
    expect(await call('GET', '/integrations/x', undefined, 'abc')).toEqual([
      401,
      '{"error":{"message":"Authentication failed. The provided secret key is not a UUID v4.","code":"invalid_secret_key_format","payload":{}}}',
    ]);
    expect(await call('GET', '/integrations/x', undefined, randomUUID())).toEqual([
      401,
      '{"error":{"message":"Authentication failed. The provided authorization header does not match any account.","code":"unknown_account","payload":{}}}',
    ]);
    // The form is checked without regard to case, the key itself is not: the real 0.71.4 answers the same.
    expect((await call('GET', '/integrations/x', undefined, nango.secretKey.toUpperCase()))[1]).toContain(
      '"code":"unknown_account"',
    );
  });

  test('POST with empty scopes stores the provider default; PATCH with empty scopes stores null', async () => {
    await create('k', '');
    expect(JSON.parse((await call('GET', '/integrations/k?include=credentials'))[1]).data.credentials.scopes).toBe(
      'offline_access',
    );
    expect((await call('PATCH', '/integrations/k', { credentials: credentials('') }))[0]).toBe(200);
    expect(
      JSON.parse((await call('GET', '/integrations/k?include=credentials'))[1]).data.credentials.scopes,
    ).toBeNull();
  });

  test('a key without the read_credentials scope gets no credentials', async () => {
    await create('k');
    expect(
      JSON.parse(
        (await call('GET', '/integrations/k?include=credentials', undefined, nango.keysWithoutCredentials[0]))[1],
      ).data.credentials,
    ).toBeUndefined();
  });

  test('keeps custom settings (merged on PATCH, strings only) and returns them only from GET /config/{key}?include_creds=true', async () => {
    const config = async (key = nango.secretKey, query = '?include_creds=true') =>
      call('GET', `/config/k${query}`, undefined, key);
    await create('k');
    expect(JSON.parse((await config())[1]).config.custom).toBeNull();
    expect(await call('PATCH', '/integrations/k', { custom: { a: 1 } })).toEqual([
      400,
      '{"error":{"code":"invalid_body","errors":[{"code":"invalid_type","message":"Invalid input: expected string, received number","path":["custom","a"]}]}}',
    ]);
    expect((await call('PATCH', '/integrations/k', { custom: { tenant_id: 't', region: 'west' } }))[0]).toBe(200);
    expect((await call('PATCH', '/integrations/k', { custom: { tenant_id: '', purview_endpoint: 'p' } }))[0]).toBe(200);
    const answer = JSON.parse((await config())[1]).config;
    expect(answer.custom).toEqual({ tenant_id: '', region: 'west', purview_endpoint: 'p' });
    expect(Object.keys(answer)).toEqual([
      'unique_key',
      'provider',
      'client_id',
      'client_secret',
      'custom',
      'scopes',
      'app_link',
      'auth_mode',
      'created_at',
      'syncs',
      'actions',
      'has_webhook',
      'webhook_secret',
      'connections',
      'docs',
      'connection_count',
      'has_webhook_user_defined_secret',
      'webhook_url',
    ]);
    expect((await call('GET', '/integrations/k?include=credentials'))[1]).not.toContain('custom');
    expect(JSON.parse((await config(nango.secretKey, ''))[1])).toEqual({
      config: { unique_key: 'k', provider: 'microsoft-tenant-specific', syncs: [], actions: [] },
    });
    expect(await config(nango.keysWithoutCredentials[0])).toEqual([
      403,
      '{"error":{"code":"forbidden","message":"Insufficient scope. Required: environment:integrations:read_credentials"}}',
    ]);
    expect((await call('GET', '/config/missing?include_creds=true'))[0]).toBe(400);
  });

  test('answers a GET in the real server field order, with the logo on its own URL', async () => {
    await create('k');
    const data = JSON.parse((await call('GET', '/integrations/k?include=credentials'))[1]).data;
    expect(Object.keys(data)).toEqual([
      'unique_key',
      'provider',
      'display_name',
      'logo',
      'credentials',
      'forward_webhooks',
      'created_at',
      'updated_at',
    ]);
    expect(data.logo).toBe(`${url}/images/template-logos/microsoft-tenant-specific.svg`);
  });

  test('rejects a non-JSON content type, an unknown route, an unknown include and unknown keys as Nango does', async () => {
    await create('k');
    expect(await call('POST', '/integrations', 'x', nango.secretKey, 'text/plain')).toEqual([
      415,
      '{"error":{"code":"invalid_content_type","message":"Content-Type header must be application/json"}}',
    ]);
    const [status, body] = await call('GET', '/integrationsx');
    expect(status).toBe(500);
    expect(JSON.parse(body).error).toMatchObject({
      code: 'generic_error_support',
      message: expect.stringMatching(
        /^An error occurred. Please contact support with this unique id: "[0-9a-f-]{36}"$/,
      ),
    });
    expect(await call('GET', '/integrations/k?include=bogus')).toEqual([
      400,
      '{"error":{"code":"invalid_query_params","errors":[{"code":"invalid_union","message":"Invalid input","path":["include"]}]}}',
    ]);
    expect(await call('PATCH', '/integrations/k', { provider: 'microsoft' })).toEqual([
      400,
      '{"error":{"code":"invalid_body","errors":[{"code":"unrecognized_keys","message":"Unrecognized key: \\"provider\\"","path":[]}]}}',
    ]);
  });

  test('renames with PATCH unique_key, except onto a used key or while connections exist', async () => {
    await create('k');
    await create('other');
    expect(await call('PATCH', '/integrations/k', { unique_key: 'other' })).toEqual([
      400,
      '{"error":{"code":"invalid_body","message":"uniqueKey is already used by another integration"}}',
    ]);
    nango.connections.set('k', 1);
    expect(await call('PATCH', '/integrations/k', { unique_key: 'k2' })).toEqual([
      400,
      '{"error":{"code":"invalid_body","message":"Can\'t rename an integration with active connections"}}',
    ]);
    nango.connections.delete('k');
    expect((await call('PATCH', '/integrations/k', { unique_key: 'k 2' }))[0]).toBe(200);
    expect(JSON.parse((await call('GET', '/integrations/k%202'))[1]).data.unique_key).toBe('k 2');
    expect(await call('PATCH', '/integrations/nope', { unique_key: 'x' })).toEqual([
      404,
      '{"error":{"code":"not_found","message":"Integration \\"nope\\" does not exist"}}',
    ]);
  });

  test('DELETE answers success, then not found; a duplicate POST is refused', async () => {
    await create('k 2');
    await create('other');
    expect(await call('DELETE', '/integrations/k%202')).toEqual([200, '{"success":true}']);
    expect(await call('DELETE', '/integrations/k%202')).toEqual([
      404,
      '{"error":{"code":"not_found","message":"Integration does not exist"}}',
    ]);
    expect(
      (
        await call('POST', '/integrations', {
          unique_key: 'other',
          provider: 'microsoft-tenant-specific',
          credentials: credentials('x'),
        })
      )[1],
    ).toBe(
      '{"error":{"code":"invalid_body","errors":[{"code":"invalid_string","message":"Unique key already exists","path":["uniqueKey"]}]}}',
    );
  });

  test.each([
    ['drop', 'closes the connection without an answer'],
    [502, 'answers 502 as a failing proxy'],
  ] as const)('a %s fault lets the request change Nango, then %s, once', async (fault, _what) => {
    nango.failNext('POST', '/integrations', fault);
    const sent = fetch(`${url}/integrations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${nango.secretKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ unique_key: 'k', provider: 'microsoft-tenant-specific', credentials: credentials('x') }),
    });
    if (fault === 'drop') await expect(sent).rejects.toThrow('fetch failed');
    else expect((await sent).status).toBe(502);
    expect(nango.integrations.has('k')).toBe(true);
    expect(nango.requests.at(-1)).toMatchObject({ method: 'POST', status: fault === 'drop' ? 0 : 502 });
    expect((await call('GET', '/integrations/k'))[0]).toBe(200);
  });

  test('a hang fault never answers, and counts the connection until the client closes it', async () => {
    nango.failNext('GET', '/integrations/k', 'hang');
    const aborted = new AbortController();
    const sent = fetch(`${url}/integrations/k`, {
      headers: { Authorization: `Bearer ${nango.secretKey}` },
      signal: aborted.signal,
    }).catch(() => 'aborted');
    for (let i = 0; i < 100 && nango.openHangingRequests === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(nango.openHangingRequests).toBe(1);
    aborted.abort();
    expect(await sent).toBe('aborted');
    for (let i = 0; i < 100 && nango.openHangingRequests > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(nango.openHangingRequests).toBe(0);
  });
});
