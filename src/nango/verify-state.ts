import { KindoConfigError, show } from '../core/errors';
import { formatPath, type JsonPath } from '../adopt/json-input';

type Json = Record<string, any>;

/** One Nango registration as Terraform last pushed it: the values of a NangoRegistration's `Sync` in state. */
export interface StateRegistration {
  /** Terraform address of the `Sync` resource. */
  readonly address: string;
  /** Terraform address of the matching `Registration` resource, whose replacement registers the integration again. */
  readonly registrationAddress?: string;
  /** Kindo integration id, from the matching `Registration` resource; the unique key when there is none. */
  readonly integration: string;
  /**
   * Nango server URL Sync pushed to (`triggers_replace.server_url`); verify sends the Nango secret key there.
   * @example 'https://api.nango.dev'
   */
  readonly serverUrl: string;
  /**
   * Unique key of the Nango integration: Sync's `unique_key`.
   * @example 'kindo-teams'
   */
  readonly uniqueKey: string;
  /**
   * Nango provider key: Sync's `provider`.
   * @example 'microsoft-tenant-specific'
   */
  readonly provider: string;
  /**
   * Application (client) ID of the app registration pushed to Nango: Sync's `client_id`.
   * @example '6e5d4c3b-2a19-4f08-8e7d-6c5b4a392817'
   */
  readonly clientId: string;
  /**
   * OAuth scopes pushed to Nango: Sync's `scopes`, comma-separated.
   * @example 'offline_access,User.Read'
   */
  readonly scopes: string;
  /** Nango integration fields by name: Sync's `field.<name>` triggers, or its JSON-encoded `fields` map. */
  readonly fields: Readonly<Record<string, string>>;
  /** Key ID of the client secret Terraform last pushed (Sync's `client_secret_key_id`). */
  readonly clientSecretKeyId: string;
  /**
   * That client secret: the value of the `azuread_application_password` with this key ID in the same
   * state. Compared by hash, never printed; undefined when the state holds no such password.
   * A secret: verify writes it nowhere and redacts it from the errors it prints.
   */
  readonly clientSecret?: string;
  /** Web redirect URIs of the app registration with this client ID, when the same state holds it. */
  readonly redirectUris?: readonly string[];
}

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Every resource of a module and its child modules. Each must be an object whose address, mode and
 * type are strings, as `terraform show -json` writes them: the registrations are found by them.
 */
function resources(module: unknown, source: string, path: JsonPath): Json[] {
  if (!isObject(module)) return [];
  const list = (key: string): unknown[] => {
    const value = module[key];
    if (value === undefined) return [];
    if (!Array.isArray(value)) throw verifyStateInvalid(source, [...path, key], value, 'a list');
    return value;
  };
  const own = list('resources').map((r, n): Json => {
    const at = [...path, 'resources', n];
    if (!isObject(r)) throw verifyStateInvalid(source, at, r, 'a resource, an object { address, mode, type, values }');
    for (const field of ['address', 'mode', 'type'])
      if (typeof r[field] !== 'string') throw verifyStateInvalid(source, [...at, field], r[field], 'a string');
    return r;
  });
  return [...own, ...list('child_modules').flatMap((m, n) => resources(m, source, [...path, 'child_modules', n]))];
}

export const text = (v: unknown): string => (typeof v === 'string' ? v : '');

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
 * `server_url`; `input` the unique key, which a rename updates in place), the redirect URIs of the
 * app registration with the same client ID, and the client secret of the password with Sync's key ID.
 */
export function registrationsFromState(state: unknown, source: string): StateRegistration[] {
  const all =
    isObject(state) && isObject(state.values)
      ? resources(state.values.root_module, source, ['values', 'root_module'])
      : [];
  const triggersOf = (r: Json): Json =>
    isObject(r.values) && isObject(r.values.triggers_replace) ? r.values.triggers_replace : {};
  const data = all.filter((r) => r.type === 'terraform_data' && r.mode === 'managed');
  const registrations = data
    .filter((r) => 'integration' in triggersOf(r) && 'server_url' in triggersOf(r))
    .map((r) => {
      const t = triggersOf(r);
      const input: Json = isObject(r.values.input) ? r.values.input : {};
      return {
        address: r.address as string,
        integration: text(t.integration),
        serverUrl: text(t.server_url),
        uniqueKey: text(input.unique_key) || text(t.unique_key),
      };
    });
  const managed = (type: string) => all.filter((r) => r.type === type && r.mode === 'managed' && isObject(r.values));
  const apps = managed('azuread_application');
  // Sync keeps only the secret's key ID (a terraform_data value is printed in debug logs); the secret
  // itself is the password's, which state holds anyway.
  const passwords = managed('azuread_application_password');
  const found = data
    .filter((r) => 'unique_key' in triggersOf(r) && 'provider' in triggersOf(r))
    .map((r): StateRegistration => {
      const t = triggersOf(r);
      const [serverUrl, uniqueKey, clientId] = [text(t.server_url), text(t.unique_key), text(t.client_id)];
      const keyId = text(t.client_secret_key_id);
      const password = passwords.find((p) => keyId !== '' && p.values.key_id === keyId);
      const registration = registrations.find((g) => g.uniqueKey === uniqueKey && g.serverUrl === serverUrl);
      const app = apps.find((a) => a.values.client_id === clientId);
      const web = app && Array.isArray(app.values.web) ? app.values.web[0] : undefined;
      return {
        address: r.address as string,
        registrationAddress: registration?.address,
        integration: registration?.integration || uniqueKey,
        serverUrl,
        uniqueKey,
        provider: text(t.provider),
        clientId,
        scopes: text(t.scopes),
        fields: stateFields(t),
        clientSecretKeyId: keyId,
        clientSecret: typeof password?.values.value === 'string' ? password.values.value : undefined,
        redirectUris: app
          ? Array.isArray(web?.redirect_uris)
            ? web.redirect_uris.map((u: unknown) => (typeof u === 'string' ? u : JSON.stringify(u)))
            : []
          : undefined,
      };
    });
  if (found.length === 0) throw verifyNothingRegistered(source);
  return found;
}

/** `verify` found no Nango registration in Terraform's state. */
export function verifyNothingRegistered(source: string): KindoConfigError {
  return new KindoConfigError(
    'VERIFY_NOTHING_REGISTERED',
    `Terraform's state in ${show(source)} holds no Nango registration (NangoRegistration's Sync resource); expected the state of a stack after \`terraform apply\`: run verify in that stack's directory`,
  );
}

/** Terraform's state read from `source` is not shaped as `terraform show -json` writes it. */
export function verifyStateInvalid(source: string, path: JsonPath, value: unknown, expected: string): KindoConfigError {
  return new KindoConfigError(
    'VERIFY_STATE_UNREADABLE',
    `Terraform's state in ${show(source)}: \`${formatPath(path)}\` is ${show(value)}; expected ${expected}, as \`terraform show -json\` writes it`,
  );
}
