import { nangoProviderNotOAuth2, nangoProviderWrongAudience, unknownNangoProvider } from '../core/errors';
import { isToken } from '../core/validate';
import facts from './nango-provider-facts.json';

// Nango's provider facts come from a generated extract of @nangohq/providers (npm run
// nango:providers, kept equal to the package by a test): loading the package parses its whole
// 1 MB YAML catalog, which cost more than the rest of a default synth.
const PROVIDERS: Readonly<
  Record<
    string,
    | { readonly auth_mode: string; readonly authorization_url?: string; readonly integration_config?: boolean }
    | undefined
  >
> = facts.providers;

// Microsoft's multi-tenant authority segments; a single-tenant app cannot sign in through them.
const SHARED_AUTHORITIES = new Set(['common', 'organizations', 'consumers']);

/**
 * Checks a Nango provider key against Nango's own catalog (@nangohq/providers): it must exist, sign
 * users in with OAuth 2.0 (a delegated integration), and, for a single-tenant app, authorize at the
 * tenant's endpoint rather than a shared one.
 *
 * @param signInAudience the app's audience, when known to the caller
 */
export function checkNangoProvider(field: string, key: string, signInAudience?: string): void {
  if (isToken(key)) return;
  const provider = Object.hasOwn(PROVIDERS, key) ? PROVIDERS[key] : undefined;
  if (!provider) throw unknownNangoProvider(field, key, 'microsoft-tenant-specific');
  if (provider.auth_mode !== 'OAUTH2') throw nangoProviderNotOAuth2(field, key, provider.auth_mode);
  const authorizationUrl = provider.authorization_url ?? '';
  const authority = /^https:\/\/[^/]+\/([^/]+)\//.exec(authorizationUrl)?.[1] ?? '';
  if (signInAudience === 'AzureADMyOrg' && SHARED_AUTHORITIES.has(authority)) {
    throw nangoProviderWrongAudience(field, key, authorizationUrl, signInAudience);
  }
}

/**
 * Whether Nango keeps a provider's integration-specific fields in `custom`: a provider with an
 * `integration_config` schema refuses `custom` (integration.service.ts L324-331), and no Microsoft
 * provider has one (docs/nango-registration.md). A provider given as a token is taken to be one.
 */
export function takesCustomSettings(provider: string): boolean {
  return isToken(provider) || !(Object.hasOwn(PROVIDERS, provider) && PROVIDERS[provider]?.integration_config);
}
