import { nangoStackRuns } from '../support/nango-stack';
import type { Fault } from '../support/fake-nango';
import { hasTerraform } from '../support/terraform';

// A fault between a request and its recorded answer (a proxy's 502, a dropped connection, a runner
// killed after the request) must not leave the stack stuck; an integration another party made must
// never be touched without the opt-in. End to end with terraform against the stand-in.
describe.skipIf(!hasTerraform)('NangoRegistration after a lost answer, and beside foreign integrations', () => {
  const e2e = nangoStackRuns(['offline_access', 'User.Read']);
  const { nango, run, applied, planned, sent, failed, resynth, start } = e2e;
  const theirs = (provider: string, clientId: string, clientSecret: string) =>
    nango.integrations.set('kindo-teams', {
      unique_key: 'kindo-teams',
      provider,
      display_name: 'Theirs',
      credentials: {
        type: 'OAUTH2',
        client_id: clientId,
        client_secret: clientSecret,
        scopes: null,
        webhook_secret: null,
      },
      created_at: 'then',
      updated_at: 'then',
    });
  /** A clean re-plan, then a destroy that deletes what is left. */
  const convergedThenDestroyed = async (key: string) => {
    expect((await planned()).status).toBe(0);
    expect(await sent(() => applied('-destroy'))).toEqual([`DELETE /integrations/${key} 200`]);
    expect(nango.integrations.size).toBe(0);
  };

  test.each<Fault>(['drop', 502])(
    'a create whose answer is lost (%s) converges on the next apply: taken as this state’s, re-plan clean, destroy deletes',
    async (fault) => {
      await start(false);
      nango.failNext('POST', '/integrations', fault);
      expect(await sent(() => failed())).toEqual([
        'GET /integrations/kindo-teams?include=credentials 404',
        `POST /integrations ${fault === 'drop' ? 0 : 502}`,
      ]);
      expect(nango.integrations.has('kindo-teams')).toBe(true);
      // Terraform suppresses the output of a provisioner whose configuration holds a secret: no message to check.
      expect(await sent(() => applied())).toEqual([
        'GET /integrations/kindo-teams?include=credentials 200',
        'GET /integrations/kindo-teams 200',
        'PATCH /integrations/kindo-teams 200',
      ]);
      await convergedThenDestroyed('kindo-teams');
    },
    90_000,
  );

  test('an update whose answer is lost is pushed again by the next apply', async () => {
    await start(true);
    e2e.vars = { ...e2e.vars, client_id: 'client-2' };
    nango.failNext('PATCH', '/integrations/kindo-teams', 'drop');
    expect(await sent(() => failed())).toEqual([
      'GET /integrations/kindo-teams 200',
      'PATCH /integrations/kindo-teams 0',
    ]);
    expect(await sent(() => applied())).toEqual([
      'GET /integrations/kindo-teams 200',
      'PATCH /integrations/kindo-teams 200',
    ]);
    expect(nango.integrations.get('kindo-teams')!.credentials.client_id).toBe('client-2');
    await convergedThenDestroyed('kindo-teams');
  }, 90_000);

  test('a rename whose answer is lost is found done by the next apply, which pushes to the new key', async () => {
    await start(true);
    await resynth({ uniqueKey: 'kindo-teams-v2' });
    nango.failNext('PATCH', '/integrations/kindo-teams', 502);
    expect(await sent(() => failed())).toEqual(['PATCH /integrations/kindo-teams 502']);
    expect([...nango.integrations.keys()]).toEqual(['kindo-teams-v2']);
    let output = '';
    expect(await sent(async () => (output = (await applied()).output))).toEqual([
      'PATCH /integrations/kindo-teams 404',
      'GET /integrations/kindo-teams-v2?include=credentials 200',
      'GET /integrations/kindo-teams-v2 200',
      'PATCH /integrations/kindo-teams-v2 200',
    ]);
    expect(output).toContain("was renamed to 'kindo-teams-v2' already (an earlier apply's answer was lost)");
    await convergedThenDestroyed('kindo-teams-v2');
  }, 90_000);

  test('a delete whose answer is lost counts as done on the next destroy', async () => {
    await start(true);
    nango.failNext('DELETE', '/integrations/kindo-teams', 'drop');
    expect(await sent(() => failed('-destroy'))).toEqual(['DELETE /integrations/kindo-teams 0']);
    expect(nango.integrations.size).toBe(0);
    let output = '';
    expect(await sent(async () => (output = (await applied('-destroy')).output))).toEqual([
      'DELETE /integrations/kindo-teams 404',
    ]);
    expect(output).toContain('deleted already (outside Terraform, or by an earlier destroy whose answer was lost)');
    expect((await run('state', 'list')).output).not.toContain('terraform_data.Teams_');
  }, 90_000);

  test.each([
    ['another client ID', 'theirs', 'first~Secret.value'],
    ['this client ID and another secret', 'client-1', 'their~secret'],
  ])(
    'an integration of the same provider with %s is left as it is, unless adopted',
    async (_name, id, secret) => {
      await start(false);
      theirs('microsoft-tenant-specific', id, secret);
      nango.connections.set('kindo-teams', 3);
      const before = structuredClone(nango.integrations.get('kindo-teams'));
      let output = '';
      expect(await sent(async () => (output = await failed()))).toEqual([
        'GET /integrations/kindo-teams?include=credentials 200',
      ]);
      expect(output).toContain(
        "Kindo integration 'teams': Nango already has an integration 'kindo-teams' with another client ID or secret; it is left as it is. Set adoptExistingNangoIntegration to take it over",
      );
      // The failed claim leaves Registration tainted, and Terraform runs no destroy-time provisioner for it.
      expect(await sent(() => applied('-destroy'))).toEqual([]);
      expect(nango.integrations.get('kindo-teams')).toEqual(before);

      await resynth({ adoptExisting: true });
      expect((await planned()).output).toContain('+ adopt_existing = true');
      expect(await sent(() => applied())).toEqual([
        'GET /integrations/kindo-teams?include=credentials 200',
        'GET /integrations/kindo-teams 200',
        'PATCH /integrations/kindo-teams 200',
      ]);
      expect(nango.integrations.get('kindo-teams')).toMatchObject({
        display_name: 'Microsoft Teams',
        created_at: 'then',
        credentials: { client_id: 'client-1', client_secret: 'first~Secret.value' },
      });
      expect(nango.connections.get('kindo-teams')).toBe(3);
      await convergedThenDestroyed('kindo-teams');
    },
    120_000,
  );

  test.each([false, true])(
    'an integration of another provider is refused whether adopted or not (%s), naming both providers and the ways out',
    async (adoptExisting) => {
      await start(false, { adoptExisting });
      theirs('microsoft', 'client-1', 'first~Secret.value');
      const output = await failed();
      expect(output).toContain(
        `Kindo integration 'teams': Nango integration 'kindo-teams' has provider "microsoft", and this configuration registers 'microsoft-tenant-specific'; Nango cannot change a provider. Choose another unique key, or delete the integration in Nango (its connections go with it) and apply again (docs/nango-registration.md#another-provider)`,
      );
      expect(output).not.toContain('adoptExisting');
      expect(await sent(() => applied('-destroy'))).toEqual([]);
      expect(nango.integrations.get('kindo-teams')!.provider).toBe('microsoft');
    },
    60_000,
  );

  test('without the read_credentials scope, an existing integration is refused, saying so', async () => {
    await start(false);
    theirs('microsoft-tenant-specific', 'client-1', 'first~Secret.value');
    e2e.vars = { ...e2e.vars, nango_secret_key: nango.keysWithoutCredentials[0] };
    let output = '';
    expect(await sent(async () => (output = await failed()))).toEqual([
      'GET /integrations/kindo-teams?include=credentials 200',
    ]);
    expect(output).toContain(
      "Nango gave no credentials for integration 'kindo-teams', so it cannot be told whether this state made it: the Nango secret key lacks the environment:integrations:read_credentials scope",
    );
  }, 60_000);
});
