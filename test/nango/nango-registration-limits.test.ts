import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { NangoRegistration, type NangoRegistrationProps } from '../../src/nango/nango-registration';
import { expectKindoError } from '../support/errors';
import { show } from '../../src/core/errors';

// Nango's limits at their edge: 255 characters for the unique key, the display name and a literal client ID.

function register(overrides: Partial<NangoRegistrationProps>): Record<string, any> {
  const stack = new TerraformStack(Testing.app(), 'test');
  const v = (name: string, sensitive = false) =>
    new TerraformVariable(stack, name, { type: 'string', sensitive }).stringValue;
  new NangoRegistration(stack, 'Teams', {
    integrationId: 'teams',
    serverUrl: 'https://api.nango.dev',
    uniqueKey: 'kindo-teams',
    provider: 'microsoft-tenant-specific',
    displayName: 'Microsoft Teams',
    scopes: ['offline_access', 'User.Read'],
    secretKey: v('nango_secret_key', true),
    clientId: v('client_id'),
    clientSecret: v('client_secret', true),
    clientSecretKeyId: v('client_secret_key_id'),
    ...overrides,
  });
  const tf = JSON.parse(Testing.synth(stack));
  return Object.entries<any>(tf.resource.terraform_data).find(([k]) => k.includes('Sync'))![1].triggers_replace;
}

describe('NangoRegistration limits', () => {
  test('accepts a literal client ID, a display name and a unique key of 255 characters', () => {
    const long = (c: string) => c.repeat(255);
    expect(register({ clientId: long('c'), displayName: long('d'), uniqueKey: long('u') })).toMatchObject({
      client_id: long('c'),
      display_name: long('d'),
      unique_key: long('u'),
    });
    expect(register({ clientId: '8f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b' }).client_id).toBe(
      '8f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b',
    );
  });

  test.each<[string, Partial<NangoRegistrationProps>, string, string[]]>([
    [
      'a literal client ID has 256 characters',
      { clientId: 'c'.repeat(256) },
      'PATTERN_MISMATCH',
      ['`clientId`', show('c'.repeat(256))],
    ],
    ['a literal client ID is empty', { clientId: '' }, 'PATTERN_MISMATCH', ['`clientId`', "''"]],
    [
      'the display name has 256 characters',
      { displayName: 'd'.repeat(256) },
      'PATTERN_MISMATCH',
      ['`displayName`', show('d'.repeat(256))],
    ],
    [
      'the unique key has 256 characters',
      { uniqueKey: 'u'.repeat(256) },
      'PATTERN_MISMATCH',
      ['`nangoUniqueKey`', show('u'.repeat(256))],
    ],
    [
      'the server URL is http on a public host',
      { serverUrl: 'http://nango.example.com' },
      'INSECURE_URL',
      ['`nango.serverUrl`', "'http://nango.example.com'"],
    ],
  ])('fails if %s', (_name, overrides, code, fragments) => {
    expectKindoError(() => register(overrides), code, fragments);
  });

  test('registers a server URL ending in // without its trailing slashes', () => {
    expect(register({ serverUrl: 'https://nango.example.com//' }).server_url).toBe('https://nango.example.com');
  });
});
