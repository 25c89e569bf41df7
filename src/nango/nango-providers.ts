import { isToken } from '../core/validate';
import facts from './nango-provider-facts.json';
import { KindoConfigError, show } from '../core/errors';

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

/** A Nango provider key that @nangohq/providers does not list. */
export function unknownNangoProvider(field: string, value: string, suggestion: string): KindoConfigError {
  return new KindoConfigError(
    'UNKNOWN_NANGO_PROVIDER',
    `\`${field}\` is ${show(value)}, which is not a provider in Nango's catalog (@nangohq/providers); expected a provider key such as ${show(suggestion)}`,
  );
}

/** A Nango provider that does not sign users in with OAuth 2.0 authorization code. */
export function nangoProviderNotOAuth2(field: string, value: string, authMode: string): KindoConfigError {
  return new KindoConfigError(
    'NANGO_PROVIDER_NOT_OAUTH2',
    `\`${field}\` is ${show(value)}, whose Nango auth mode is ${authMode}; expected an OAUTH2 provider, since delegated integrations sign users in (e.g. 'microsoft-tenant-specific')`,
  );
}

/** A Nango provider that authorizes against a multi-tenant endpoint for a single-tenant app. */
export function nangoProviderWrongAudience(
  field: string,
  value: string,
  authorizationUrl: string,
  audience: string,
): KindoConfigError {
  return new KindoConfigError(
    'NANGO_PROVIDER_WRONG_AUDIENCE',
    `\`${field}\` is ${show(value)}, which signs in at ${authorizationUrl}, where a ${audience} app is refused (AADSTS50194); expected a provider that signs in at the tenant's endpoint, e.g. 'microsoft-tenant-specific'`,
    'docs/nango-registration.md#providers',
  );
}
