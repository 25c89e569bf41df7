import { Fn, TerraformIterator, Token } from 'cdktf';
import { KindoConfigError, show } from './errors';
import { call } from './hcl-expression';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** The characters RFC 3986 allows in a URL: no white space, control characters, quotes, braces or backslashes. */
const URL_CHARACTERS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/;

/** True for values Terraform only knows at plan or apply time; those are not checked at synth. */
export const isToken = (value: unknown): boolean => Token.isUnresolved(value);

export function checkGuid(field: string, value: string): void {
  if (!isToken(value) && !GUID.test(value)) throw notGuid(field, value);
}

/**
 * A literal GUID checked and in lower case, as Microsoft Graph returns IDs: azuread 3.7 compares IDs
 * as written, so one in capitals shows a change on every plan, and where the argument forces a new
 * object (a service principal's `client_id`, an assignment's `principal_object_id`) replaces it on
 * every apply (docs/troubleshooting.md#upper-case-ids-replaced-on-every-apply). A checked GUID holds no template sequence,
 * so it reaches Terraform as written. A token is returned unchanged.
 */
export function guid(field: string, value: string): string {
  checkGuid(field, value);
  return isToken(value) ? value : value.toLowerCase();
}

/** {@link guid}, with a value known only at plan wrapped in Terraform's `lower()`. */
export function lowerGuid(field: string, value: string): string {
  if (!isToken(value)) return guid(field, value);
  return Token.asString(call('lower', value) ?? Fn.lower(value));
}

/**
 * {@link lowerGuid} for every element of a list, named `<field>[<i>]`; a list known only at plan
 * becomes `[for g in <list> : lower(g)]`, since mapping over the token would map over one encoded element.
 */
export function lowerGuids(field: string, values: readonly string[]): string[] {
  if (isToken(values))
    return Token.asList(TerraformIterator.fromList(values as string[]).forExpressionForList('lower(val)'));
  return values.map((v, i) => lowerGuid(`${field}[${i}]`, v));
}

/** An absolute https URL without credentials, query or fragment; plain http only on loopback, for development against a local Nango. */
export function checkServiceUrl(field: string, value: string): void {
  if (isToken(value)) return;
  // The URL parser drops tabs and line breaks and percent-encodes quotes and spaces, so the parsed URL
  // is not the string Terraform, curl and Entra receive: the string itself must be a plain URL.
  if (!URL_CHARACTERS.test(value)) throw malformedUrl(field, value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw malformedUrl(field, value);
  }
  const loopbackHttp = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) throw insecureUrl(field, value);
  if (url.search || url.hash || url.username || url.password) {
    throw urlWithExtraParts(field, value, 'a URL without credentials, query string or fragment');
  }
}

/** A base URL without its trailing slash, so that paths can be appended; also for values known only at apply. */
export function baseUrl(value: string): string {
  if (!isToken(value)) return value.replace(/\/+$/, '');
  return call('trimsuffix', value, '/')?.toString() ?? Fn.trimsuffix(value, '/');
}

export function checkWholeNumber(field: string, value: number, min: number, max: number, unit: string): void {
  if (isToken(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) throw outOfRange(field, value, min, max, unit);
}

export function checkPattern(field: string, value: string, pattern: RegExp, expected: string): void {
  if (!isToken(value) && !pattern.test(value)) throw patternMismatch(field, value, expected);
}

/** A URL that does not parse. */
export function malformedUrl(field: string, value: string): KindoConfigError {
  return new KindoConfigError(
    'MALFORMED_URL',
    `\`${field}\` is ${show(value)}, which is not a URL; expected an absolute URL of the characters RFC 3986 allows (no white space, quotes or braces), such as 'https://api.nango.dev'`,
  );
}

/** A URL that is not https (plain http is accepted for loopback hosts only). */
export function insecureUrl(field: string, value: string): KindoConfigError {
  return new KindoConfigError(
    'INSECURE_URL',
    `\`${field}\` is ${show(value)}; expected an https:// URL (http:// is accepted only for 127.0.0.1, [::1] or localhost, for development)`,
  );
}

/** A URL with parts the field does not accept. */
export function urlWithExtraParts(field: string, value: string, expected: string): KindoConfigError {
  return new KindoConfigError('URL_EXTRA_PARTS', `\`${field}\` is ${show(value)}; expected ${expected}`);
}

/** A number outside its allowed range. */
export function outOfRange(field: string, value: number, min: number, max: number, unit: string): KindoConfigError {
  return new KindoConfigError(
    'OUT_OF_RANGE',
    `\`${field}\` is ${show(value)}; expected a whole number of ${unit} from ${min} to ${max}`,
  );
}

/** A value that must be a GUID. */
export function notGuid(field: string, value: string): KindoConfigError {
  return new KindoConfigError(
    'NOT_A_GUID',
    `\`${field}\` is ${show(value)}; expected a GUID such as '00000000-0000-0000-0000-000000000000'`,
  );
}

/** A value that does not match the pattern its field requires. */
export function patternMismatch(field: string, value: string, expected: string): KindoConfigError {
  return new KindoConfigError('PATTERN_MISMATCH', `\`${field}\` is ${show(value)}; expected ${expected}`);
}

/** A per-integration setting for an integration that is not selected or does not take it. */
export function settingNotApplicable(field: string, key: string, reason: string): KindoConfigError {
  return new KindoConfigError(
    'SETTING_NOT_APPLICABLE',
    `\`${field}\` has an entry for ${show(key)}, ${reason}; expected entries only for selected integrations that take this setting`,
  );
}

/** Nango settings are required because a delegated integration is registered with Nango. */
export function missingSetting(field: string, reason: string): KindoConfigError {
  return new KindoConfigError('MISSING_SETTING', `\`${field}\` is not set; expected a value, because ${reason}`);
}

/** A value outside a fixed set. */
export function notOneOf(field: string, value: string, valid: readonly string[]): KindoConfigError {
  return new KindoConfigError('NOT_ONE_OF', `\`${field}\` is ${show(value)}; expected one of: ${valid.join(', ')}`);
}
