import { createHash } from 'node:crypto';
import { KindoConfigError, show } from '../core/errors';
import { isInvisible, visible } from '../core/visible';
import { NANGO_SECRET_KEY_PATTERN } from './nango-variables';
import { isObject, text, type StateRegistration } from './verify-state';
import type { VerifiedIntegration, VerifyCheck, VerifyOptions, VerifyReport, VerifyStatus } from './verify-types';

export { registrationsFromState, verifyNothingRegistered, type StateRegistration } from './verify-state';
export * from './verify-types';

type Json = Record<string, any>;
const DOCS = 'docs/nango-registration.md';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

const sha256 = (s: string) => createHash('sha256').update(s).digest();
const scopeList = (s: string | null | undefined) => (s ?? '').split(',').filter((x) => x !== '');
const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
// Keys Nango keeps in `custom` for itself; never printed, never counted as drift.
const NANGO_OWN_FIELD = /^(webhookSecret|iv|authTag|encryptedValue)$/;

/** Replaces every secret in a text that is printed (Nango's error bodies, network errors). */
function redactor(secrets: readonly (string | undefined)[]): (s: string) => string {
  const list = secrets.filter((s): s is string => typeof s === 'string' && s.length > 0);
  return (s) => list.reduce((out, secret) => out.split(secret).join('[redacted]'), s);
}

async function get(
  url: string,
  options: VerifyOptions,
  redact: (s: string) => string,
): Promise<{ status: number; body: Json }> {
  const request = `GET ${url}`;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      headers: { Accept: 'application/json', Authorization: `Bearer ${options.secretKey}` },
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (e) {
    const cause = (e as Error & { cause?: Error }).cause?.message ?? (e as Error).message;
    throw verifyNangoFailed(
      request,
      redact(
        `Nango could not be reached (${cause}); expected the Nango server URL the stack registered with to answer`,
      ),
    );
  }
  const raw = await response.text();
  let body: Json = {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (isObject(parsed)) body = parsed;
  } catch {
    // not JSON: judged by its status
  }
  if (response.status === 401) {
    throw verifyNangoFailed(
      request,
      redact(
        `Nango refused the secret key (HTTP 401, ${text(body.error?.code) || 'no error code'}); expected NANGO_SECRET_KEY (or TF_VAR_nango_secret_key) to be the secret key of the environment the stack registered in`,
      ),
    );
  }
  return { status: response.status, body };
}

const UNREADABLE =
  'Nango left out the credentials: the secret key lacks the environment:integrations:read_credentials scope';

/** The app's Web redirect URIs against Nango's callback URL. */
function redirectCheck(r: StateRegistration, callback: string): VerifyCheck {
  if (r.redirectUris === undefined)
    return {
      check: 'redirect_uri',
      status: 'n/a',
      nango: callback,
      detail: 'no app registration with this client ID in this state',
    };
  if (r.redirectUris.includes(callback))
    return { check: 'redirect_uri', status: 'ok', terraform: r.redirectUris.join(', '), nango: callback };
  return {
    check: 'redirect_uri',
    status: 'differs',
    terraform: r.redirectUris.join(', ') || 'none',
    nango: callback,
    detail: "the app registration's Web redirect URIs do not include Nango's callback URL",
  };
}

/** Provider, client ID and scopes as Nango holds them; client ID and scopes are unknown without credentials. */
function credentialChecks(r: StateRegistration, data: Json, credentials: Json | undefined): VerifyCheck[] {
  const compare = (check: 'provider' | 'client_id', expected: string, actual: unknown): VerifyCheck => ({
    check,
    status: actual === expected ? 'ok' : 'differs',
    terraform: expected,
    nango: typeof actual === 'string' ? actual : 'none',
  });
  if (!credentials)
    return [
      compare('provider', r.provider, data.provider),
      { check: 'client_id', status: 'unknown', terraform: r.clientId, detail: UNREADABLE },
      { check: 'scopes', status: 'unknown', terraform: r.scopes, detail: UNREADABLE },
    ];
  const [want, have] = [scopeList(r.scopes), scopeList(text(credentials.scopes))];
  return [
    compare('provider', r.provider, data.provider),
    compare('client_id', r.clientId, credentials.client_id),
    {
      check: 'scopes',
      status: sameSet(want, have) ? 'ok' : 'differs',
      terraform: r.scopes,
      nango: typeof credentials.scopes === 'string' ? credentials.scopes : 'none',
    },
  ];
}

/** Whether Nango holds the client secret of the password in state, compared by hash. */
function secretCheck(r: StateRegistration, credentials: Json | undefined): VerifyCheck {
  if (r.clientSecret === undefined)
    return {
      check: 'client_secret',
      status: 'unknown',
      detail: `the state holds no azuread_application_password with key ID '${r.clientSecretKeyId}' (Sync's client_secret_key_id)`,
    };
  if (!credentials || typeof credentials.client_secret !== 'string')
    return { check: 'client_secret', status: 'unknown', detail: UNREADABLE };
  const same = sha256(credentials.client_secret).equals(sha256(r.clientSecret));
  return {
    check: 'client_secret',
    status: same ? 'ok' : 'differs',
    detail: same
      ? 'Nango holds the client secret Terraform holds (compared by SHA-256)'
      : 'Nango holds another client secret than Terraform (compared by SHA-256)',
  };
}

/** Compares one registration in Terraform's state with what Nango holds. */
async function verifyOne(
  r: StateRegistration,
  options: VerifyOptions,
  redact: (s: string) => string,
): Promise<VerifiedIntegration> {
  const base = r.serverUrl.replace(/\/+$/, '');
  const key = encodeURIComponent(r.uniqueKey);
  const done = (checks: VerifyCheck[]) => ({
    integration: r.integration,
    uniqueKey: r.uniqueKey,
    serverUrl: r.serverUrl,
    address: r.address,
    checks,
    agrees: checks.every((c) => c.status === 'ok' || c.status === 'n/a'),
  });
  const redirect = redirectCheck(r, options.callbackUrl ?? `${base}/oauth/callback`);

  const integration = await get(`${base}/integrations/${key}?include=credentials`, options, redact);
  if (integration.status === 404) {
    // Sync refuses to push to a missing integration; replacing Registration claims the key again.
    const fix = r.registrationAddress
      ? `register it again with: terraform apply -replace=${r.registrationAddress}`
      : 'register it again by replacing its Registration resource';
    const detail = `Nango has no integration '${r.uniqueKey}' (deleted outside Terraform, or the secret key belongs to another environment); ${fix}`;
    return done([{ check: 'registered', status: 'differs', detail }, redirect]);
  }
  if (integration.status !== 200 || !isObject(integration.body.data)) {
    throw verifyNangoFailed(
      `GET ${base}/integrations/${key}`,
      redact(
        `Nango answered HTTP ${integration.status}: ${JSON.stringify(integration.body.error ?? integration.body).slice(0, 300)}`,
      ),
    );
  }
  const data = integration.body.data;
  const credentials = isObject(data.credentials) ? data.credentials : undefined;
  return done([
    { check: 'registered', status: 'ok' },
    ...credentialChecks(r, data, credentials),
    await verifyFields(r, base, key, options, redact),
    redirect,
    secretCheck(r, credentials),
  ]);
}

/**
 * Nango's public GET of an integration leaves out its `custom` settings (integrationToPublicApi in
 * packages/server/lib/formatters/integration.ts); only GET /config/{key}?include_creds=true returns them.
 */
async function verifyFields(
  r: StateRegistration,
  base: string,
  key: string,
  options: VerifyOptions,
  redact: (s: string) => string,
): Promise<VerifyCheck> {
  const want = Object.fromEntries(Object.entries(r.fields).filter(([, v]) => v !== ''));
  const show = (f: Record<string, string>) =>
    Object.entries(f)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${v}`)
      .join(', ') || 'none';
  const config = await get(`${base}/config/${key}?include_creds=true`, options, redact);
  if (config.status !== 200 || !isObject(config.body.config)) {
    return {
      check: 'fields',
      status: 'unknown',
      terraform: show(want),
      detail: `Nango answered GET /config/${key} with HTTP ${config.status}; it is the only route that returns an integration's custom settings`,
    };
  }
  const custom: Json = isObject(config.body.config.custom) ? config.body.config.custom : {};
  const differing = Object.keys(want).filter((name) => custom[name] !== want[name]);
  const configured = new Set(Object.keys(r.fields));
  // Fields set in Nango but not here: names only, since their values were never checked to be non-secret.
  const extra = Object.keys(custom).filter(
    (name) => !configured.has(name) && !NANGO_OWN_FIELD.test(name) && custom[name] !== '' && custom[name] !== null,
  );
  const nango = Object.fromEntries(
    Object.keys(want).map((name) => [name, typeof custom[name] === 'string' ? custom[name] : '(not set)']),
  );
  if (differing.length === 0 && extra.length === 0)
    return { check: 'fields', status: 'ok', terraform: show(want), nango: show(nango) };
  const parts = [
    ...(differing.length > 0 ? [`differ: ${differing.join(', ')}`] : []),
    ...(extra.length > 0
      ? [
          `set in Nango only: ${extra.join(', ')} (Nango cannot remove a field: clear it with '' in nangoFields, e.g. { ${extra[0]}: '' })`,
        ]
      : []),
  ];
  return { check: 'fields', status: 'differs', terraform: show(want), nango: show(nango), detail: parts.join('; ') };
}

/**
 * Compares every Nango registration of a state with Nango: registered or not, provider, client ID,
 * scopes, fields, the app's redirect URI against Nango's callback, and the client secret (by hash).
 * No secret is part of the report.
 */
export async function verifyRegistrations(
  registrations: readonly StateRegistration[],
  source: string,
  options: VerifyOptions,
): Promise<VerifyReport> {
  // Before any request: the key goes only where it can go safely, and only in Nango's form.
  if (!NANGO_SECRET_KEY_PATTERN.test(options.secretKey)) throw nangoSecretKeyInvalid();
  for (const r of registrations) checkServerUrl(r);
  const redact = redactor([options.secretKey, ...registrations.map((r) => r.clientSecret)]);
  const integrations: VerifiedIntegration[] = [];
  for (const r of registrations) integrations.push(await verifyOne(r, options, redact));
  return { source, integrations, agrees: integrations.every((i) => i.agrees) };
}

const STATUS: Record<VerifyStatus, string> = { ok: 'ok', differs: 'DIFFERS', unknown: 'unknown', 'n/a': 'n/a' };

/** The report as a table for people, then one line per difference. */
export function renderVerifyTable(report: VerifyReport): string {
  const columns = ['registered', 'provider', 'client_id', 'scopes', 'fields', 'redirect_uri', 'client_secret'] as const;
  const header = ['Integration', 'Unique key', ...columns];
  // Values come from the state file and from Nango's answers: each shown on one visible line.
  const rows = report.integrations.map((i) => [
    visible(i.integration),
    visible(i.uniqueKey),
    ...columns.map((c) => STATUS[i.checks.find((x) => x.check === c)?.status ?? 'n/a']),
  ]);
  const widths = header.map((h, n) => Math.max(h.length, ...rows.map((r) => r[n].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, n) => c.padEnd(widths[n]))
      .join('  ')
      .trimEnd();
  const servers = [...new Set(report.integrations.map((i) => visible(i.serverUrl)))].join(', ');
  const notes = report.integrations.flatMap((i) =>
    i.checks
      .filter((c) => c.status === 'differs' || c.status === 'unknown')
      .map((c) => {
        const values =
          c.terraform !== undefined || c.nango !== undefined
            ? ` Terraform: ${c.terraform ?? '-'}; Nango: ${c.nango ?? '-'}.`
            : '';
        return visible(`- ${i.integration} ${c.check} ${STATUS[c.status]}:${values}${c.detail ? ` ${c.detail}` : ''}`);
      }),
  );
  return [
    `Nango registrations in ${visible(report.source)}, compared with Nango at ${servers}:`,
    '',
    line(header),
    ...rows.map(line),
    '',
    ...(notes.length > 0 ? [...notes, ''] : []),
    report.agrees
      ? 'Everything agrees.'
      : `${report.integrations.filter((i) => !i.agrees).length} of ${report.integrations.length} integration(s) do not agree with Nango.`,
  ].join('\n');
}

/**
 * The report as JSON for CI, parsing to exactly its values. JSON escapes C0 controls itself but leaves
 * DEL, C1 controls, U+2028/U+2029 and bidi marks raw; they are written as `\uXXXX` too, so that a
 * terminal showing the JSON receives no control sequence.
 */
export function renderVerifyJson(report: VerifyReport): string {
  return JSON.stringify(report, null, 2).replace(/[^\n -~]/gu, (c) =>
    isInvisible(c.codePointAt(0)!) ? `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}` : c,
  );
}

/**
 * The server URL a registration recorded, to which verify would send the Nango secret key: https, or
 * http on loopback only, without credentials.
 */
function checkServerUrl(r: StateRegistration): void {
  let url: URL | undefined;
  try {
    url = new URL(r.serverUrl);
  } catch {
    // refused below
  }
  const safe =
    url !== undefined &&
    !url.username &&
    !url.password &&
    (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname)));
  if (!safe) throw verifyServerUrlRefused(r.address, url ? `${url.protocol}//${url.host}${url.pathname}` : r.serverUrl);
}

/** A registration's server URL to which verify will not send the Nango secret key. */
export function verifyServerUrlRefused(address: string, url: string): KindoConfigError {
  return new KindoConfigError(
    'VERIFY_SERVER_URL_REFUSED',
    `\`server_url\` of ${show(address)} is ${show(url)} (credentials left out); expected https:// without credentials (http:// only on loopback): verify sends the Nango secret key there`,
    `${DOCS}#verify-the-registrations-compared-with-nango-after-apply`,
  );
}

/** The Nango secret key verify was given is not in Nango's form. */
export function nangoSecretKeyInvalid(): KindoConfigError {
  return new KindoConfigError(
    'NANGO_SECRET_KEY_INVALID',
    "the Nango secret key (NANGO_SECRET_KEY or TF_VAR_nango_secret_key) is not in Nango's form, and its value is not shown; expected a UUID v4, xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx in hexadecimal digits",
    `${DOCS}#the-secret-keys-form`,
  );
}

/** `verify` could not use Nango's answer. */
export function verifyNangoFailed(request: string, problem: string): KindoConfigError {
  return new KindoConfigError('VERIFY_NANGO_FAILED', visible(`${request}: ${problem}`));
}
