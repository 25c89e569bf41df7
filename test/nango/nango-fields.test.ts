import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { checkNangoFields, nangoFieldsValidation } from '../../src/nango/nango-fields';
import { expectKindoError } from '../support/errors';

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
    ['tenant_id', 'contoso.onmicrosoft.com'],
    ['subscription_id', 'sub-1'],
    ['target_user_id', 'alex'],
  ])('fails if %s has the wrong form', (name, value) => {
    expectKindoError(() => checkNangoFields('nangoFields', { [name]: value }), 'NANGO_FIELD_INVALID', [
      `\`nangoFields.${name}\``,
      `'${value}'`,
    ]);
  });

  test.each([
    'http://contoso.purview.azure.com',
    'https://contoso.purview.azure.com.evil.example',
    'https://purview.azure.com',
    'https://contoso.purview.azure.com:8443',
    'https://contoso.purview.azure.com/?x=1',
    'contoso',
  ])('fails if purview_endpoint is %j, which is not an https URL of a Purview account', (value) => {
    expectKindoError(() => checkNangoFields('nangoFields', { purview_endpoint: value }), 'NANGO_FIELD_INVALID', [
      '`nangoFields.purview_endpoint`',
      `'${value}'`,
    ]);
  });

  test.each(['client_secret', 'api_key', 'admin_password', 'access_token', 'sp_credential', 'webhookSecret'])(
    'fails if a field is named %s, which names a secret, without showing its value',
    (name) => {
      const { message } = expectKindoError(
        () => checkNangoFields('nangoFields', { [name]: 'planted-value-1234' }),
        'NANGO_FIELD_SECRET',
        ['`nangoFields`', `'${name}'`],
      );
      expect(message).not.toContain('planted-value-1234');
    },
  );

  test.each(['PurviewEndpoint', '1st', 'purview-endpoint', 'a'.repeat(65)])(
    'fails if the field name %j is not snake case',
    (name) => {
      expectKindoError(() => checkNangoFields('nangoFields', { [name]: 'x' }), 'NANGO_FIELD_NAME_INVALID', [
        '`nangoFields`',
        `'${name}'`,
      ]);
    },
  );

  test.each(['app_id', 'username', 'oauth_client_name', 'iv'])(
    'fails if the field name %s is one Nango reads itself',
    (name) => {
      expectKindoError(() => checkNangoFields('nangoFields', { [name]: 'x' }), 'NANGO_FIELD_NAME_INVALID', [
        '`nangoFields`',
        `'${name}'`,
      ]);
    },
  );

  test('fails if a value is longer than Nango keeps for a configuration value', () => {
    expectKindoError(() => checkNangoFields('nangoFields', { notes: 'x'.repeat(8193) }), 'NANGO_FIELD_INVALID', [
      '`nangoFields.notes`',
      'is 8193 characters long',
    ]);
  });

  test('fails if all fields together take more than 65,535 bytes as JSON, so that the request fits in an environment variable', () => {
    // Twenty values of 8 KB each, the per-value maximum, made an apply fail with "argument list too long".
    const fields = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`note_${i}`, 'x'.repeat(8192)]));
    expectKindoError(() => checkNangoFields('nangoFields', fields), 'NANGO_FIELDS_TOO_LARGE', [
      '`nangoFields`',
      '65535 bytes',
    ]);
    // HTML characters take six bytes each in Terraform's jsonencode: 11,000 of them are too many.
    const html = { a: '<'.repeat(5500), b: '>'.repeat(5500) };
    expectKindoError(() => checkNangoFields('nangoFields', html), 'NANGO_FIELDS_TOO_LARGE');
    expect(() => checkNangoFields('nangoFields', { a: '<'.repeat(5400), b: '>'.repeat(5400) })).not.toThrow();
  });

  test('fails if a value is not a string (from JavaScript), naming it', () => {
    expectKindoError(() => checkNangoFields('nangoFields', { notes: 5 as unknown as string }), 'NANGO_FIELD_INVALID', [
      '`nangoFields.notes`',
      "'5'",
    ]);
  });

  test('skips a map or a value known only at plan, and still checks the literal entries beside a value token', () => {
    const stack = new TerraformStack(Testing.app(), 'fields');
    const map = new TerraformVariable(stack, 'fields', { type: 'map(string)' }).value as Record<string, string>;
    const tenant = new TerraformVariable(stack, 'tenant', { type: 'string' }).stringValue;
    expect(() => checkNangoFields('nangoFields', map)).not.toThrow();
    expect(() => checkNangoFields('nangoFields', { tenant_id: tenant })).not.toThrow();
    expectKindoError(
      () => checkNangoFields('nangoFields', { tenant_id: tenant, subscription_id: 'sub-1' }),
      'NANGO_FIELD_INVALID',
      ['`nangoFields.subscription_id`', "'sub-1'"],
    );
  });
});

describe('nangoFieldsValidation', () => {
  test('each rule reports every entry it finds, joined, as the error message of the same findings its condition counts', () => {
    const rules = nangoFieldsValidation('nango_fields');
    expect(rules).toHaveLength(9);
    for (const rule of rules) {
      const findings = /^\$\{length\(([\s\S]*)\) == 0\}$/.exec(rule.condition as string)![1];
      expect(rule.errorMessage).toBe(`\${join("; ", ${findings})}.`);
    }
  });
});
