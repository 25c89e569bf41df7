import type { TerraformVariableValidationConfig } from 'cdktf';
import { isToken } from '../core/validate';
import { KindoConfigError, show } from '../core/errors';

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
const RESERVED = new Set([
  'app_id',
  'private_key',
  'username',
  'password',
  'oauth_client_name',
  'oauth_client_uri',
  'oauth_client_logo_uri',
  'iv',
]);
/** Longest value: the cap Nango's schema puts on `integration_config` values (`custom` has none). */
export const MAX_NANGO_FIELD_LENGTH = 8192;
/**
 * Most bytes all fields of one integration may take as Terraform's `jsonencode` writes them, which is
 * how they reach the request body. The body reaches the script as one environment variable, which
 * Linux caps at 128 KiB (MAX_ARG_STRLEN); this leaves half of it for the rest of the body. A multiple
 * of 3, so that Terraform can check it exactly through the length of the base64 text.
 */
export const MAX_NANGO_FIELDS_BYTES = 65_535;
const DOCS = 'docs/nango-registration.md#integration-specific-fields';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
// A user principal name: local part (letters, digits and ' . - _ ! # ^ ~, which guest UPNs'
// #EXT# needs), @, a DNS domain.
const UPN =
  /^[A-Za-z0-9'._!#^~-]{1,113}@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
// Microsoft Purview account endpoints: https://{account}.purview.azure.com and its catalog, scan and
// guardian endpoints (AccountEndpoints of the Purview resource provider), or the new portal's
// tenant-level https://api.purview-service.microsoft.com. Account names: 3-63 letters, digits, hyphens.
const PURVIEW_HOST =
  /^([a-z0-9][a-z0-9-]{1,61}[a-z0-9]\.((catalog|scan|guardian)\.)?purview\.azure\.com|api\.purview-service\.microsoft\.com)$/i;

function purviewEndpoint(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    url.protocol === 'https:' &&
    PURVIEW_HOST.test(url.hostname) &&
    !url.port &&
    !url.username &&
    !url.password &&
    !url.search &&
    !url.hash
  );
}

const FORMS: Record<KnownNangoField, { readonly valid: (v: string) => boolean; readonly expected: string }> = {
  tenant_id: {
    valid: (v) => GUID.test(v),
    expected: "a directory (tenant) ID GUID such as '72f988bf-86f1-41af-91ab-2d7cd011db47'",
  },
  subscription_id: {
    valid: (v) => GUID.test(v),
    expected: "an Azure subscription ID GUID such as '00000000-0000-0000-0000-000000000000'",
  },
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

const NAME_EXPECTED =
  "a name in snake case of 1 to 64 lower-case letters, digits and _, starting with a letter, e.g. 'purview_endpoint'";
const RESERVED_EXPECTED = `a name Nango does not read itself (it uses ${[...RESERVED].join(', ')} of an integration's custom settings)`;
const LENGTH_EXPECTED = `a string of at most ${MAX_NANGO_FIELD_LENGTH} characters`;

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
    if (!NAME.test(name)) throw nangoFieldNameInvalid(field, name, NAME_EXPECTED);
    if (RESERVED.has(name)) throw nangoFieldNameInvalid(field, name, RESERVED_EXPECTED);
    if (isToken(value)) continue;
    if (typeof value !== 'string') throw nangoFieldInvalid(path, String(value), LENGTH_EXPECTED);
    if (value.length > MAX_NANGO_FIELD_LENGTH) throw nangoFieldTooLong(path, String(value.length));
    const form = (FORMS as Partial<Record<string, (typeof FORMS)[KnownNangoField]>>)[name];
    if (value !== '' && form && !form.valid(value)) throw nangoFieldInvalid(path, value, form.expected);
  }
  if (jsonencodeBytes(fields) > MAX_NANGO_FIELDS_BYTES) throw nangoFieldsTooLarge(field);
}

/** Bytes of one character as Go's encoding/json writes it in a string: HTML characters escaped, as in Terraform's jsonencode. */
function jsonencodeCharBytes(c: string): number {
  const code = c.codePointAt(0)!;
  if (c === '"' || c === '\\' || '\n\r\t\b\f'.includes(c)) return 2;
  if (code < 0x20 || '<>&\u2028\u2029'.includes(c)) return 6;
  // A lone surrogate reaches Terraform as U+FFFD, three bytes.
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
}

/** Bytes of Terraform's `jsonencode` of a field map; values known only at plan count as empty. */
function jsonencodeBytes(fields: Readonly<Record<string, string>>): number {
  const text = (s: string) => 2 + [...s].reduce((n, c) => n + jsonencodeCharBytes(c), 0);
  const entries = Object.entries(fields).map(([k, v]) => text(k) + 1 + text(isToken(v) ? '' : v));
  return 2 + entries.reduce((n, e) => n + e, 0) + Math.max(entries.length - 1, 0);
}

// The same checks in Terraform's language, for fields that are only known at plan (a Terraform
// variable). RE2 has the same syntax for these patterns; `(?i)` stands for JavaScript's `i` flag.
const re = (pattern: RegExp) => JSON.stringify(`${pattern.flags.includes('i') ? '(?i)' : ''}${pattern.source}`);
const matches = (pattern: RegExp, value: string) => `can(regex(${re(pattern)}, ${value}))`;
// What `new URL` accepts in purviewEndpoint: https, the host, no port but the default, user, query or fragment.
const PURVIEW_URL = new RegExp(`^https://(${PURVIEW_HOST.source.slice(1, -1)})(:443)?(/[^?#]*)?\\??#?$`, 'i');
const TERRAFORM_FORMS: Record<KnownNangoField, (value: string) => string> = {
  tenant_id: (v) => matches(GUID, v),
  subscription_id: (v) => matches(GUID, v),
  target_user_id: (v) => `(${matches(GUID, v)} || ${matches(UPN, v)})`,
  purview_endpoint: (v) => matches(PURVIEW_URL, v),
};

/** Description of a Terraform variable that takes the fields per integration id (the default stack's and the HCL module's `nango_fields`). */
export const NANGO_FIELDS_DESCRIPTION = `Per integration id, integration-specific fields registered with Nango in the integration's custom settings (step 4 of Kindo's guide), e.g. { "purview-data-governance" = { purview_endpoint = "https://contoso.purview.azure.com" } }. Checked: ${Object.keys(KNOWN_NANGO_FIELDS).join(', ')}; other snake-case names pass through; names that say secret, password, key, token or credential are refused. tenant_id defaults to the apps' tenant; "" clears a field in Nango. Which integration needs which: the README's table.`;

/**
 * {@link checkNangoFields}' rules as validation blocks of a Terraform variable of type
 * `map(map(string))` keyed by integration id, with the same messages (`variable["<id>"]` in place of
 * the prop's name). Each block lists every entry that breaks its rule; a field whose name is refused
 * has its value neither checked nor shown, as at synth.
 *
 * @param variable the variable's name, e.g. `nango_fields`
 */
export function nangoFieldsValidation(variable: string): TerraformVariableValidationConfig[] {
  // Private-use characters: no value holds them, and messages show them as they are.
  const [ID, FIELD, VALUE, LENGTH] = ['\ue000id\ue000', '\ue000name\ue000', '\ue000value\ue000', '\ue000length\ue000'];
  const at = `${variable}["${ID}"]`;
  // The message as an HCL string whose template interpolates the entry.
  const literal = (message: string) =>
    `"${message
      .replace(/\\/g, '\\\\')
      .replace(/"/g, '\\"')
      .replace(/([$%])\{/g, '$1$1{')
      .replaceAll(ID, '${id}')
      .replaceAll(FIELD, '${name}')
      .replaceAll(VALUE, '${value}')
      .replaceAll(LENGTH, '${length(value)}')}"`;
  const rule = (condition: string, error: KindoConfigError): TerraformVariableValidationConfig => {
    const findings = `flatten([for id, fields in var.${variable} : [for name, value in fields : ${literal(error.message)} if ${condition}]])`;
    return { condition: `\${length(${findings}) == 0}`, errorMessage: `\${join("; ", ${findings})}.` };
  };
  const secret = matches(SECRET_LIKE, 'name');
  const nameValid = `!${secret} && ${matches(NAME, 'name')}`;
  const reserved = `[${[...RESERVED].map((n) => JSON.stringify(n)).join(', ')}]`;
  const accepted = `${nameValid} && !contains(${reserved}, name)`;
  const short = `length(value) <= ${MAX_NANGO_FIELD_LENGTH}`;
  // Base64 text is ASCII: its length is 4/3 of the bytes, rounded up to whole groups of 3.
  const tooLarge = `length(base64encode(jsonencode(fields))) > ${(MAX_NANGO_FIELDS_BYTES / 3) * 4}`;
  const large = `[for id, fields in var.${variable} : ${literal(nangoFieldsTooLarge(at).message)} if ${tooLarge}]`;
  return [
    rule(secret, nangoFieldSecret(at, FIELD)),
    rule(`!${secret} && !${matches(NAME, 'name')}`, nangoFieldNameInvalid(at, FIELD, NAME_EXPECTED)),
    rule(`${nameValid} && contains(${reserved}, name)`, nangoFieldNameInvalid(at, FIELD, RESERVED_EXPECTED)),
    rule(`${accepted} && !(${short})`, nangoFieldTooLong(`${at}.${FIELD}`, LENGTH)),
    ...(Object.keys(FORMS) as KnownNangoField[]).map((known) =>
      rule(
        `${accepted} && ${short} && name == ${JSON.stringify(known)} && value != "" && !${TERRAFORM_FORMS[known]('value')}`,
        nangoFieldInvalid(`${at}.${FIELD}`, VALUE, FORMS[known].expected),
      ),
    ),
    { condition: `\${length(${large}) == 0}`, errorMessage: `\${join("; ", ${large})}.` },
  ];
}

/** A Nango field whose name says it holds a secret. */
export function nangoFieldSecret(field: string, name: string): KindoConfigError {
  return new KindoConfigError(
    'NANGO_FIELD_SECRET',
    `\`${field}\` has a field named ${show(name)}, which names a secret (secret, password, key, token or credential); expected only non-secret values, such as a Purview endpoint URL: Nango and plans show fields in clear`,
    DOCS,
  );
}

/** A Nango field name outside the accepted form, or one that Nango reads itself. */
export function nangoFieldNameInvalid(field: string, name: string, expected: string): KindoConfigError {
  return new KindoConfigError(
    'NANGO_FIELD_NAME_INVALID',
    `\`${field}\` has a field named ${show(name)}; expected ${expected}`,
  );
}

/** A Nango field value that does not have the form its name requires. */
export function nangoFieldInvalid(field: string, value: string, expected: string): KindoConfigError {
  return new KindoConfigError('NANGO_FIELD_INVALID', `\`${field}\` is ${show(value)}; expected ${expected}`);
}

/** A field value longer than Nango keeps: its length is named, not the value (it may be long). */
export function nangoFieldTooLong(field: string, length: string): KindoConfigError {
  return new KindoConfigError(
    'NANGO_FIELD_INVALID',
    `\`${field}\` is ${length} characters long; expected ${LENGTH_EXPECTED}`,
  );
}

/** All fields of one integration together take more than {@link MAX_NANGO_FIELDS_BYTES}. */
export function nangoFieldsTooLarge(field: string): KindoConfigError {
  return new KindoConfigError(
    'NANGO_FIELDS_TOO_LARGE',
    `\`${field}\` takes more than ${MAX_NANGO_FIELDS_BYTES} bytes as JSON; expected at most ${MAX_NANGO_FIELDS_BYTES} for all fields of an integration together, so that the request fits in one environment variable: shorten or drop fields`,
    DOCS,
  );
}
