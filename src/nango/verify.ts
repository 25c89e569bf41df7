import { createHash } from 'node:crypto';
import { KindoConfigError, show } from '../core/errors';

type Json = Record<string, any>;

/** One Nango registration as Terraform last pushed it: the values of a NangoRegistration's `Sync` in state. */
export interface StateRegistration {
  /** Terraform address of the `Sync` resource. */
  readonly address: string;
  /** Terraform address of the matching `Registration` resource, whose replacement registers the integration again. */
  readonly registrationAddress?: string;
  /** Kindo integration id, from the matching `Registration` resource; the unique key when there is none. */
  readonly integration: string;
  readonly serverUrl: string;
  readonly uniqueKey: string;
  readonly provider: string;
  readonly clientId: string;
  readonly scopes: string;
  readonly fields: Readonly<Record<string, string>>;
  /** Compared by hash, never printed; undefined when the state does not hold it. */
  readonly clientSecret?: string;
  /** Web redirect URIs of the app registration with this client ID, when the same state holds it. */
  readonly redirectUris?: readonly string[];
}

/** What one comparison found: `ok` agrees, `differs` does not, `unknown` could not be read, `n/a` does not apply. */
export type VerifyStatus = 'ok' | 'differs' | 'unknown' | 'n/a';

/** One compared property of one integration. Never holds a secret. */
export interface VerifyCheck {
  readonly check: 'registered' | 'provider' | 'client_id' | 'scopes' | 'fields' | 'redirect_uri' | 'client_secret';
  readonly status: VerifyStatus;
  /** What Terraform holds and what Nango holds, where showing them is safe; `detail` explains otherwise. */
  readonly terraform?: string;
  readonly nango?: string;
  readonly detail?: string;
}

export interface VerifiedIntegration {
  readonly integration: string;
  readonly uniqueKey: string;
  readonly serverUrl: string;
  readonly address: string;
  readonly checks: readonly VerifyCheck[];
  /** True when no check differs or is unknown. */
  readonly agrees: boolean;
}

export interface VerifyReport {
  /** Where the state came from. */
  readonly source: string;
  readonly integrations: readonly VerifiedIntegration[];
  readonly agrees: boolean;
}

/** Exit statuses of `verify`. */
export const VERIFY_EXIT = {
  /** Every registration in the state agrees with Nango. */
  AGREES: 0,
  /** Bad input, or Nango could not be asked (unreachable, key refused). */
  ERROR: 1,
  /** Wrong command line. */
  USAGE: 2,
  /** At least one check differs or could not be read. */
  DIFFERS: 3,
} as const;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function resources(module: Json | undefined): Json[] {
  if (!isObject(module)) return [];
  return [
    ...(Array.isArray(module.resources) ? module.resources : []),
    ...(Array.isArray(module.child_modules) ? module.child_modules : []).flatMap(resources),
  ];
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The fields a Sync carries: one `field.<name>` trigger each, or one JSON-encoded `fields` map when the fields were a token at synth. */
function stateFields(triggers: Json): Record<string, string> {
  const fields: Record<string, string> = {};
  if (typeof triggers.fields === 'string') {
    try {
      const parsed: unknown = JSON.parse(triggers.fields);
      if (isObject(parsed)) for (const [k, v] of Object.entries(parsed)) fields[k] = text(v);
    } catch {
      // not JSON: no fields
    }
  }
  for (const [k, v] of Object.entries(triggers)) if (k.startsWith('field.')) fields[k.slice('field.'.length)] = text(v);
  return fields;
}

/**
 * Reads the Nango registrations from `terraform show -json` output of a state: every NangoRegistration's
 * `Sync` (`terraform_data` whose `triggers_replace` holds `unique_key` and `provider`), its Kindo
 * integration id from the matching `Registration` (`triggers_replace` holds `integration` and
 * `server_url`; `input` the unique key, which a rename updates in place), and the redirect URIs of the
 * app registration with the same client ID.
 */
export function registrationsFromState(state: unknown, source: string): StateRegistration[] {
  const all = isObject(state) && isObject(state.values) ? resources(state.values.root_module) : [];
  const triggersOf = (r: Json): Json =>
    isObject(r.values) && isObject(r.values.triggers_replace) ? r.values.triggers_replace : {};
  const data = all.filter((r) => r.type === 'terraform_data' && r.mode === 'managed');
  const registrations = data
    .filter((r) => 'integration' in triggersOf(r) && 'server_url' in triggersOf(r))
    .map((r) => {
      const t = triggersOf(r);
      const input: Json = isObject(r.values.input) ? r.values.input : {};
      return {
        address: String(r.address),
        integration: text(t.integration),
        serverUrl: text(t.server_url),
        uniqueKey: text(input.unique_key) || text(t.unique_key),
      };
    });
  const apps = all.filter((r) => r.type === 'azuread_application' && r.mode === 'managed' && isObject(r.values));
  const found = data
    .filter((r) => 'unique_key' in triggersOf(r) && 'provider' in triggersOf(r))
    .map((r): StateRegistration => {
      const t = triggersOf(r);
      const [serverUrl, uniqueKey, clientId] = [text(t.server_url), text(t.unique_key), text(t.client_id)];
      const registration = registrations.find((g) => g.uniqueKey === uniqueKey && g.serverUrl === serverUrl);
      const app = apps.find((a) => a.values.client_id === clientId);
      const web = app && Array.isArray(app.values.web) ? app.values.web[0] : undefined;
      return {
        address: String(r.address),
        registrationAddress: registration?.address,
        integration: registration?.integration || uniqueKey,
        serverUrl,
        uniqueKey,
        provider: text(t.provider),
        clientId,
        scopes: text(t.scopes),
        fields: stateFields(t),
        clientSecret: typeof t.client_secret === 'string' ? t.client_secret : undefined,
        redirectUris: app ? (Array.isArray(web?.redirect_uris) ? web.redirect_uris.map(String) : []) : undefined,
      };
    });
  if (found.length === 0) throw verifyNothingRegistered(source);
  return found;
}

/** How `verify` reads Nango: the secret key, and the callback URL Nango's environment uses when it is not `<server>/oauth/callback`. */
export interface VerifyOptions {
  readonly secretKey: string;
  readonly callbackUrl?: string;
  /** For tests; the global fetch otherwise. */
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

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

/** Compares one registration in Terraform's state with what Nango holds. */
async function verifyOne(
  r: StateRegistration,
  options: VerifyOptions,
  redact: (s: string) => string,
): Promise<VerifiedIntegration> {
  const base = r.serverUrl.replace(/\/+$/, '');
  const key = encodeURIComponent(r.uniqueKey);
  const checks: VerifyCheck[] = [];
  const done = () => ({
    integration: r.integration,
    uniqueKey: r.uniqueKey,
    serverUrl: r.serverUrl,
    address: r.address,
    checks,
    agrees: checks.every((c) => c.status === 'ok' || c.status === 'n/a'),
  });

  const callback = options.callbackUrl ?? `${base}/oauth/callback`;
  const redirect: VerifyCheck =
    r.redirectUris === undefined
      ? {
          check: 'redirect_uri',
          status: 'n/a',
          nango: callback,
          detail: 'no app registration with this client ID in this state',
        }
      : r.redirectUris.includes(callback)
        ? { check: 'redirect_uri', status: 'ok', terraform: r.redirectUris.join(', '), nango: callback }
        : {
            check: 'redirect_uri',
            status: 'differs',
            terraform: r.redirectUris.join(', ') || 'none',
            nango: callback,
            detail: "the app registration's Web redirect URIs do not include Nango's callback URL",
          };

  const integration = await get(`${base}/integrations/${key}?include=credentials`, options, redact);
  if (integration.status === 404) {
    // Sync refuses to push to a missing integration; replacing Registration claims the key again.
    const fix = r.registrationAddress
      ? `register it again with: terraform apply -replace=${r.registrationAddress}`
      : 'register it again by replacing its Registration resource';
    checks.push(
      {
        check: 'registered',
        status: 'differs',
        detail: `Nango has no integration '${r.uniqueKey}' (deleted outside Terraform, or the secret key belongs to another environment); ${fix}`,
      },
      redirect,
    );
    return done();
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
  checks.push({ check: 'registered', status: 'ok' });
  const compare = (check: 'provider' | 'client_id', expected: string, actual: unknown) =>
    checks.push({
      check,
      status: actual === expected ? 'ok' : 'differs',
      terraform: expected,
      nango: typeof actual === 'string' ? actual : 'none',
    });
  compare('provider', r.provider, data.provider);

  const credentials = isObject(data.credentials) ? data.credentials : undefined;
  const unreadable =
    'Nango left out the credentials: the secret key lacks the environment:integrations:read_credentials scope';
  if (!credentials) {
    checks.push(
      { check: 'client_id', status: 'unknown', terraform: r.clientId, detail: unreadable },
      { check: 'scopes', status: 'unknown', terraform: r.scopes, detail: unreadable },
    );
  } else {
    compare('client_id', r.clientId, credentials.client_id);
    const [want, have] = [scopeList(r.scopes), scopeList(credentials.scopes)];
    checks.push({
      check: 'scopes',
      status: sameSet(want, have) ? 'ok' : 'differs',
      terraform: r.scopes,
      nango: typeof credentials.scopes === 'string' ? credentials.scopes : 'none',
    });
  }

  checks.push(await verifyFields(r, base, key, options, redact));
  checks.push(redirect);

  if (r.clientSecret === undefined) {
    checks.push({
      check: 'client_secret',
      status: 'unknown',
      detail:
        'the state does not hold the client secret (a registration synthesized before verify existed): apply again',
    });
  } else if (!credentials || typeof credentials.client_secret !== 'string') {
    checks.push({ check: 'client_secret', status: 'unknown', detail: unreadable });
  } else {
    const same = sha256(credentials.client_secret).equals(sha256(r.clientSecret));
    checks.push({
      check: 'client_secret',
      status: same ? 'ok' : 'differs',
      detail: same
        ? 'Nango holds the client secret Terraform holds (compared by SHA-256)'
        : 'Nango holds another client secret than Terraform (compared by SHA-256)',
    });
  }
  return done();
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
  const rows = report.integrations.map((i) => [
    i.integration,
    i.uniqueKey,
    ...columns.map((c) => STATUS[i.checks.find((x) => x.check === c)?.status ?? 'n/a']),
  ]);
  const widths = header.map((h, n) => Math.max(h.length, ...rows.map((r) => r[n].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, n) => c.padEnd(widths[n]))
      .join('  ')
      .trimEnd();
  const servers = [...new Set(report.integrations.map((i) => i.serverUrl))].join(', ');
  const notes = report.integrations.flatMap((i) =>
    i.checks
      .filter((c) => c.status === 'differs' || c.status === 'unknown')
      .map((c) => {
        const values =
          c.terraform !== undefined || c.nango !== undefined
            ? ` Terraform: ${c.terraform ?? '-'}; Nango: ${c.nango ?? '-'}.`
            : '';
        return `- ${i.integration} ${c.check} ${STATUS[c.status]}:${values}${c.detail ? ` ${c.detail}` : ''}`;
      }),
  );
  return [
    `Nango registrations in ${report.source}, compared with Nango at ${servers}:`,
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

/** `verify` found no Nango registration in Terraform's state. */
export function verifyNothingRegistered(source: string): KindoConfigError {
  return new KindoConfigError(
    'VERIFY_NOTHING_REGISTERED',
    `Terraform's state in ${show(source)} holds no Nango registration (NangoRegistration's Sync resource); expected the state of a stack after \`terraform apply\`: run verify in that stack's directory`,
  );
}

/** `verify` could not use Nango's answer. */
export function verifyNangoFailed(request: string, problem: string): KindoConfigError {
  return new KindoConfigError('VERIFY_NANGO_FAILED', `${request}: ${problem}`);
}
