import { randomUUID } from 'node:crypto';
import { DataResource, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import {
  NANGO_ENVIRONMENT_VARIABLE,
  NangoRegistration,
  type NangoRegistrationProps,
} from '../../src/nango/nango-registration';
import { expectKindoError } from '../support/errors';

/** The script's path as the provisioners pass it to `sh`: through the environment, never in the command. */
const SCRIPT = expect.stringMatching(
  /^\$\{path\.module\}\/assets\/KindoNangoRegistrationScript\/[0-9A-F]+\/nango-registration\.sh$/,
);

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
  test('shows every registered value but the client secret in the plan-visible triggers, and has no plan-time read', () => {
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
    const tf = JSON.parse(synth);
    expect(tf.check).toBeUndefined();
    expect(tf.data).toBeUndefined();
  });

  test('keeps the client secret out of every terraform_data value, and gives it to the provisioners only', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    registration(stack);
    const resources = Object.values<any>(JSON.parse(Testing.synth(stack)).resource.terraform_data);
    for (const r of resources) {
      const values = JSON.stringify([r.triggers_replace, r.input]);
      expect(values).not.toContain('"client_secret"');
      expect(values).not.toContain('var.client_secret)');
      expect(values).not.toContain('var.client_secret}');
    }
    const environments = resources.map((r) => r.provisioner[0]['local-exec'].environment);
    expect(environments.map((e) => e.NANGO_CLIENT_SECRET)).toEqual([
      '${sensitive(var.client_secret)}',
      '${sensitive(var.client_secret)}',
    ]);
    expect(environments[0].NANGO_POST_BODY).toContain('"client_secret" = sensitive(var.client_secret)');
    expect(environments[1].NANGO_PATCH_BODY).toContain('"client_secret" = sensitive(var.client_secret)');
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
    expectKindoError(() => registration(stack, { fields: { api_key: 'k' } }), 'NANGO_FIELD_SECRET', [
      '`nangoFields`',
      "'api_key'",
    ]);
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
      command: 'sh "$KINDO_NANGO_SCRIPT" claim',
      environment: {
        KINDO_NANGO_SCRIPT: SCRIPT,
        NANGO_ADOPT: 'true',
        NANGO_CLIENT_ID: '${var.client_id}',
        NANGO_SECRET_KEY: '${sensitive(var.nango_secret_key)}',
      },
    });
    expect(claim.when).toBeUndefined();
    expect(remove).toEqual({
      when: 'destroy',
      command: 'sh "$KINDO_NANGO_SCRIPT" delete',
      environment: {
        KINDO_NANGO_SCRIPT: SCRIPT,
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
      command: 'sh "$KINDO_NANGO_SCRIPT" rename',
      environment: {
        KINDO_NANGO_SCRIPT: SCRIPT,
        KINDO_INTEGRATION: 'teams',
        NANGO_SERVER_URL: '${self.triggers_replace.server_url}',
        NANGO_UNIQUE_KEY: '${self.triggers_replace.unique_key}',
        // The lost answer of an earlier rename is told by the provider and client ID recorded here.
        NANGO_PROVIDER: '${self.triggers_replace.provider}',
        NANGO_CLIENT_ID: '${self.triggers_replace.client_id}',
        NANGO_NEW_UNIQUE_KEY: 'kindo-teams',
        NANGO_REGISTRATION_ADDRESS: `terraform_data.${address}`,
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
              command: 'sh "$KINDO_NANGO_SCRIPT" delete',
              environment: expect.objectContaining({
                KINDO_NANGO_SCRIPT: SCRIPT,
                NANGO_UNIQUE_KEY: '${self.input.unique_key}',
              }),
            },
          },
        ],
      },
    ]);
  });

  test('fails if the Nango secret key is a literal', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const secretKey = randomUUID();
    const error = expectKindoError(() => registration(stack, { secretKey }), 'LITERAL_SECRET', ['`nango.secretKey`']);
    expect(error.message).not.toContain(secretKey);
  });

  test('fails if the client secret is a literal', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    expectKindoError(() => registration(stack, { clientSecret: 'abc~123' }), 'LITERAL_SECRET', ['`clientSecret`']);
  });

  test('fails if the unique key is not one Nango accepts', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    expectKindoError(() => registration(stack, { uniqueKey: 'kindo/teams' }), 'PATTERN_MISMATCH', [
      '`nangoUniqueKey`',
      "'kindo/teams'",
    ]);
  });

  test('fails if the provider is not an OAUTH2 provider of Nango', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    expectKindoError(() => registration(stack, { provider: 'microsoft-oauth2-cc' }), 'NANGO_PROVIDER_NOT_OAUTH2', [
      '`nangoProvider`',
      "'microsoft-oauth2-cc'",
    ]);
  });

  test('fails if the display name is empty', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    expectKindoError(() => registration(stack, { displayName: '' }), 'PATTERN_MISMATCH', ['`displayName`', "''"]);
  });

  test('fails if a scope has characters Nango rejects', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    expectKindoError(
      () => registration(stack, { scopes: ['offline_access', 'User.Read Mail.Send'] }),
      'PATTERN_MISMATCH',
      ['`scopes[1]`', "'User.Read Mail.Send'"],
    );
  });
});

describe('NangoRegistration settings per registration', () => {
  test('fails if fields are given for a provider that takes integration_config instead of custom settings, and accepts none', () => {
    const fragments = ['`nangoFields`', "'stripe-app-sandbox'"];
    expectKindoError(
      () =>
        registration(new TerraformStack(Testing.app(), 's'), {
          provider: 'stripe-app-sandbox',
          fields: { tenant_id: '72f988bf-86f1-41af-91ab-2d7cd011db47' },
        }),
      'SETTING_NOT_APPLICABLE',
      fragments,
    );
    const stack = new TerraformStack(Testing.app(), 's');
    const fields = new TerraformVariable(stack, 'fields', { type: 'map(string)' }).value as Record<string, string>;
    expectKindoError(
      () => registration(stack, { provider: 'stripe-app-sandbox', fields }),
      'SETTING_NOT_APPLICABLE',
      fragments,
    );
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
        error_message: `Kindo integration 'teams': this state registered its Nango integration in environment '\${coalesce(self.output.name, "none")}', and this plan names 'prod'; nothing was changed. Keep '\${coalesce(self.output.name, "none")}' with its secret key, or move: with that key, terraform destroy -target='terraform_data.${recordName}' (module.<name>. prefixed in a module), then apply with 'prod' and its key (docs/nango-registration.md#moving-to-another-environment).`,
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
      'and this plan names \'${coalesce(var.nango_environment, "none")}\'',
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
    expectKindoError(
      () => registration(new TerraformStack(Testing.app(), 's'), { environment: 'Prod' }),
      'PATTERN_MISMATCH',
      ['`nango.environment`', "'Prod'"],
    );
  });
});
