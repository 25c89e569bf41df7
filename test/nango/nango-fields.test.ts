import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { checkNangoFields, nangoFieldsValidation } from '../../src/nango/nango-fields';

describe('checkNangoFields', () => {
  test.each([
    ['tenant_id', '72f988bf-86f1-41af-91ab-2d7cd011db47'],
    ['subscription_id', '00000000-0000-0000-0000-000000000000'],
    ['target_user_id', '8f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b'],
    ['target_user_id', 'alex@contoso.com'],
    ['target_user_id', "o'neil_guest.example.com#EXT#@contoso.onmicrosoft.com"],
    ['purview_endpoint', 'https://contoso.purview.azure.com'],
    ['purview_endpoint', 'https://contoso.purview.azure.com/catalog'],
    ['purview_endpoint', 'https://contoso-gov.scan.purview.azure.com'],
    ['purview_endpoint', 'https://api.purview-service.microsoft.com'],
    ['region_hint', 'any text, passed through as it is'],
    ['purview_endpoint', ''],
  ])('accepts %s %j', (name, value) => {
    expect(() => checkNangoFields('nangoFields', { [name]: value })).not.toThrow();
  });

  test.each([
    [
      'tenant_id',
      'contoso.onmicrosoft.com',
      "`nangoFields.tenant_id` is 'contoso.onmicrosoft.com'; expected a directory (tenant) ID GUID such as '72f988bf-86f1-41af-91ab-2d7cd011db47'",
    ],
    [
      'subscription_id',
      'sub-1',
      "`nangoFields.subscription_id` is 'sub-1'; expected an Azure subscription ID GUID such as '00000000-0000-0000-0000-000000000000'",
    ],
    [
      'target_user_id',
      'alex',
      "`nangoFields.target_user_id` is 'alex'; expected the user's object ID (a GUID) or user principal name, e.g. 'alex@contoso.com'",
    ],
  ])('fails if %s has the wrong form', (name, value, message) => {
    expect(() => checkNangoFields('nangoFields', { [name]: value })).toThrow(message);
  });

  test.each([
    'http://contoso.purview.azure.com',
    'https://contoso.purview.azure.com.evil.example',
    'https://purview.azure.com',
    'https://contoso.purview.azure.com:8443',
    'https://contoso.purview.azure.com/?x=1',
    'contoso',
  ])('fails if purview_endpoint is %j, which is not an https URL of a Purview account', (value) => {
    expect(() => checkNangoFields('nangoFields', { purview_endpoint: value })).toThrow(
      `\`nangoFields.purview_endpoint\` is '${value}'; expected an https URL of the Microsoft Purview account, e.g. 'https://contoso.purview.azure.com' ({account}.purview.azure.com, or its catalog., scan. or guardian. endpoint), or the new portal's 'https://api.purview-service.microsoft.com'`,
    );
  });

  test.each(['client_secret', 'api_key', 'admin_password', 'access_token', 'sp_credential', 'webhookSecret'])(
    'fails if a field is named %s, which names a secret, without showing its value',
    (name) => {
      let message = '';
      try {
        checkNangoFields('nangoFields', { [name]: 'planted-value-1234' });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toBe(
        `\`nangoFields\` has a field named '${name}', which names a secret (secret, password, key, token or credential); Nango fields are stored in the integration's \`custom\` settings and shown in plans, review reports and \`verify\` output. Expected only non-secret values such as a Purview endpoint URL or a subscription ID: the client secret is registered from the app's own client secret (rotate it with \`secretRotation\`), and no other secret belongs in Nango's integration settings`,
      );
      expect(message).not.toContain('planted-value-1234');
    },
  );

  test.each(['PurviewEndpoint', '1st', 'purview-endpoint', 'a'.repeat(65)])(
    'fails if the field name %j is not snake case',
    (name) => {
      expect(() => checkNangoFields('nangoFields', { [name]: 'x' })).toThrow(
        `\`nangoFields\` has a field named '${name}'; expected a name in snake case of 1 to 64 lower-case letters, digits and _, starting with a letter, e.g. 'purview_endpoint'`,
      );
    },
  );

  test.each(['app_id', 'username', 'oauth_client_name', 'iv'])(
    'fails if the field name %s is one Nango reads itself',
    (name) => {
      expect(() => checkNangoFields('nangoFields', { [name]: 'x' })).toThrow(
        `\`nangoFields\` has a field named '${name}'; expected a name Nango does not read itself (it uses app_id, private_key, username, password, oauth_client_name, oauth_client_uri, oauth_client_logo_uri, iv of an integration's custom settings)`,
      );
    },
  );

  test('fails if a value is longer than Nango keeps for a configuration value', () => {
    expect(() => checkNangoFields('nangoFields', { notes: 'x'.repeat(8193) })).toThrow(
      /^`nangoFields.notes` is 'x{8193}'; expected a string of at most 8192 characters$/,
    );
  });

  test('fails if a value is not a string (from JavaScript), naming it', () => {
    expect(() => checkNangoFields('nangoFields', { notes: 5 as unknown as string })).toThrow(
      "`nangoFields.notes` is '5'; expected a string of at most 8192 characters",
    );
  });

  test('skips a map or a value known only at plan, and still checks the literal entries beside a value token', () => {
    const stack = new TerraformStack(Testing.app(), 'fields');
    const map = new TerraformVariable(stack, 'fields', { type: 'map(string)' }).value as Record<string, string>;
    const tenant = new TerraformVariable(stack, 'tenant', { type: 'string' }).stringValue;
    expect(() => checkNangoFields('nangoFields', map)).not.toThrow();
    expect(() => checkNangoFields('nangoFields', { tenant_id: tenant })).not.toThrow();
    expect(() => checkNangoFields('nangoFields', { tenant_id: tenant, subscription_id: 'sub-1' })).toThrow(
      "`nangoFields.subscription_id` is 'sub-1'",
    );
  });
});

describe('nangoFieldsValidation', () => {
  test('each rule reports every entry it finds, joined, as the error message of the same findings its condition counts', () => {
    const rules = nangoFieldsValidation('nango_fields');
    expect(rules).toHaveLength(8);
    for (const rule of rules) {
      const findings = /^\$\{length\(([\s\S]*)\) == 0\}$/.exec(rule.condition as string)![1];
      expect(rule.errorMessage).toBe(`\${join("; ", ${findings})}.`);
    }
  });
});
