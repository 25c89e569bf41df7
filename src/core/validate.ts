import { Fn, Token } from 'cdktf';
import { insecureUrl, malformedUrl, notGuid, outOfRange, patternMismatch, urlWithExtraParts } from './errors';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True for values Terraform only knows at plan or apply time; those are not checked at synth. */
export const isToken = (value: unknown): boolean => Token.isUnresolved(value);

export function checkGuid(field: string, value: string): void {
  if (!isToken(value) && !GUID.test(value)) throw notGuid(field, value);
}

/** An absolute https URL without credentials, query or fragment; plain http only on loopback, for development against a local Nango. */
export function checkServiceUrl(field: string, value: string): void {
  if (isToken(value)) return;
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
  return isToken(value) ? Fn.trimsuffix(value, '/') : value.replace(/\/+$/, '');
}

export function checkWholeNumber(field: string, value: number, min: number, max: number, unit: string): void {
  if (isToken(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) throw outOfRange(field, value, min, max, unit);
}

export function checkPattern(field: string, value: string, pattern: RegExp, expected: string): void {
  if (!isToken(value) && !pattern.test(value)) throw patternMismatch(field, value, expected);
}
