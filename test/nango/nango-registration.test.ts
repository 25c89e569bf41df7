import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DataResource, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import {
  NANGO_ENVIRONMENT_VARIABLE,
  NangoRegistration,
  type NangoRegistrationProps,
} from '../../src/nango/nango-registration';
import { FakeNango } from '../support/fake-nango';
import { synthNangoStack, type NangoStackOptions } from '../support/nango-stack';
import { hasTerraform, terraform } from '../support/terraform';

function variables(stack: TerraformStack) {
  const v = (name: string, sensitive = false) =>
    new TerraformVariable(stack, name, { type: 'string', sensitive }).stringValue;
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
  test('shows every registered value in the plan-visible triggers, the client secret only as sensitive, and has no plan-time read', () => {
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
        client_secret: '${sensitive(var.client_secret)}',
      },
    });
    const tf = JSON.parse(synth);
    expect(tf.check).toBeUndefined();
    expect(tf.data).toBeUndefined();
  });

  test("registers the fields in the custom settings, clears the guide's fields it does not set, and shows each field in the plan", () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    registration(stack, {
      fields: { purview_endpoint: 'https://contoso.purview.azure.com', region_hint: 'west', subscription_id: '' },
    });
    const resources = Object.entries<any>(JSON.parse(Testing.synth(stack)).resource.terraform_data);
    const [registrationResource, sync] = ['Registration', 'Sync'].map(
      (id) => resources.find(([k]) => k.includes(id))![1],
    );
    expect(sync.triggers_replace).toMatchObject({
      'field.purview_endpoint': 'https://contoso.purview.azure.com',
      'field.region_hint': 'west',
      'field.subscription_id': '',
    });
    expect(registrationResource.provisioner[0]['local-exec'].environment.NANGO_POST_BODY).toContain(
      '"custom" = {"purview_endpoint" = "https://contoso.purview.azure.com", "region_hint" = "west"}',
    );
    expect(sync.provisioner[0]['local-exec'].environment.NANGO_PATCH_BODY).toContain(
      '"custom" = {"tenant_id" = "", "purview_endpoint" = "https://contoso.purview.azure.com", "subscription_id" = "", "target_user_id" = "", "region_hint" = "west"}',
    );
  });

  test("clears the guide's fields a map known only at plan (a token) leaves out, and shows the map in the plan", () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const fields = new TerraformVariable(stack, 'nango_fields', { type: 'map(string)' });
    registration(stack, { fields: fields.value });
    const resources = Object.entries<any>(JSON.parse(Testing.synth(stack)).resource.terraform_data);
    const [registrationResource, sync] = ['Registration', 'Sync'].map(
      (id) => resources.find(([k]) => k.includes(id))![1],
    );
    expect(sync.triggers_replace.fields).toBe('${jsonencode(var.nango_fields)}');
    expect(registrationResource.provisioner[0]['local-exec'].environment.NANGO_POST_BODY).toContain(
      '"custom" = var.nango_fields',
    );
    expect(sync.provisioner[0]['local-exec'].environment.NANGO_PATCH_BODY).toContain(
      '"custom" = merge({"tenant_id" = "", "purview_endpoint" = "", "subscription_id" = "", "target_user_id" = ""}, var.nango_fields)',
    );
  });

  test('sends no custom settings on create when there are no fields', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    registration(stack);
    const claim = Object.entries<any>(JSON.parse(Testing.synth(stack)).resource.terraform_data).find(([k]) =>
      k.includes('Registration'),
    )![1];
    expect(claim.provisioner[0]['local-exec'].environment.NANGO_POST_BODY).not.toContain('custom');
  });

  test('fails if a field is named like a secret', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    expect(() => registration(stack, { fields: { api_key: 'k' } })).toThrow(
      /^`nangoFields` has a field named 'api_key', which names a secret/,
    );
  });

  test('claims the key when created and deletes it when destroyed, with the key only where Terraform does not keep it', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    registration(stack, { adoptExisting: true });
    const resources = JSON.parse(Testing.synth(stack)).resource.terraform_data;
    const [address, reg] = Object.entries<any>(resources).find(([k]) => k.includes('Registration'))!;
    expect(reg.triggers_replace).toEqual({ integration: 'teams', server_url: 'https://api.nango.dev' });
    expect(reg.input).toEqual({ unique_key: 'kindo-teams', adopt_existing: true });
    expect(reg.lifecycle).toBeUndefined();
    const [claim, remove] = reg.provisioner.map((p: any) => p['local-exec']);
    expect(claim).toMatchObject({
      command: expect.stringMatching(/nango-registration\.sh" claim$/),
      environment: { NANGO_ADOPT: 'true', NANGO_SECRET_KEY: '${sensitive(var.nango_secret_key)}' },
    });
    expect(claim.when).toBeUndefined();
    expect(remove).toEqual({
      when: 'destroy',
      command: expect.stringMatching(/nango-registration\.sh" delete$/),
      environment: {
        KINDO_INTEGRATION: '${self.triggers_replace.integration}',
        NANGO_SERVER_URL: '${self.triggers_replace.server_url}',
        NANGO_UNIQUE_KEY: '${self.input.unique_key}',
      },
    });
    const sync = Object.entries<any>(resources).find(([k]) => k.includes('Sync'))![1];
    expect(sync.depends_on).toEqual([`terraform_data.${address}`]);
    expect(sync.provisioner[0]['local-exec'].environment.NANGO_REGISTRATION_ADDRESS).toBe(`terraform_data.${address}`);
    expect(sync.provisioner[1]['local-exec']).toEqual({
      when: 'destroy',
      command: expect.stringMatching(/nango-registration\.sh" rename$/),
      environment: {
        KINDO_INTEGRATION: 'teams',
        NANGO_SERVER_URL: '${self.triggers_replace.server_url}',
        NANGO_UNIQUE_KEY: '${self.triggers_replace.unique_key}',
        NANGO_NEW_UNIQUE_KEY: 'kindo-teams',
      },
    });
  });

  test('replaces Registration on a change of a unique key given as a token, since only a literal one can be renamed', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    registration(stack, { uniqueKey: new TerraformVariable(stack, 'unique_key', { type: 'string' }).stringValue });
    const resources = Object.entries<any>(JSON.parse(Testing.synth(stack)).resource.terraform_data);
    expect(resources.find(([k]) => k.includes('Registration'))![1].triggers_replace.unique_key).toBe(
      '${var.unique_key}',
    );
    expect(resources.find(([k]) => k.includes('Sync'))![1].provisioner).toHaveLength(1);
  });

  test('a removed registration becomes a removed block that deletes it, at the address it had', () => {
    const address = (build: (stack: TerraformStack) => void) => {
      const stack = new TerraformStack(Testing.app(), 'test');
      build(stack);
      return JSON.parse(Testing.synth(stack));
    };
    const present = address((stack) => registration(stack));
    const registrationAddress = Object.keys(present.resource.terraform_data).find((k) => k.includes('Registration'));
    const gone = address((stack) => NangoRegistration.removed(stack, 'Teams'));
    expect(gone.resource).toBeUndefined();
    expect(gone.removed).toEqual([
      {
        from: `terraform_data.${registrationAddress}`,
        lifecycle: { destroy: true },
        provisioner: [
          {
            'local-exec': {
              when: 'destroy',
              command: expect.stringMatching(/nango-registration\.sh" delete$/),
              environment: expect.objectContaining({ NANGO_UNIQUE_KEY: '${self.input.unique_key}' }),
            },
          },
        ],
      },
    ]);
  });

  test('fails if the Nango secret key is a literal', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    expect(() => registration(stack, { secretKey: randomUUID() })).toThrow(
      "`nango.secretKey` is a literal string; expected a token, such as a sensitive TerraformVariable (new TerraformVariable(this, 'nango_secret_key', { type: 'string', sensitive: true }).stringValue), so that the secret never lands in the synthesized configuration",
    );
  });

  test('fails if the client secret is a literal', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    expect(() => registration(stack, { clientSecret: 'abc~123' })).toThrow(
      /^`clientSecret` is a literal string; expected a token/,
    );
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
    expect(() => registration(stack, { displayName: '' })).toThrow(
      "`displayName` is ''; expected 1 to 255 characters, Nango's limit",
    );
  });

  test('fails if a scope has characters Nango rejects', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    expect(() => registration(stack, { scopes: ['offline_access', 'User.Read Mail.Send'] })).toThrow(
      "`scopes[1]` is 'User.Read Mail.Send'; expected an OAuth scope of letters, digits and : / _ . * -",
    );
  });
});

describe('NangoRegistration settings per registration', () => {
  test('fails if fields are given for a provider that takes integration_config instead of custom settings, and accepts none', () => {
    const message =
      "`nangoFields` has an entry for 'stripe-app-sandbox', whose Nango provider takes `integration_config` instead of `custom` settings; expected entries only for selected integrations that take this setting";
    expect(() =>
      registration(new TerraformStack(Testing.app(), 's'), {
        provider: 'stripe-app-sandbox',
        fields: { tenant_id: '72f988bf-86f1-41af-91ab-2d7cd011db47' },
      }),
    ).toThrow(message);
    const stack = new TerraformStack(Testing.app(), 's');
    const fields = new TerraformVariable(stack, 'fields', { type: 'map(string)' }).value as Record<string, string>;
    expect(() => registration(stack, { provider: 'stripe-app-sandbox', fields })).toThrow(message);
    expect(() =>
      registration(new TerraformStack(Testing.app(), 's'), { provider: 'stripe-app-sandbox' }),
    ).not.toThrow();
  });

  test('two registrations in one stack keep their own server URL and secret key', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    const key = (name: string) => new TerraformVariable(stack, name, { type: 'string', sensitive: true }).stringValue;
    registration(stack, { serverUrl: 'https://nango-a.example.com/' });
    new NangoRegistration(stack, 'Outlook', {
      integrationId: 'outlook',
      serverUrl: 'https://nango-b.example.com',
      uniqueKey: 'kindo-outlook',
      provider: 'microsoft-tenant-specific',
      displayName: 'Microsoft Outlook',
      scopes: ['offline_access'],
      secretKey: key('other_nango_secret_key'),
      clientId: 'client-b',
      clientSecret: key('other_client_secret'),
      clientSecretKeyId: 'key-b',
    });
    const all = JSON.parse(Testing.synth(stack)).resource.terraform_data as Record<string, any>;
    const claim = (prefix: string) =>
      Object.entries(all).find(([name]) => name.startsWith(`${prefix}_Registration_`))![1].provisioner[0]['local-exec']
        .environment;
    expect(claim('Teams')).toMatchObject({
      NANGO_SERVER_URL: 'https://nango-a.example.com',
      NANGO_SECRET_KEY: '${sensitive(var.nango_secret_key)}',
    });
    expect(claim('Outlook')).toMatchObject({
      NANGO_SERVER_URL: 'https://nango-b.example.com',
      NANGO_SECRET_KEY: '${sensitive(var.other_nango_secret_key)}',
    });
  });
});

describe('NangoRegistration environment', () => {
  const resources = (stack: TerraformStack) =>
    JSON.parse(Testing.synth(stack)).resource.terraform_data as Record<string, Record<string, any>>;
  const named = (all: Record<string, Record<string, any>>, id: string) =>
    Object.entries(all).find(([name]) => name.startsWith(`Teams_${id}_`))!;

  test('records a literal environment, keeps it as first applied, and fails a plan that names another, with the two steps of a move', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    registration(stack, { environment: 'prod' });
    const all = resources(stack);
    const [recordName, record] = named(all, 'Environment');
    expect(record.input).toEqual({ name: 'prod' });
    expect(record.triggers_replace).toEqual({ integration: 'teams', recorded: true });
    expect(record.lifecycle.ignore_changes).toEqual(['input']);
    expect(record.lifecycle.postcondition).toEqual([
      {
        condition: '${self.output.name == null || self.output.name == "prod"}',
        error_message: `Kindo integration 'teams': this Terraform state registered Nango integration 'kindo-teams' in Nango environment '\${coalesce(self.output.name, "none")}', and this plan names environment 'prod' (nango.environment; nango_environment in the default stack and the module). Nothing was changed: deleting the integration from '\${coalesce(self.output.name, "none")}' needs that environment's secret key, which Terraform does not keep. Expected '\${coalesce(self.output.name, "none")}' with its secret key. To move to 'prod': with '\${coalesce(self.output.name, "none")}' and its secret key in TF_VAR_nango_secret_key, run terraform destroy -target='terraform_data.${recordName}' (prefixed with module.<name>. inside a module; it deletes the integration from '\${coalesce(self.output.name, "none")}' and leaves the Entra app), then apply with 'prod' and its key. See docs/nango-registration.md.`,
      },
    ]);
    // `terraform destroy -target` on the record deletes the integration too.
    expect(named(all, 'Registration')[1].depends_on).toEqual([`terraform_data.${recordName}`]);
  });

  test('compares with an environment given as a variable, which records nothing while null', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    registration(stack, {
      environment: new TerraformVariable(stack, 'nango_environment', NANGO_ENVIRONMENT_VARIABLE).stringValue,
    });
    const [, record] = named(resources(stack), 'Environment');
    expect(record.input).toEqual({ name: '${var.nango_environment}' });
    expect(record.triggers_replace).toEqual({ integration: 'teams', recorded: '${var.nango_environment != null}' });
    expect(record.lifecycle.postcondition[0].condition).toBe(
      '${self.output.name == null || var.nango_environment == null || self.output.name == var.nango_environment}',
    );
    expect(record.lifecycle.postcondition[0].error_message).toContain(
      'and this plan names environment \'${coalesce(var.nango_environment, "none")}\'',
    );
  });

  test('records nothing when no environment is given', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    registration(stack);
    const all = resources(stack);
    expect(Object.keys(all).filter((name) => name.includes('_Environment_'))).toEqual([]);
    expect(named(all, 'Registration')[1].depends_on).toBeUndefined();
  });

  test('fails if the environment is not a Nango environment name', () => {
    expect(() => registration(new TerraformStack(Testing.app(), 's'), { environment: 'Prod' })).toThrow(
      "`nango.environment` is 'Prod'; expected a Nango environment name: 1 to 255 lower-case letters, digits, _ or -, e.g. 'prod'",
    );
  });
});

// End to end with the real terraform binary against a Nango stand-in on 127.0.0.1.
describe.skipIf(!hasTerraform)('NangoRegistration lifecycle with terraform (terraform on the PATH)', () => {
  const nango = new FakeNango(randomUUID());
  let serverUrl: string;
  let dir: string;
  let vars: Record<string, string>;
  const dirs: string[] = [];
  const run = (...args: string[]) => terraform(dir, args, vars);
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
  const sent = async (fn: () => Promise<unknown>) => {
    const before = nango.requests.length;
    await fn();
    return nango.requests.slice(before).map((r) => `${r.method} ${r.path} ${r.status}`);
  };
  const failed = async (...args: string[]) => {
    const result = await run('apply', '-auto-approve', '-input=false', ...args);
    expect(result.status, result.output).toBe(1);
    // Terraform wraps diagnostics at 78 columns.
    return result.output.replace(/\s+/g, ' ');
  };
  /** Synthesizes the stack again with other options, keeping the state, as a changed cdktf app would. */
  const resynth = async (options: NangoStackOptions = {}) => {
    const next = synthNangoStack(serverUrl, ['offline_access', 'User.Read', 'Chat.ReadWrite'], options);
    dirs.push(next);
    // synthToDir keeps the state at the root of its output directory.
    if (dir) copyFileSync(statePath(dir), statePath(next));
    dir = next;
    const init = await run('init', '-input=false');
    expect(init.status, init.output).toBe(0);
  };
  const statePath = (stackDir: string) => join(stackDir, '..', '..', 'terraform.tfstate');
  const noSecretIn = (text: string) => {
    for (const secret of [nango.secretKey, 'first~Secret.value', 'second~Secret.value'])
      expect(text).not.toContain(secret);
  };

  /** A fresh stack directory and an empty Nango; with `apply`, the integration registered as a first apply leaves it. */
  const start = async (apply: boolean, options: NangoStackOptions = {}) => {
    nango.integrations.clear();
    nango.connections.clear();
    vars = {
      nango_secret_key: nango.secretKey,
      nango_provider: 'microsoft-tenant-specific',
      client_id: 'client-1',
      client_secret: 'first~Secret.value',
      client_secret_key_id: 'key-1',
    };
    dir = '';
    await resynth(options);
    if (apply) await applied();
  };

  beforeAll(async () => {
    serverUrl = await nango.start();
  });

  afterEach(() => {
    nango.intercept = undefined;
  });

  afterAll(async () => {
    await nango.stop();
    for (const d of dirs) rmSync(join(d, '..', '..'), { recursive: true, force: true });
  });

  test('a first plan writes nothing; apply claims the key with one POST and pushes the values', async () => {
    await start(false);
    expect((await planned()).status).toBe(2);
    expect(await sent(() => applied())).toEqual([
      'GET /integrations/kindo-teams 404',
      'POST /integrations 200',
      'GET /integrations/kindo-teams 200',
      'PATCH /integrations/kindo-teams 200',
    ]);
    const post = nango.requests.find((r) => r.method === 'POST')!;
    expect(post.body).toEqual({
      unique_key: 'kindo-teams',
      provider: 'microsoft-tenant-specific',
      display_name: 'Microsoft Teams',
      credentials: {
        type: 'OAUTH2',
        client_id: 'client-1',
        client_secret: 'first~Secret.value',
        scopes: 'offline_access,User.Read,Chat.ReadWrite',
      },
    });
  }, 60_000);

  test('a plan with nothing to do writes nothing, and a no-op apply sends nothing', async () => {
    await start(true);
    expect((await planned()).status).toBe(0);
    expect(await sent(() => applied())).toEqual([]);
  }, 60_000);

  test('the Nango secret key is in neither the state nor a saved plan, nor its JSON', async () => {
    await start(true);
    vars = { ...vars, client_id: 'client-2' };
    const plan = await run('plan', '-input=false', '-out=tfplan');
    expect(plan.status, plan.output).toBe(0);
    const show = await run('show', '-json', 'tfplan');
    expect(show.status, show.output).toBe(0);
    expect(show.output).toContain('"client-2"');
    const planFile = execFileSync('unzip', ['-p', join(dir, 'tfplan')]).toString('latin1');
    expect(planFile).toContain('client-2');
    // A saved plan needs the ephemeral variable again when it is applied.
    expect(await sent(() => applied('tfplan'))).toEqual([
      'GET /integrations/kindo-teams 200',
      'PATCH /integrations/kindo-teams 200',
    ]);
    const state = readFileSync(statePath(dir), 'utf8');
    for (const text of [
      show.output,
      planFile,
      readFileSync(join(dir, 'tfplan')).toString('latin1'),
      state,
      plan.output,
    ])
      expect(text).not.toContain(nango.secretKey);
    expect(nango.integrations.get('kindo-teams')!.credentials.client_id).toBe('client-2');
  }, 60_000);

  test('a rotated secret is PATCHed before the old one is removed, never shown in the plan or the logs', async () => {
    await start(true);
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
    noSecretIn(plan.output);
    noSecretIn(apply.output);
  }, 60_000);

  test('replacing Sync pushes the values again and never deletes', async () => {
    await start(true);
    const sync = (await run('state', 'list')).output
      .split('\n')
      .find((a) => a.startsWith('terraform_data.Teams_Sync_'))!;
    expect(await sent(() => applied(`-replace=${sync}`))).toEqual([
      'GET /integrations/kindo-teams 200',
      'PATCH /integrations/kindo-teams 200',
    ]);
  }, 60_000);

  test('a Nango error fails the apply, naming the integration, the status and the error, with secrets redacted', async () => {
    await start(true);
    const unknownKey = randomUUID();
    const good = vars;
    vars = { ...vars, nango_secret_key: unknownKey, client_id: 'client-3' };
    const output = await failed();
    vars = { ...good, client_id: 'client-3' };
    expect(output).toContain(
      `Kindo integration 'teams': Nango answered GET ${serverUrl}/integrations/kindo-teams with HTTP 401: {"error":{"message":"Authentication failed. The provided authorization header does not match any account.","code":"unknown_account","payload":{}}}`,
    );
    expect(output).not.toContain(unknownKey);
    noSecretIn(output);
    expect(await sent(() => applied())).toEqual([
      'GET /integrations/kindo-teams 200',
      'PATCH /integrations/kindo-teams 200',
    ]);
  }, 60_000);

  test('Nango failing a PATCH fails the apply, with the secrets it echoes redacted', async () => {
    await start(true);
    nango.intercept = (r) =>
      r.method === 'PATCH'
        ? [500, { error: { code: 'server_error', echoed: r.body, auth: r.headers.authorization } }]
        : undefined;
    vars = { ...vars, client_id: 'client-4' };
    const output = await failed();
    expect(output).toContain(
      `Nango answered PATCH ${serverUrl}/integrations/kindo-teams with HTTP 500: {"error":{"code":"server_error","echoed":"{\\"credentials\\":{\\"client_id\\":\\"client-4\\",\\"client_secret\\":\\"[redacted]\\",`,
    );
    expect(output).toContain('"auth":"Bearer [redacted]"');
    noSecretIn(output);
    nango.intercept = undefined;
    expect(await sent(() => applied())).toEqual([
      'GET /integrations/kindo-teams 200',
      'PATCH /integrations/kindo-teams 200',
    ]);
  }, 60_000);

  test('a changed provider shows in the plan and fails the apply: Nango cannot change it in place', async () => {
    await start(true);
    vars = { ...vars, nango_provider: 'microsoft' };
    const plan = await planned();
    expect(plan.output).toMatch(/~ provider += "microsoft-tenant-specific" -> "microsoft"/);
    let output = '';
    expect(await sent(async () => (output = await failed()))).toEqual(['GET /integrations/kindo-teams 200']);
    expect(output).toContain(
      "Kindo integration 'teams': Nango integration 'kindo-teams' uses another provider than 'microsoft', and Nango cannot change a provider in place; delete the integration in Nango (its connections go with it) and apply again",
    );
    vars = { ...vars, nango_provider: 'microsoft-tenant-specific' };
    expect(await sent(() => applied())).toEqual([
      'GET /integrations/kindo-teams 200',
      'PATCH /integrations/kindo-teams 200',
    ]);
  }, 60_000);

  test('an integration deleted outside Terraform (or a key of another environment) fails the next push, naming the fix', async () => {
    await start(true);
    nango.integrations.clear();
    vars = { ...vars, client_id: 'client-5' };
    const output = await failed();
    const registrationAddress = /terraform_data\.Teams_Registration_[0-9A-F]+/.exec(output)?.[0];
    expect(output).toContain(
      `Nango answered GET ${serverUrl}/integrations/kindo-teams with HTTP 404: {"error":{"code":"not_found","message":"Integration \\"kindo-teams\\" does not exist"}}. This state registered it, so it was deleted outside Terraform, or the Nango secret key belongs to another environment than the one it was registered in. To register it again in this environment: terraform apply -replace=${registrationAddress}`,
    );
    expect(await sent(() => applied(`-replace=${registrationAddress}`))).toEqual([
      'DELETE /integrations/kindo-teams 404',
      'GET /integrations/kindo-teams 404',
      'POST /integrations 200',
      'GET /integrations/kindo-teams 200',
      'PATCH /integrations/kindo-teams 200',
    ]);
  }, 60_000);

  test('a literal unique key renamed in the configuration is renamed in Nango, keeping the integration', async () => {
    await start(true);
    const created = nango.integrations.get('kindo-teams')!.created_at;
    await resynth({ uniqueKey: 'kindo teams~v2:a.b@c_d' });
    const plan = await planned();
    expect(plan.output).toMatch(/~ unique_key += "kindo-teams" -> "kindo teams~v2:a\.b@c_d"/);
    expect(await sent(() => applied())).toEqual([
      'PATCH /integrations/kindo-teams 200',
      'GET /integrations/kindo%20teams~v2%3Aa.b%40c_d 200',
      'PATCH /integrations/kindo%20teams~v2%3Aa.b%40c_d 200',
    ]);
    expect([...nango.integrations.keys()]).toEqual(['kindo teams~v2:a.b@c_d']);
    expect(nango.integrations.get('kindo teams~v2:a.b@c_d')!.created_at).toBe(created);
    expect(await sent(() => applied('-destroy'))).toEqual(['DELETE /integrations/kindo%20teams~v2%3Aa.b%40c_d 200']);
  }, 60_000);

  test('a rename Nango refuses (the integration has connections) fails the apply and changes nothing', async () => {
    await start(true, { uniqueKey: 'kindo teams~v2:a.b@c_d' });
    nango.connections.set('kindo teams~v2:a.b@c_d', 2);
    await resynth({ uniqueKey: 'kindo-teams' });
    const output = await failed();
    expect(output).toContain(
      `Kindo integration 'teams': Nango answered PATCH ${serverUrl}/integrations/kindo%20teams~v2%3Aa.b%40c_d with HTTP 400: {"error":{"code":"invalid_body","message":"Can't rename an integration with active connections"}}. Nango renames only integrations without connections; keep the unique key 'kindo teams~v2:a.b@c_d', or remove its connections in Nango and apply again`,
    );
    expect([...nango.integrations.keys()]).toEqual(['kindo teams~v2:a.b@c_d']);
    // Back to the registered key, nothing is left to do.
    await resynth({ uniqueKey: 'kindo teams~v2:a.b@c_d' });
    expect((await planned()).status).toBe(0);
  }, 60_000);

  test('destroy without the key in the environment fails before any request, naming the variable', async () => {
    await start(true);
    const { nango_secret_key: key, ...rest } = vars;
    vars = rest;
    let output = '';
    expect(await sent(async () => (output = await failed('-destroy', `-var=nango_secret_key=${key}`)))).toEqual([]);
    vars = { ...rest, nango_secret_key: key };
    expect(output).toContain(
      "Kindo integration 'teams': cannot delete Nango integration 'kindo-teams' at " +
        `${serverUrl}: TF_VAR_nango_secret_key is not set. Terraform gives destroy-time provisioners no variables, so the Nango secret key must be in Terraform's environment`,
    );
    noSecretIn(output);
  }, 60_000);

  test('Nango failing a DELETE fails the destroy, and it is retried by the next one', async () => {
    await start(true);
    nango.intercept = (r) =>
      r.method === 'DELETE' ? [503, { error: { code: 'unavailable', key: r.headers.authorization } }] : undefined;
    const output = await failed('-destroy');
    expect(output).toContain(
      `Nango answered DELETE ${serverUrl}/integrations/kindo-teams with HTTP 503: {"error":{"code":"unavailable","key":"Bearer [redacted]"}}`,
    );
    noSecretIn(output);
    nango.intercept = undefined;
    expect(await sent(() => applied('-destroy'))).toEqual(['DELETE /integrations/kindo-teams 200']);
    expect(nango.integrations.size).toBe(0);
  }, 60_000);

  test('an integration dropped from the configuration is deleted by the next apply, and the plan says so', async () => {
    await start(true);
    await resynth({ removed: true });
    const plan = await planned();
    expect(plan.output).toMatch(
      /# terraform_data\.Teams_Registration_[0-9A-F]+ will be destroyed\s+# \(because terraform_data\.Teams_Registration_[0-9A-F]+ is not in configuration\)/,
    );
    expect(await sent(() => applied())).toEqual(['DELETE /integrations/kindo-teams 200']);
    expect(nango.integrations.size).toBe(0);
    // A removed block for a registration that is not in state does nothing.
    expect((await planned()).status).toBe(0);
  }, 60_000);

  test('an integration that exists already is neither changed nor deleted, unless adopted', async () => {
    await start(false);
    nango.integrations.set('kindo-teams', {
      unique_key: 'kindo-teams',
      provider: 'microsoft-tenant-specific',
      display_name: 'Theirs',
      credentials: {
        type: 'OAUTH2',
        client_id: 'theirs',
        client_secret: 'their~secret',
        scopes: 'offline_access',
        webhook_secret: null,
      },
      created_at: 'then',
      updated_at: 'then',
    });
    nango.connections.set('kindo-teams', 3);
    const theirs = structuredClone(nango.integrations.get('kindo-teams'));
    let output = '';
    expect(await sent(async () => (output = await failed()))).toEqual(['GET /integrations/kindo-teams 200']);
    expect(output).toContain(
      "Kindo integration 'teams': Nango already has an integration 'kindo-teams', which this Terraform state did not create; it is left as it is. To take it over (its connections are kept, its client ID, secret, scopes and name are overwritten, and destroying this stack deletes it), set adoptExistingNangoIntegration: true",
    );
    // The failed claim leaves Registration tainted, and Terraform runs no destroy-time provisioner for it.
    expect(await sent(() => applied('-destroy'))).toEqual([]);
    expect(nango.integrations.get('kindo-teams')).toEqual(theirs);

    await resynth({ adoptExisting: true });
    const plan = await planned();
    expect(plan.output).toContain('+ adopt_existing = true');
    expect(await sent(() => applied())).toEqual([
      'GET /integrations/kindo-teams 200',
      'GET /integrations/kindo-teams 200',
      'PATCH /integrations/kindo-teams 200',
    ]);
    expect(nango.integrations.get('kindo-teams')).toMatchObject({
      display_name: 'Microsoft Teams',
      created_at: 'then',
      credentials: { client_id: vars.client_id },
    });
    expect(nango.connections.get('kindo-teams')).toBe(3);
    expect(await sent(() => applied('-destroy'))).toEqual(['DELETE /integrations/kindo-teams 200']);
  }, 120_000);

  test('an existing integration of another provider is not adopted', async () => {
    await start(false, { adoptExisting: true });
    nango.integrations.set('kindo-teams', {
      unique_key: 'kindo-teams',
      provider: 'microsoft',
      display_name: 'Theirs',
      credentials: {
        type: 'OAUTH2',
        client_id: 'theirs',
        client_secret: 'their~secret',
        scopes: null,
        webhook_secret: null,
      },
      created_at: 'then',
      updated_at: 'then',
    });
    const output = await failed();
    expect(output).toContain("Nango integration 'kindo-teams' uses another provider than 'microsoft-tenant-specific'");
    expect(await sent(() => applied('-destroy'))).toEqual([]);
    expect(nango.integrations.get('kindo-teams')!.provider).toBe('microsoft');
    nango.integrations.clear();
  }, 60_000);

  test('Nango failing the POST fails the apply with secrets redacted, and leaves nothing a destroy would delete', async () => {
    await start(false);
    nango.intercept = (r) =>
      r.method === 'POST' ? [400, { error: { code: 'invalid_body', echoed: r.body } }] : undefined;
    const output = await failed();
    expect(output).toContain(
      `Nango answered POST ${serverUrl}/integrations with HTTP 400: {"error":{"code":"invalid_body","echoed":"{\\"credentials\\":{\\"client_id\\":\\"client-1\\",\\"client_secret\\":\\"[redacted]\\",`,
    );
    noSecretIn(output);
    nango.intercept = undefined;
    expect(await sent(() => applied('-destroy'))).toEqual([]);
  }, 60_000);

  test('a plan naming another Nango environment than the state registered in fails before any request, naming both and the move; the same one plans nothing', async () => {
    await start(false, { environment: true });
    vars = { ...vars, nango_environment: 'dev' };
    await applied();
    vars = { ...vars, nango_environment: 'prod' };
    const before = nango.requests.length;
    const plan = await run('plan', '-input=false');
    expect(plan.status, plan.output).toBe(1);
    const record = /terraform_data\.Teams_Environment_[0-9A-F]+/.exec(plan.output)?.[0];
    expect(plan.output.replace(/\s+/g, ' ')).toContain(
      `Kindo integration 'teams': this Terraform state registered Nango integration 'kindo-teams' in Nango environment 'dev', and this plan names environment 'prod' (nango.environment; nango_environment in the default stack and the module). Nothing was changed: deleting the integration from 'dev' needs that environment's secret key, which Terraform does not keep. Expected 'dev' with its secret key. To move to 'prod': with 'dev' and its secret key in TF_VAR_nango_secret_key, run terraform destroy -target='${record}' (prefixed with module.<name>. inside a module; it deletes the integration from 'dev' and leaves the Entra app), then apply with 'prod' and its key. See docs/nango-registration.md.`,
    );
    expect(await failed()).toContain("this plan names environment 'prod'");
    expect(nango.requests.slice(before), 'a refused switch sends nothing').toEqual([]);
    noSecretIn(plan.output);
    vars = { ...vars, nango_environment: 'dev' };
    expect((await planned()).status).toBe(0);
  }, 60_000);

  test('moves to another environment in two steps: destroy -target of the record with the old key deletes it there, then apply registers it in the new one', async () => {
    const prod = nango.addEnvironment();
    const prodKey = prod.secretKey;
    try {
      await start(false, { environment: true });
      vars = { ...vars, nango_environment: 'dev' };
      await applied();
      const record = (await run('state', 'list')).output
        .split('\n')
        .find((a) => /^terraform_data\.Teams_Environment_/.test(a))!;
      let output = '';
      expect(
        await sent(async () => {
          const destroy = await run('destroy', '-auto-approve', '-input=false', `-target=${record}`);
          expect(destroy.status, destroy.output).toBe(0);
          output += destroy.output;
        }),
      ).toEqual(['DELETE /integrations/kindo-teams 200']);
      expect([...nango.integrations.keys()]).toEqual([]);
      vars = { ...vars, nango_secret_key: prodKey, nango_environment: 'prod' };
      expect(await sent(async () => (output += await applied()))).toEqual([
        'GET /integrations/kindo-teams 404',
        'POST /integrations 200',
        'GET /integrations/kindo-teams 200',
        'PATCH /integrations/kindo-teams 200',
      ]);
      expect([...prod.integrations.keys()]).toEqual(['kindo-teams']);
      expect((await planned()).status).toBe(0);
      noSecretIn(output);
      // State holds the client secret (Sync's trigger, for verify), never a Nango secret key.
      for (const key of [nango.secretKey, prodKey]) {
        expect(output).not.toContain(key);
        expect(readFileSync(statePath(dir), 'utf8')).not.toContain(key);
      }
    } finally {
      nango.otherEnvironments.delete(prodKey);
    }
  }, 90_000);

  test('an environment named where none was recorded is recorded without a request, and guards from then on', async () => {
    await start(true, { environment: true });
    vars = { ...vars, nango_environment: 'dev' };
    expect(await sent(() => applied())).toEqual([]);
    vars = { ...vars, nango_environment: 'prod' };
    const plan = await run('plan', '-input=false');
    expect(plan.status).toBe(1);
    expect(plan.output.replace(/\s+/g, ' ')).toContain(
      "registered Nango integration 'kindo-teams' in Nango environment 'dev', and this plan names environment 'prod'",
    );
  }, 60_000);

  test('the synthesized configuration holds no secret literal', () => {
    const json = readFileSync(join(dir, 'cdk.tf.json'), 'utf8');
    expect(json).not.toContain(nango.secretKey);
    expect(json).not.toContain('Secret.value');
  });
});

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
});
