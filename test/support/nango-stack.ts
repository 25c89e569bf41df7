import { DataResource, Fn, TerraformVariable } from 'cdktf';
import { NangoRegistration } from '../../src/nango/nango-registration';
import { synthToDir } from './terraform';

/**
 * Synthesizes a stack that holds only the Nango registration of `teams`, so that it needs no
 * provider download: its inputs are Terraform variables (nango_secret_key, nango_provider,
 * client_id, client_secret, client_secret_key_id), and a create-before-destroy terraform_data stands
 * in for the Entra client secret whose key ID it registers. Returns the stack's directory.
 */
export function synthNangoStack(serverUrl: string, scopes: readonly string[]): string {
  return synthToDir((stack) => {
    const v = (name: string, sensitive = false) => new TerraformVariable(stack, name, { type: 'string', sensitive }).stringValue;
    const secret = new DataResource(stack, 'ClientSecret', {
      triggersReplace: { key_id: v('client_secret_key_id') },
      lifecycle: { createBeforeDestroy: true },
    });
    new NangoRegistration(stack, 'Teams', {
      integrationId: 'teams',
      serverUrl,
      uniqueKey: 'kindo-teams',
      provider: v('nango_provider'),
      displayName: 'Microsoft Teams',
      scopes,
      secretKey: v('nango_secret_key', true),
      clientId: v('client_id'),
      clientSecret: v('client_secret', true),
      clientSecretKeyId: Fn.lookup(secret.triggersReplace, 'key_id'),
      driftCheck: false,
    });
  });
}
