import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataResource, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { NangoRegistration, type NangoRegistrationProps } from '../../src/nango/nango-registration';
import { FakeNango } from '../support/fake-nango';
import { synthNangoStack } from '../support/nango-stack';
import { hasTerraform, terraform } from '../support/terraform';

function variables(stack: TerraformStack) {
  const v = (name: string, sensitive = false) => new TerraformVariable(stack, name, { type: 'string', sensitive }).stringValue;
  return {
    secretKey: v('nango_secret_key', true),
    clientId: v('client_id'),
    clientSecret: v('client_secret', true),
    clientSecretKeyId: v('client_secret_key_id'),
  };
}

function registration(stack: TerraformStack, overrides: Partial<NangoRegistrationProps> = {}): NangoRegistration {
  return new NangoRegistration(stack, 'Teams', {
    integrationId: 'teams',
    serverUrl: 'https://api.nango.dev',
    uniqueKey: 'kindo-teams',
    provider: 'microsoft-tenant-specific',
    displayName: 'Microsoft Teams',
    scopes: ['offline_access', 'User.Read', 'Chat.ReadWrite'],
    ...variables(stack),
    ...overrides,
  });
}

describe('NangoRegistration', () => {
  test('shows every registered value except secrets in the plan-visible triggers', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    registration(stack);
    const synth = Testing.synth(stack);
    expect(synth).toHaveResourceWithProperties(DataResource, {
      triggers_replace: {
        server_url: 'https://api.nango.dev',
        unique_key: 'kindo-teams',
        provider: 'microsoft-tenant-specific',
        display_name: 'Microsoft Teams',
        scopes: 'offline_access,User.Read,Chat.ReadWrite',
        client_id: '${var.client_id}',
        client_secret_key_id: '${var.client_secret_key_id}',
      },
    });
  });

  test('deletes from Nango only when destroyed, never when replaced', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    registration(stack);
    const resources = JSON.parse(Testing.synth(stack)).resource.terraform_data;
    const registrationResource = Object.entries<any>(resources).find(([k]) => k.includes('Registration'))![1];
    expect(registrationResource.lifecycle).toEqual({ create_before_destroy: true });
    expect(registrationResource.provisioner[0]['local-exec']).toMatchObject({ when: 'destroy', command: expect.stringMatching(/nango-registration\.sh" delete$/) });
    expect(registrationResource.triggers_replace.secret_key).toBe('${sensitive(var.nango_secret_key)}');
  });

  test('reads the registration back with a GET in a check block, for drift', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    registration(stack);
    const check = Object.values<any>(JSON.parse(Testing.synth(stack)).check)[0];
    const http = Object.values<any>(check.data.http)[0];
    expect(http.url).toBe('https://api.nango.dev/integrations/kindo-teams?include=credentials');
    expect(http.method).toBeUndefined();
    expect(http.request_headers.Authorization).toBe('${sensitive("Bearer ${var.nango_secret_key}")}');
    expect(check.assert).toHaveLength(2);
  });

  test('leaves the drift check out when asked', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    registration(stack, { driftCheck: false });
    expect(JSON.parse(Testing.synth(stack)).check).toBeUndefined();
  });

  test('fails if the Nango secret key is a literal', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    expect(() => registration(stack, { secretKey: randomUUID() })).toThrow(
      "`nango.secretKey` is a literal string; expected a token, such as a sensitive TerraformVariable (new TerraformVariable(this, 'nango_secret_key', { type: 'string', sensitive: true }).stringValue), so that the secret never lands in the synthesized configuration",
    );
  });

  test('fails if the client secret is a literal', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    expect(() => registration(stack, { clientSecret: 'abc~123' })).toThrow(/^`clientSecret` is a literal string; expected a token/);
  });

  test('fails if the unique key is not one Nango accepts', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    expect(() => registration(stack, { uniqueKey: 'kindo/teams' })).toThrow(
      "`nangoUniqueKey` is 'kindo/teams'; expected 1 to 255 letters, digits or ~ : . @ _ - and spaces, e.g. 'kindo-teams'",
    );
  });

  test('fails if the provider is not an OAUTH2 provider of Nango', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    expect(() => registration(stack, { provider: 'microsoft-oauth2-cc' })).toThrow(
      "`nangoProvider` is 'microsoft-oauth2-cc', whose Nango auth mode is OAUTH2_CC; expected an OAUTH2 provider, since delegated integrations sign users in (e.g. 'microsoft-tenant-specific')",
    );
  });

  test('fails if the display name is empty', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    expect(() => registration(stack, { displayName: '' })).toThrow("`displayName` is ''; expected 1 to 255 characters, Nango's limit");
  });

  test('fails if a scope has characters Nango rejects', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    expect(() => registration(stack, { scopes: ['offline_access', 'User.Read Mail.Send'] })).toThrow(
      "`scopes[1]` is 'User.Read Mail.Send'; expected an OAuth scope of letters, digits and : / _ . * -",
    );
  });
});

// End to end with the real terraform binary against a Nango stand-in on 127.0.0.1.
describe.skipIf(!hasTerraform)('NangoRegistration lifecycle with terraform (terraform on the PATH)', () => {
  const nango = new FakeNango(randomUUID());
  let dir: string;
  let vars: Record<string, string>;
  const run = async (...args: string[]) => {
    const result = await terraform(dir, args, vars);
    return result;
  };
  const applied = async (...args: string[]) => {
    const result = await run('apply', '-auto-approve', '-input=false', ...args);
    expect(result.status, result.output).toBe(0);
    return result;
  };
  const planned = async () => {
    const before = nango.requests.length;
    const result = await run('plan', '-input=false', '-detailed-exitcode');
    expect(nango.requests.slice(before), 'a plan sends nothing to Nango').toEqual([]);
    return result;
  };
  const sinceLast = (fn: () => Promise<unknown>) => async () => {
    const before = nango.requests.length;
    await fn();
    return nango.requests.slice(before).map((r) => `${r.method} ${r.path} ${r.status}`);
  };

  beforeAll(async () => {
    const serverUrl = await nango.start();
    dir = synthNangoStack(serverUrl, ['offline_access', 'User.Read', 'Chat.ReadWrite']);
    vars = { nango_secret_key: nango.secretKey, nango_provider: 'microsoft-tenant-specific', client_id: 'client-1', client_secret: 'first~Secret.value', client_secret_key_id: 'key-1' };
    const init = await run('init', '-input=false');
    expect(init.status, init.output).toBe(0);
  }, 60_000);

  afterAll(async () => {
    await nango.stop();
    if (dir) rmSync(join(dir, '..', '..'), { recursive: true, force: true });
  });

  test('a first plan writes nothing; apply creates the integration with one POST', async () => {
    expect((await planned()).status).toBe(2);
    const requests = await sinceLast(() => applied())();
    expect(requests).toEqual(['GET /integrations/kindo-teams 404', 'POST /integrations 200']);
    const post = nango.requests.find((r) => r.method === 'POST')!;
    expect(post.body).toEqual({
      unique_key: 'kindo-teams',
      provider: 'microsoft-tenant-specific',
      display_name: 'Microsoft Teams',
      credentials: { type: 'OAUTH2', client_id: 'client-1', client_secret: 'first~Secret.value', scopes: 'offline_access,User.Read,Chat.ReadWrite' },
    });
  }, 60_000);

  test('a plan with nothing to do writes nothing, and a no-op apply sends nothing', async () => {
    expect((await planned()).status).toBe(0);
    expect(await sinceLast(() => applied())()).toEqual([]);
  }, 60_000);

  test('a changed client ID shows in the plan and is PATCHed in place', async () => {
    vars = { ...vars, client_id: 'client-2' };
    const plan = await planned();
    expect(plan.status).toBe(2);
    expect(plan.output).toMatch(/~ client_id += "client-1" -> "client-2"/);
    expect(await sinceLast(() => applied())()).toEqual(['GET /integrations/kindo-teams 200', 'PATCH /integrations/kindo-teams 200']);
    expect(nango.integrations.get('kindo-teams')!.credentials.client_id).toBe('client-2');
  }, 60_000);

  test('a rotated secret is PATCHed before the old one is removed, never shown in the plan or the logs', async () => {
    vars = { ...vars, client_secret: 'second~Secret.value', client_secret_key_id: 'key-2' };
    const plan = await planned();
    expect(plan.output).toContain('"key-1" -> "key-2"');
    const apply = await applied('-json');
    expect(nango.integrations.get('kindo-teams')!.credentials.client_secret).toBe('second~Secret.value');
    const completed = apply.output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { type: string; hook?: { resource: { addr: string }; action: string } })
      .filter((m) => m.type === 'apply_complete')
      .map((m) => `${m.hook!.action} ${m.hook!.resource.addr}`);
    const synced = completed.findIndex((c) => /^create terraform_data\.Teams_Sync_/.test(c));
    const oldSecretRemoved = completed.findIndex((c) => /^delete terraform_data\.ClientSecret/.test(c));
    expect(synced, completed.join('\n')).toBeGreaterThanOrEqual(0);
    expect(oldSecretRemoved, completed.join('\n')).toBeGreaterThan(synced);
    for (const text of [plan.output, apply.output]) {
      expect(text).not.toContain('second~Secret.value');
      expect(text).not.toContain('first~Secret.value');
      expect(text).not.toContain(nango.secretKey);
    }
  }, 60_000);

  test('replacing the Terraform objects never deletes the Nango integration', async () => {
    const state = (await run('state', 'list')).output.split('\n');
    const addresses = state.filter((a) => a.startsWith('terraform_data.Teams_'));
    expect(addresses).toHaveLength(2);
    const requests = await sinceLast(() => applied(...addresses.map((a) => `-replace=${a}`)))();
    expect(requests).toEqual(['GET /integrations/kindo-teams 200', 'PATCH /integrations/kindo-teams 200']);
  }, 60_000);

  test('a Nango error fails the apply, naming the integration, the status and the error, with secrets redacted', async () => {
    const good = vars.nango_secret_key;
    const unknownKey = randomUUID();
    vars = { ...vars, nango_secret_key: unknownKey, client_id: 'client-3' };
    const result = await run('apply', '-auto-approve', '-input=false');
    vars = { ...vars, nango_secret_key: good };
    // Terraform wraps diagnostics at 78 columns.
    const output = result.output.replace(/\s+/g, ' ');
    expect(result.status).toBe(1);
    expect(output).toContain("Kindo integration 'teams': Nango answered GET");
    expect(output).toContain('/integrations/kindo-teams with HTTP 401: {"error":{"code":"unknown_account"');
    expect(output).not.toContain(unknownKey);
    expect(output).not.toContain(good);
    expect(output).not.toContain('second~Secret.value');
    expect(await sinceLast(() => applied())()).toEqual(['GET /integrations/kindo-teams 200', 'PATCH /integrations/kindo-teams 200']);
  }, 60_000);

  test('a changed provider shows in the plan and fails the apply: Nango cannot change it in place', async () => {
    vars = { ...vars, nango_provider: 'microsoft' };
    const plan = await planned();
    expect(plan.output).toMatch(/~ provider += "microsoft-tenant-specific" -> "microsoft"/);
    const result = await sinceLast(() => run('apply', '-auto-approve', '-input=false').then((r) => expect(r.output.replace(/\s+/g, ' ')).toContain(
      "Kindo integration 'teams': Nango integration 'kindo-teams' uses another provider than 'microsoft', and Nango cannot change a provider in place; delete the integration in Nango (its connections go with it) and apply again",
    )))();
    expect(result).toEqual(['GET /integrations/kindo-teams 200']);
    vars = { ...vars, nango_provider: 'microsoft-tenant-specific' };
    expect(await sinceLast(() => applied())()).toEqual(['GET /integrations/kindo-teams 200', 'PATCH /integrations/kindo-teams 200']);
  }, 60_000);

  test('destroy deletes the integration with one DELETE', async () => {
    expect(await sinceLast(() => applied('-destroy'))()).toEqual(['DELETE /integrations/kindo-teams 200']);
    expect(nango.integrations.size).toBe(0);
  }, 60_000);

  test('destroying what Nango no longer has counts as done', async () => {
    await applied();
    nango.integrations.clear();
    expect(await sinceLast(() => applied('-destroy'))()).toEqual(['DELETE /integrations/kindo-teams 404']);
  }, 60_000);

  test('the synthesized configuration holds no secret literal', () => {
    const json = readFileSync(join(dir, 'cdk.tf.json'), 'utf8');
    expect(json).not.toContain(nango.secretKey);
    expect(json).not.toContain('Secret.value');
  });
});

// The drift check's conditions, evaluated by real Terraform against made-up Nango answers: the http
// provider cannot be installed here, so its data source is replaced by a local with the same shape.
describe.skipIf(!hasTerraform)('NangoRegistration drift check conditions (terraform on the PATH)', () => {
  const evaluate = async (status: number, data: Record<string, unknown>): Promise<boolean[]> => {
    const stack = new TerraformStack(Testing.app(), 'test');
    // The client ID is a reference (var.client_id), as the app's is in real stacks.
    registration(stack);
    const check = Object.values<any>(JSON.parse(Testing.synth(stack)).check)[0];
    const name = Object.keys(check.data.http)[0];
    const dir = mkdtempSync(join(tmpdir(), 'kindo-check-'));
    try {
      const outputs = Object.fromEntries(
        check.assert.map((a: { condition: string }, i: number) => [`assert_${i}`, { value: a.condition.replaceAll(`data.http.${name}`, 'local.nango') }]),
      );
      writeFileSync(
        join(dir, 'main.tf.json'),
        JSON.stringify({ variable: { client_id: { type: 'string' } }, locals: { nango: { status_code: status, response_body: JSON.stringify({ data }) } }, output: outputs }),
      );
      const result = await terraform(dir, ['apply', '-auto-approve', '-input=false'], { client_id: 'client-1' });
      expect(result.status, result.output).toBe(0);
      const values = JSON.parse((await terraform(dir, ['output', '-json'])).output.replace(/^[^{]*/s, ''));
      return Object.keys(outputs).map((k) => values[k].value as boolean);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const registered = { provider: 'microsoft-tenant-specific', credentials: { client_id: 'client-1', scopes: 'offline_access,User.Read,Chat.ReadWrite' } };

  test('pass when Nango holds the configured values', async () => {
    expect(await evaluate(200, registered)).toEqual([true, true]);
  }, 30_000);

  test('pass on the provider alone when Nango leaves the credentials out', async () => {
    expect(await evaluate(200, { provider: 'microsoft-tenant-specific' })).toEqual([true, true]);
  }, 30_000);

  test('warn when the client ID, the scopes or the provider were changed in Nango', async () => {
    expect(await evaluate(200, { ...registered, credentials: { ...registered.credentials, client_id: 'other' } })).toEqual([true, false]);
    expect(await evaluate(200, { ...registered, credentials: { ...registered.credentials, scopes: 'offline_access' } })).toEqual([true, false]);
    expect(await evaluate(200, { ...registered, provider: 'microsoft' })).toEqual([true, false]);
  }, 30_000);

  test('warn that the integration is missing on 404', async () => {
    expect(await evaluate(404, {})).toEqual([false, true]);
  }, 30_000);
});
