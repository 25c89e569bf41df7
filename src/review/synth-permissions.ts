import type { Catalog, CatalogPermission } from '../catalog/catalog';
import type { Consent, GuideDeviation, ReviewedApi, ReviewedPermission } from './types';

type Block = Record<string, any>;

/** One API of the catalog: its name and its permissions by scope ID and by name. */
export interface ApiLookup {
  readonly name: string;
  readonly byId: Map<string, CatalogPermission>;
  readonly byName: Map<string, CatalogPermission>;
}

/**
 * Every API the catalog knows, by resource app ID, with the union of its permissions across
 * integrations: the loader guarantees one name ↔ one scope ID per API, so the union is unambiguous.
 */
export function apiLookups(catalog: Catalog): Map<string, ApiLookup> {
  const apis = new Map<string, ApiLookup>();
  for (const integration of Object.values(catalog)) {
    for (const api of integration.apis) {
      const lookup = apis.get(api.resourceAppId) ?? { name: api.name, byId: new Map(), byName: new Map() };
      for (const p of api.permissions) {
        lookup.byId.set(p.id, p);
        lookup.byName.set(p.name, p);
      }
      apis.set(api.resourceAppId, lookup);
    }
  }
  return apis;
}

/** The catalog's definition of an integration, when the id is one it knows. */
export const definitionOf = (catalog: Catalog, integrationId: string) =>
  (catalog as Record<string, Catalog[keyof Catalog] | undefined>)[integrationId];

/**
 * The scopes the guide asks for outside an integration's permission table on one API (the catalog's
 * `directedBy`), by scope ID: it depends on the integration, not only on the API.
 */
export function directedScopes(
  catalog: Catalog,
  integrationId: string,
  resourceAppId: string,
): Map<string, 'troubleshooting'> {
  const api = definitionOf(catalog, integrationId)?.apis.find((a) => a.resourceAppId === resourceAppId);
  return new Map(api?.permissions.flatMap((p) => (p.directedBy ? [[p.id, p.directedBy] as const] : [])));
}

/** A reviewed scope marked guide-directed when the catalog says the guide asks for it. */
export function withDirected(p: ReviewedPermission, directed: ReadonlyMap<string, 'troubleshooting'>) {
  const directedBy = p.known && p.type === 'Scope' ? directed.get(p.id) : undefined;
  return directedBy ? { ...p, directedBy } : p;
}

/**
 * One requested or consented scope. The catalog names it; failing that, the synth's record of an
 * `addPermissions` entry (`record`) does, with the access and admin consent the operator declared.
 */
export function permission(
  id: string,
  type: string,
  known: CatalogPermission | undefined,
  record: Block | undefined,
  requested: boolean,
  consentFor: (scope: string | undefined) => Consent,
): ReviewedPermission {
  // The catalog holds delegated scopes only: an app role (application permission) is never "known".
  const delegated = type === 'Scope';
  const justification =
    typeof record?.justification === 'string' ? { justification: record.justification as string } : {};
  if (known && delegated) {
    const { name, access, adminConsentRequired } = known;
    return {
      id,
      name,
      known: true,
      ...justification,
      type,
      access,
      adminConsentRequired,
      requested,
      consent: consentFor(name),
    };
  }
  if (record && delegated && typeof record.permission === 'string') {
    // Left out by synths older than the record of access: the construct's defaults, write and admin consent.
    const access = record.access === 'read' ? 'read' : 'write';
    const adminConsentRequired = record.adminConsentRequired !== false;
    const name = record.permission;
    return {
      id,
      name,
      known: false,
      declared: true,
      ...justification,
      type,
      access,
      adminConsentRequired,
      requested,
      consent: consentFor(name),
    };
  }
  const what = delegated
    ? 'unknown permission'
    : `unknown ${type === 'Role' ? 'application permission (app role)' : `permission of type '${type}'`}`;
  return unknownScope(`${what} ${id}`, requested, consentFor(undefined), id, type);
}

/** A scope the catalog does not know and no record declares: named as written, reviewed by hand. */
export function unknownScope(
  name: string,
  requested: boolean,
  consent: Consent,
  id = '',
  type = 'Scope',
): ReviewedPermission {
  return { id, name, known: false, type, access: 'unknown', adminConsentRequired: null, requested, consent };
}

/** The widest consent among grants: one without a user is tenant-wide. */
export function widestConsent(grants: readonly Block[]): Consent {
  if (grants.some((g) => g.user_object_id === undefined)) return 'tenant-wide';
  return grants.length > 0 ? 'one user' : 'none';
}

/**
 * How an app's requested permissions differ from its integration's list in the guide (the catalog),
 * with the operator's justifications where the synth recorded them.
 */
export function guideDeviations(
  catalog: Catalog,
  integrationId: string,
  apis: readonly ReviewedApi[],
): GuideDeviation[] {
  const definition = definitionOf(catalog, integrationId);
  if (!definition) return [];
  const requested = new Set(
    apis.flatMap((api) => api.permissions.filter((p) => p.requested).map((p) => `${api.resourceAppId}/${p.id}`)),
  );
  const listed = new Set(definition.apis.flatMap((api) => api.permissions.map((p) => `${api.resourceAppId}/${p.id}`)));
  return [
    ...definition.apis.flatMap((api) =>
      api.permissions
        .filter((p) => !requested.has(`${api.resourceAppId}/${p.id}`))
        .map((p) => ({ change: 'removed' as const, api: api.name, permission: p.name })),
    ),
    ...apis.flatMap((api) =>
      api.permissions
        .filter((p) => p.requested && !listed.has(`${api.resourceAppId}/${p.id}`))
        .map((p) => ({
          change: 'added' as const,
          api: api.name,
          permission: p.name,
          justification: p.justification ?? null,
        })),
    ),
  ];
}
