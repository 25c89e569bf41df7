import { nangoFieldInvalid, nangoFieldNameInvalid, nangoFieldSecret } from '../core/errors';
import { isToken } from '../core/validate';

/**
 * The integration-specific fields step 4 of Kindo's guide names ("Tenant ID, if requested"; "a Purview
 * endpoint URL, Azure subscription ID, or target user ID"), under the names this package registers
 * them by in the Nango integration's `custom` settings.
 */
export const KNOWN_NANGO_FIELDS = {
  tenant_id: 'Tenant ID',
  purview_endpoint: 'Purview endpoint URL',
  subscription_id: 'Azure subscription ID',
  target_user_id: 'target user ID',
} as const;

export type KnownNangoField = keyof typeof KNOWN_NANGO_FIELDS;

// Snake case, like the keys Nango itself keeps in `custom` (app_id, oauth_client_name).
const NAME = /^[a-z][a-z0-9_]{0,63}$/;
const SECRET_LIKE = /secret|passw|key|token|credential/i;
// Keys Nango reads from an integration's `custom` for its own purposes (packages/server and
// packages/shared of NangoHQ/nango 0.71.4, e.g. oauth.controller.ts L1097-1099, L1399, L2157-2158,
// config.service.ts L332-337); camelCase ones (webhookSecret, baseUrl…) never match NAME.
const RESERVED = new Set(['app_id', 'private_key', 'username', 'password', 'oauth_client_name', 'oauth_client_uri', 'oauth_client_logo_uri', 'iv']);
/** Longest value: the cap Nango's schema puts on `integration_config` values (`custom` has none). */
export const MAX_NANGO_FIELD_LENGTH = 8192;

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
// A user principal name: local part (letters, digits and ' . - _ ! # ^ ~, which guest UPNs'
// #EXT# needs), @, a DNS domain.
const UPN = /^[A-Za-z0-9'._!#^~-]{1,113}@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
// Microsoft Purview account endpoints: https://{account}.purview.azure.com and its catalog, scan and
// guardian endpoints (AccountEndpoints of the Purview resource provider), or the new portal's
// tenant-level https://api.purview-service.microsoft.com. Account names: 3-63 letters, digits, hyphens.
const PURVIEW_HOST = /^([a-z0-9][a-z0-9-]{1,61}[a-z0-9]\.((catalog|scan|guardian)\.)?purview\.azure\.com|api\.purview-service\.microsoft\.com)$/i;

function purviewEndpoint(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === 'https:' && PURVIEW_HOST.test(url.hostname) && !url.port && !url.username && !url.password && !url.search && !url.hash;
}

const FORMS: Record<KnownNangoField, { readonly valid: (v: string) => boolean; readonly expected: string }> = {
  tenant_id: { valid: (v) => GUID.test(v), expected: "a directory (tenant) ID GUID such as '72f988bf-86f1-41af-91ab-2d7cd011db47'" },
  subscription_id: { valid: (v) => GUID.test(v), expected: "an Azure subscription ID GUID such as '00000000-0000-0000-0000-000000000000'" },
  target_user_id: {
    valid: (v) => GUID.test(v) || UPN.test(v),
    expected: "the user's object ID (a GUID) or user principal name, e.g. 'alex@contoso.com'",
  },
  purview_endpoint: {
    valid: purviewEndpoint,
    expected:
      "an https URL of the Microsoft Purview account, e.g. 'https://contoso.purview.azure.com' ({account}.purview.azure.com, or its catalog., scan. or guardian. endpoint), or the new portal's 'https://api.purview-service.microsoft.com'",
  },
};

/**
 * Checks the fields registered with one Nango integration: names in snake case, none that names a
 * secret or that Nango reads itself, values that are strings Nango stores, and the guide's fields in
 * their known form. `''` is accepted for any field: it clears a value Nango holds, since Nango's PATCH
 * merges `custom` and cannot remove a key.
 *
 * @param field the prop's name in error messages, e.g. `nangoFields`
 */
export function checkNangoFields(field: string, fields: Readonly<Record<string, string>>): void {
  if (isToken(fields)) return;
  for (const [name, value] of Object.entries(fields)) {
    const path = `${field}.${name}`;
    if (SECRET_LIKE.test(name)) throw nangoFieldSecret(field, name);
    if (!NAME.test(name)) throw nangoFieldNameInvalid(field, name, "a name in snake case of 1 to 64 lower-case letters, digits and _, starting with a letter, e.g. 'purview_endpoint'");
    if (RESERVED.has(name)) throw nangoFieldNameInvalid(field, name, `a name Nango does not read itself (it uses ${[...RESERVED].join(', ')} of an integration's custom settings)`);
    if (isToken(value)) continue;
    if (typeof value !== 'string' || value.length > MAX_NANGO_FIELD_LENGTH) {
      throw nangoFieldInvalid(path, String(value), `a string of at most ${MAX_NANGO_FIELD_LENGTH} characters`);
    }
    const form = (FORMS as Partial<Record<string, (typeof FORMS)[KnownNangoField]>>)[name];
    if (value !== '' && form && !form.valid(value)) throw nangoFieldInvalid(path, value, form.expected);
  }
}
