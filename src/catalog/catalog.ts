import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { SCHEMA_SHA256, validate as validatePackagedSchema } from './catalog-schema-validator';
import { KindoConfigError, show } from '../core/errors';

/** The integrations Kindo's guide covers; each has one file in `permissions/`. */
export const INTEGRATION_IDS = [
  'defender',
  'ediscovery',
  'entra-id',
  'entra-id-governance',
  'excel-online',
  'fabric',
  'graph-security',
  'intune',
  'outlook',
  'outlook-calendar',
  'purview-compliance',
  'purview-data-governance',
  'teams',
  'sharepoint-online',
] as const;

/** Id of one Kindo Microsoft integration, e.g. `teams`. */
export type IntegrationId = (typeof INTEGRATION_IDS)[number];

/** One delegated permission (OAuth2 scope) of a Microsoft API. */
export interface CatalogPermission {
  /** Scope value, e.g. `User.Read`. */
  readonly name: string;
  /** The scope's ID as the API's service principal publishes it. */
  readonly id: string;
  /** The guide's description. */
  readonly description: string;
  /** `write` when the scope creates, changes or deletes data or acts on devices; else `read`. */
  readonly access: 'read' | 'write';
  /** The guide's "Admin consent required" column. */
  readonly adminConsentRequired: boolean;
  /**
   * Set when the guide asks for the permission outside the integration's permission table:
   * `troubleshooting`, its Troubleshooting table (offline_access wherever delegated refresh is required).
   * @default - a row of the integration's permission table
   */
  readonly directedBy?: 'troubleshooting';
}

/** A Microsoft API and the delegated permissions an integration needs from it. */
export interface CatalogApi {
  /** Display name, e.g. `Microsoft Graph`. */
  readonly name: string;
  /** Application (client) ID of the API, e.g. `00000003-0000-0000-c000-000000000000`. */
  readonly resourceAppId: string;
  /** Identifier URI that qualifies the API's scopes, e.g. `https://graph.microsoft.com`. */
  readonly identifierUri: string;
  /** Where the scope IDs were taken from. */
  readonly scopeIdSource: string;
  /** Delegated permissions, in the guide's order. */
  readonly permissions: readonly CatalogPermission[];
}

/** A field of Kindo's own connection form (Microsoft Fabric). */
export interface CatalogConnectionField {
  /** Field label as the form shows it. */
  readonly field: string;
  /** Where the value comes from. */
  readonly description: string;
}

/** Everything the guide says one integration may access and how it authenticates. */
export interface IntegrationDefinition {
  /** Integration id, e.g. `teams`. */
  readonly id: IntegrationId;
  /** Name as the guide writes it, e.g. `Microsoft Teams`. */
  readonly displayName: string;
  /** `delegated` (user signs in through Nango) or `client-credentials` (Fabric). */
  readonly authFlow: 'delegated' | 'client-credentials';
  /** Whether the app needs Nango's OAuth callback as a Web redirect URI. */
  readonly redirectUri: boolean;
  /** Default Nango provider key, or `null` when the integration is not registered with Nango. */
  readonly nangoProvider: string | null;
  /** Fields of Kindo's own connection form, when the integration has one. */
  readonly connectionFields?: readonly CatalogConnectionField[];
  /** APIs and their delegated permissions; Microsoft Graph first. */
  readonly apis: readonly CatalogApi[];
}

/** The whole catalog, keyed by integration id. */
export type Catalog = Readonly<Record<IntegrationId, IntegrationDefinition>>;

/** Folder of the catalog shipped with this package. */
export const CATALOG_DIR = join(__dirname, '..', '..', 'permissions');

const SCHEMA_FILE = 'schema.json';
const GUIDE_FILE = 'guide.json';

/** Where the catalog's facts come from: Kindo's guide, as read on a given day. */
export interface GuideSource {
  /** The guide's title. */
  readonly title: string;
  /** Who publishes it. */
  readonly publisher: string;
  /**
   * Its public address.
   * @example 'https://docs.kindo.ai/connecting-integrations/microsoft-mcp/'
   */
  readonly url: string;
  /**
   * The day it was read, `YYYY-MM-DD`.
   * @example '2026-11-26'
   */
  readonly read: string;
  /** Which of its facts the catalog records. */
  readonly recorded: string;
}

/** The source of the catalog's facts (`permissions/guide.json`, part of the package). */
export function guideSource(): GuideSource {
  return JSON.parse(readFileSync(join(CATALOG_DIR, GUIDE_FILE), 'utf8'));
}

/** `/apis/0/permissions/3/id` → `apis[0].permissions[3].id` */
function fieldPath(error: ErrorObject): string {
  const segments = error.instancePath.split('/').slice(1);
  if (error.keyword === 'required') segments.push(String(error.params.missingProperty));
  if (error.keyword === 'additionalProperties') segments.push(String(error.params.additionalProperty));
  return segments.reduce((path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : path ? `${path}.${s}` : s), '') || '(root)';
}

function valueAt(doc: unknown, error: ErrorObject): unknown {
  if (error.keyword === 'required') return undefined;
  let value: unknown = doc;
  for (const s of error.instancePath.split('/').slice(1)) value = (value as Record<string, unknown>)?.[s];
  if (error.keyword === 'additionalProperties')
    return (value as Record<string, unknown>)[String(error.params.additionalProperty)];
  return value;
}

function expectation(error: ErrorObject): string {
  switch (error.keyword) {
    case 'required':
      return 'a value (the field is required)';
    case 'additionalProperties':
      return 'no such field (permissions/schema.json does not define it)';
    case 'enum':
      return `one of: ${(error.params.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'const':
      return `'${String(error.params.allowedValue)}'`;
    case 'pattern':
      return `a string matching ${String(error.params.pattern)}`;
    default:
      return `a value that ${error.message ?? 'follows permissions/schema.json'}`;
  }
}

/** Digest of a schema.json text, to recognize the schema the precompiled validator was made from. */
export function schemaDigest(schemaText: string): string {
  return createHash('sha256').update(schemaText).digest('hex');
}

/**
 * The package's schema comes precompiled (npm run catalog:validator): loading Ajv and compiling it
 * cost about as much at each synth as the rest of the catalog. Any other schema text (another
 * folder's, or this one edited since the validator was generated) is compiled with Ajv.
 */
function schemaValidator(dir: string): ValidateFunction<IntegrationDefinition> {
  const schema = readFileSync(join(dir, SCHEMA_FILE), 'utf8');
  if (schemaDigest(schema) === SCHEMA_SHA256) return validatePackagedSchema as ValidateFunction<IntegrationDefinition>;
  const { default: Ajv } = require('ajv') as typeof import('ajv');
  return new Ajv({ allErrors: false }).compile<IntegrationDefinition>(JSON.parse(schema));
}

/**
 * Reads and validates the permission catalog: one file per integration, each valid against
 * `permissions/schema.json`, named after its id, and consistent with the others (one name ↔ one
 * scope ID per API).
 *
 * @param dir folder to read; the package's own `permissions/` when omitted.
 */
export function loadCatalog(dir: string = CATALOG_DIR): Catalog {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== SCHEMA_FILE && f !== GUIDE_FILE);
  const present = files.map((f) => f.slice(0, -'.json'.length));
  const missing = INTEGRATION_IDS.filter((id) => !present.includes(id));
  const unexpected = present.filter((id) => !(INTEGRATION_IDS as readonly string[]).includes(id));
  if (missing.length > 0 || unexpected.length > 0) throw catalogFilesMismatch(dir, missing, unexpected);

  const validate = schemaValidator(dir);

  const catalog = {} as Record<IntegrationId, IntegrationDefinition>;
  for (const id of INTEGRATION_IDS) {
    const file = `permissions/${id}.json`;
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8'));
    } catch (e) {
      throw catalogUnreadable(file, (e as Error).message);
    }
    if (!validate(doc)) {
      const error = validate.errors![0];
      throw catalogFieldInvalid(file, fieldPath(error), valueAt(doc, error), expectation(error));
    }
    if (doc.id !== id) throw catalogFieldInvalid(file, 'id', doc.id, `'${id}', the file's base name`);
    if (doc.apis[0].name !== 'Microsoft Graph') {
      throw catalogFieldInvalid(file, 'apis[0].name', doc.apis[0].name, "'Microsoft Graph' (Graph comes first)");
    }
    catalog[id] = doc;
  }
  checkConsistency(catalog);
  return catalog;
}

function checkConsistency(catalog: Catalog): void {
  const apiById = new Map<string, CatalogApi>();
  const scopeByName = new Map<string, string>();
  const nameByScope = new Map<string, string>();
  for (const integration of Object.values(catalog)) {
    for (const api of integration.apis) {
      const known = apiById.get(api.name);
      if (known && known.resourceAppId !== api.resourceAppId) {
        throw catalogApiConflict(api.name, 'resourceAppId', known.resourceAppId, api.resourceAppId);
      }
      if (known && known.identifierUri !== api.identifierUri) {
        throw catalogApiConflict(api.name, 'identifierUri', known.identifierUri, api.identifierUri);
      }
      apiById.set(api.name, api);
      for (const p of api.permissions) {
        const byName = scopeByName.get(`${api.name}\0${p.name}`);
        if (byName && byName !== p.id) throw catalogPermissionConflict(api.name, `the ID of ${p.name}`, byName, p.id);
        const byId = nameByScope.get(`${api.name}\0${p.id}`);
        if (byId && byId !== p.name)
          throw catalogPermissionConflict(api.name, `the name of scope ${p.id}`, byId, p.name);
        scopeByName.set(`${api.name}\0${p.name}`, p.id);
        nameByScope.set(`${api.name}\0${p.id}`, p.name);
      }
    }
  }
}

let cached: Catalog | undefined;

/** The package's catalog, read once per process. */
export function catalog(): Catalog {
  cached ??= loadCatalog();
  return cached;
}

/** A catalog file does not match permissions/schema.json. */
export function catalogFieldInvalid(file: string, field: string, value: unknown, expected: string): KindoConfigError {
  return new KindoConfigError(
    'CATALOG_FIELD_INVALID',
    `invalid catalog entry in ${file}: \`${field}\` is ${show(value)}; expected ${expected}`,
  );
}

/** A catalog file could not be read or parsed. */
export function catalogUnreadable(file: string, reason: string): KindoConfigError {
  return new KindoConfigError(
    'CATALOG_UNREADABLE',
    `cannot read catalog file ${file}: ${reason}; expected a JSON file that follows permissions/schema.json`,
  );
}

/** The set of catalog files differs from the fixed set of integration ids. */
export function catalogFilesMismatch(
  dir: string,
  missing: readonly string[],
  unexpected: readonly string[],
): KindoConfigError {
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`missing ${missing.map((m) => `${m}.json`).join(', ')}`);
  if (unexpected.length > 0) parts.push(`unexpected ${unexpected.map((u) => `${u}.json`).join(', ')}`);
  return new KindoConfigError(
    'CATALOG_FILES_MISMATCH',
    `catalog folder ${dir} does not hold one file per integration (${parts.join('; ')}); expected exactly one <integration-id>.json for each known integration`,
  );
}

/** Two catalog files describe one API with different app IDs or identifier URIs. */
export function catalogApiConflict(
  api: string,
  field: 'resourceAppId' | 'identifierUri',
  first: string,
  second: string,
): KindoConfigError {
  return new KindoConfigError(
    'CATALOG_API_CONFLICT',
    `conflicting catalog entries for ${api}: its ${field} is ${first} in one file and ${second} in another; expected one ${field} per API across all files`,
  );
}

/** The same permission name maps to two IDs (or one ID to two names) within one API across the catalog. */
export function catalogPermissionConflict(api: string, what: string, first: string, second: string): KindoConfigError {
  return new KindoConfigError(
    'CATALOG_PERMISSION_CONFLICT',
    `conflicting catalog entries for ${api}: ${what} is ${first} in one file and ${second} in another; expected one name to map to one delegated scope ID across all files`,
  );
}
