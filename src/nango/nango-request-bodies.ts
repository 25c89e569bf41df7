import type {
  ApiPublicIntegrationCredentials,
  PatchPublicIntegration,
  PostPublicIntegration,
} from '@nangohq/types' with { 'resolution-mode': 'import' };
import { Fn, Token } from 'cdktf';
import { call } from '../core/hcl-expression';
import { isToken } from '../core/validate';
import { KNOWN_NANGO_FIELDS } from './nango-fields';
import { takesCustomSettings } from './nango-providers';
import { jsonBody, type JsonValue } from './terraform-json';

/** Values sent to Nango, as NangoRegistration knows them at synth (references where they are tokens). */
export interface RegisteredValues {
  readonly uniqueKey: string;
  readonly provider: string;
  readonly displayName: string;
  readonly scopes: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Integration-specific fields; a map or a token. */
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * The bodies of `POST /integrations` and `PATCH /integrations/{uniqueKey}`, each one interpolation that
 * evaluates to the JSON text sent (see {@link jsonBody}). Nango's PATCH replaces the
 * whole credentials object, so it is always sent complete; it merges `custom` and cannot remove a key,
 * so the guide's fields that are not configured are sent blank.
 */
export function nangoRequestBodies(v: RegisteredValues): { readonly post: string; readonly patch: string } {
  const credentials = {
    type: 'OAUTH2',
    client_id: v.clientId,
    client_secret: v.clientSecret,
    scopes: v.scopes,
  } as const satisfies ApiPublicIntegrationCredentials;
  const literal = !isToken(v.fields);
  // A blank field on create would only store an empty value.
  const set = literal ? Object.fromEntries(Object.entries(v.fields).filter(([, value]) => value !== '')) : v.fields;
  const cleared = Object.fromEntries(Object.keys(KNOWN_NANGO_FIELDS).map((name) => [name, '']));
  const post = {
    unique_key: v.uniqueKey,
    provider: v.provider,
    display_name: v.displayName,
    credentials,
    ...(!literal || Object.keys(set).length > 0 ? { custom: set } : {}),
  } satisfies PostPublicIntegration['Body'];
  const patch = {
    display_name: v.displayName,
    credentials,
    ...(takesCustomSettings(v.provider)
      ? {
          custom: literal
            ? { ...cleared, ...v.fields }
            : Token.asStringMap(call('merge', cleared, v.fields) ?? Fn.merge([cleared, v.fields])),
        }
      : {}),
  } satisfies PatchPublicIntegration['Body'];
  return { post: jsonBody(post as JsonValue), patch: jsonBody(patch as JsonValue) };
}
