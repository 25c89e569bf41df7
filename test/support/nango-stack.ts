import { DataResource, Fn, TerraformVariable } from 'cdktf';
import { NANGO_ENVIRONMENT_VARIABLE, NangoRegistration } from '../../src/nango/nango-registration';
import { synthToDir } from './terraform';

/** What the stack registers, beyond its variables. */
export interface NangoStackOptions {
  /** @default 'kindo-teams' */
  readonly uniqueKey?: string;
  readonly adoptExisting?: boolean;
  /** Leave the registration out, as a stack that dropped the integration from its selection does. */
  readonly removed?: boolean;
  /** Give the Nango environment from the variable `nango_environment`, as the default stack does. */
  readonly environment?: boolean;
}

/**
 * Synthesizes a stack that holds only the Nango registration of `teams`, so that it needs no
 * provider download: its inputs are Terraform variables (nango_secret_key, ephemeral as in the
 * default stack; nango_provider, client_id, client_secret, client_secret_key_id), and a
 * create-before-destroy terraform_data stands in for the Entra client secret whose key ID it
 * registers. Returns the stack's directory.
 */
export function synthNangoStack(serverUrl: string, scopes: readonly string[], options: NangoStackOptions = {}): string {
  return synthToDir((stack) => {
    const v = (name: string, sensitive = false) => new TerraformVariable(stack, name, { type: 'string', sensitive });
    const secretKey = v('nango_secret_key', true);
    secretKey.addOverride('ephemeral', true);
    const secret = new DataResource(stack, 'ClientSecret', {
      triggersReplace: { key_id: v('client_secret_key_id').stringValue },
      lifecycle: { createBeforeDestroy: true },
    });
    if (options.removed) {
      NangoRegistration.removed(stack, 'Teams');
      return;
    }
    new NangoRegistration(stack, 'Teams', {
      integrationId: 'teams',
      serverUrl,
      uniqueKey: options.uniqueKey ?? 'kindo-teams',
      provider: v('nango_provider').stringValue,
      displayName: 'Microsoft Teams',
      scopes,
      secretKey: secretKey.stringValue,
      clientId: v('client_id').stringValue,
      clientSecret: v('client_secret', true).stringValue,
      clientSecretKeyId: Fn.lookup(secret.triggersReplace, 'key_id'),
      adoptExisting: options.adoptExisting,
      environment: options.environment
        ? new TerraformVariable(stack, 'nango_environment', NANGO_ENVIRONMENT_VARIABLE).stringValue
        : undefined,
    });
  });
}
