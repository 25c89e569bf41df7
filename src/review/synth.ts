import type { Catalog, CatalogPermission } from '../catalog/catalog';
import type {
  Consent,
  GuideDeviation,
  ReviewedApi,
  ReviewedIntegration,
  ReviewedPermission,
  ReviewedValue,
  SynthesizedStack,
} from './types';
import { resolveExpression, type VariableDefaults } from './expression';

type Block = Record<string, any>;

// `notes` as MicrosoftIntegrationApp writes it; the integration id is the first quoted word.
const NOTES = /^Kindo integration '([^']+)'/;
// plantimestamp() since the first plan is quiet; timestamp() in synths of earlier versions (a diff's base).
const LIFETIME = /^\$\{timeadd\((?:plan)?timestamp\(\), "(\d+)h"\)\}$/;

interface ApiLookup {
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

/** `${azuread_application.Foo.client_id}` or `${data.x.Foo[0].id}` (possibly inside a larger expression) → `Foo`. */
function referenced(value: unknown, type: string): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = new RegExp(`(?<![\\w.])${type.replace('.', '\\.')}\\.([A-Za-z0-9_-]+)[.[]`).exec(value);
  return match?.[1];
}

function permission(id: string, type: string, known: CatalogPermission | undefined, requested: boolean, consent: Consent): ReviewedPermission {
  // The catalog holds delegated scopes only: an app role (application permission) is never "known".
  const delegated = type === 'Scope';
  if (known && delegated) {
    return { id, name: known.name, known: true, type, access: known.access, adminConsentRequired: known.adminConsentRequired, requested, consent };
  }
  const what = delegated ? 'unknown permission' : `unknown ${type === 'Role' ? 'application permission (app role)' : `permission of type '${type}'`}`;
  return { id, name: `${what} ${id}`, known: false, type, access: 'unknown', adminConsentRequired: null, requested, consent };
}

/**
 * How an app's requested permissions differ from its integration's list in the guide (the catalog),
 * with the operator's justifications where the synth recorded them.
 */
function guideDeviations(catalog: Catalog, integrationId: string, apis: readonly ReviewedApi[], recorded: readonly Block[]): GuideDeviation[] {
  const definition = (catalog as Record<string, Catalog[keyof Catalog] | undefined>)[integrationId];
  if (!definition) return [];
  const requested = new Set(apis.flatMap((api) => api.permissions.filter((p) => p.requested).map((p) => `${api.resourceAppId}/${p.id}`)));
  const listed = new Set(definition.apis.flatMap((api) => api.permissions.map((p) => `${api.resourceAppId}/${p.id}`)));
  // The synth records added permissions by ID: it names those the catalog does not know.
  const record = (id: string) => recorded.find((r) => r.change === 'added' && r.id === id);
  return [
    ...definition.apis.flatMap((api) =>
      api.permissions.filter((p) => !requested.has(`${api.resourceAppId}/${p.id}`)).map((p) => ({ change: 'removed' as const, api: api.name, permission: p.name })),
    ),
    ...apis.flatMap((api) =>
      api.permissions
        .filter((p) => p.requested && !listed.has(`${api.resourceAppId}/${p.id}`))
        .map((p) => ({ change: 'added' as const, api: api.name, permission: record(p.id)?.permission ?? p.name, justification: record(p.id)?.justification ?? null })),
    ),
  ];
}

/** Reads one synthesized stack's app registrations and everything linked to them by Terraform references. */
export function reviewStack(stack: SynthesizedStack, catalog: Catalog): ReviewedIntegration[] {
  const resource: Block = stack.config.resource ?? {};
  const data: Block = stack.config.data ?? {};
  const variables: VariableDefaults = new Map(
    Object.entries<Block>(stack.config.variable ?? {}).map(([name, v]) => [name, { sensitive: v.sensitive === true, default: v.default }]),
  );
  const value = (raw: unknown): ReviewedValue => {
    const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
    const resolved = resolveExpression(text, variables);
    return resolved === undefined || resolved === text ? { raw: text } : { raw: text, resolved };
  };
  const apis = apiLookups(catalog);
  const entries = (type: string): [string, Block][] => Object.entries<Block>(resource[type] ?? {});

  // The resource app ID behind a grant's resource service principal: a data source or a resource
  // (use_existing), either way looked up by its literal client_id.
  const resourceAppOf = (grant: Block): string | undefined => {
    const name = referenced(grant.resource_service_principal_object_id, 'data.azuread_service_principal');
    if (name) return data.azuread_service_principal?.[name]?.client_id;
    const own = referenced(grant.resource_service_principal_object_id, 'azuread_service_principal');
    return own ? resource.azuread_service_principal?.[own]?.client_id : undefined;
  };

  const imports: Block[] = Array.isArray(stack.config.import) ? stack.config.import : [];
  const importId = (address: string): string | undefined => imports.find((i) => i.to === address)?.id;

  const reviewed = entries('azuread_application').map(([name, app]): ReviewedIntegration => {
    // An adopted app's secret and Nango registration read its IDs from an azuread_application lookup
    // (src/constructs/existing-app-import.ts): the one its import ID names or references.
    const appImport = importId(`azuread_application.${name}`);
    const lookups = Object.entries<Block>(data.azuread_application ?? {})
      .filter(([n, d]) => appImport !== undefined && (referenced(appImport, 'data.azuread_application') === n || appImport === `/applications/${String(d.object_id)}`))
      .map(([n]) => n);
    const isThisApp = (ref: unknown) => referenced(ref, 'azuread_application') === name || lookups.includes(referenced(ref, 'data.azuread_application') ?? '');
    const path: string | undefined = app['//']?.metadata?.path;
    const fromNotes = typeof app.notes === 'string' ? NOTES.exec(app.notes)?.[1] : undefined;
    const segments = path?.split('/') ?? [];
    const fromPath = segments.at(-1) === 'Application' && segments.length > 2 ? segments.at(-2) : undefined;
    const integrationId = fromNotes ?? fromPath ?? name;

    const servicePrincipals = entries('azuread_service_principal')
      .filter(([, sp]) => referenced(sp.client_id, 'azuread_application') === name)
      .map(([spName]) => spName);
    const grantEntries = entries('azuread_service_principal_delegated_permission_grant').filter(([, g]) =>
      servicePrincipals.includes(referenced(g.service_principal_object_id, 'azuread_service_principal') ?? ''),
    );
    const grants = grantEntries.map(([, g]) => g);
    const consentFor = (resourceAppId: string, scope: string | undefined): Consent => {
      const holding = grants.filter((g) => resourceAppOf(g) === resourceAppId && scope !== undefined && (g.claim_values ?? []).includes(scope));
      if (holding.some((g) => g.user_object_id === undefined)) return 'tenant-wide';
      return holding.length > 0 ? 'one user' : 'none';
    };

    const required: Block[] = app.required_resource_access ?? [];
    const grantedApps = grants.map(resourceAppOf).filter((id): id is string => id !== undefined);
    const resourceAppIds = [...new Set([...required.map((r) => String(r.resource_app_id)), ...grantedApps])];
    const definition = (catalog as Record<string, Catalog[keyof Catalog] | undefined>)[integrationId];
    const reviewedApis = resourceAppIds.map((resourceAppId): ReviewedApi => {
      const lookup = apis.get(resourceAppId);
      const access: Block[] = required.filter((r) => r.resource_app_id === resourceAppId).flatMap((r) => r.resource_access ?? []);
      // Whether the guide asks for a permission outside its table depends on the integration, not only the API.
      const directed = new Map(definition?.apis.find((api) => api.resourceAppId === resourceAppId)?.permissions.filter((p) => p.directedBy).map((p) => [p.id, p.directedBy!]));
      const permissions = access.map((a) => {
        const known = lookup?.byId.get(String(a.id));
        const reviewed = permission(String(a.id), String(a.type), known, true, consentFor(resourceAppId, known?.name));
        const directedBy = reviewed.known && reviewed.type === 'Scope' ? directed.get(reviewed.id) : undefined;
        return directedBy ? { ...reviewed, directedBy } : reviewed;
      });
      // A grant may name scopes the app does not request; they are still consented, so they are listed.
      const requestedNames = new Set(permissions.map((p) => p.name));
      const consentedOnly = grants
        .filter((g) => resourceAppOf(g) === resourceAppId)
        .flatMap((g): string[] => g.claim_values ?? [])
        .filter((scope, i, all) => !requestedNames.has(scope) && all.indexOf(scope) === i)
        .map((scope) => {
          const known = lookup?.byName.get(scope);
          const consent = consentFor(resourceAppId, scope);
          return known
            ? permission(known.id, 'Scope', known, false, consent)
            : { id: '', name: scope, known: false, type: 'Scope', access: 'unknown' as const, adminConsentRequired: null, requested: false, consent };
        });
      const apiGrants = grants.filter((g) => resourceAppOf(g) === resourceAppId);
      const consent: Consent = apiGrants.some((g) => g.user_object_id === undefined) ? 'tenant-wide' : apiGrants.length > 0 ? 'one user' : 'none';
      return { name: lookup?.name ?? `unknown API ${resourceAppId}`, resourceAppId, known: lookup !== undefined, consent, permissions: [...permissions, ...consentedOnly] };
    });

    const secretEntries = entries('azuread_application_password').filter(([, s]) => isThisApp(s.application_id));
    const secrets = secretEntries.map(([, s]) => {
      const hours = typeof s.end_date === 'string' ? LIFETIME.exec(s.end_date)?.[1] : undefined;
      return hours !== undefined
        ? { lifetimeHours: Number(hours), endDate: value(s.end_date) }
        : { lifetimeHours: null, endDate: value(s.end_date ?? s.end_date_relative ?? 'no end date') };
    });

    const syncEntry = entries('terraform_data').find(([, d]) => {
      const t: Block | undefined = d.triggers_replace;
      return t !== undefined && 'provider' in t && 'unique_key' in t && isThisApp(t.client_id);
    });
    const sync: Block | undefined = syncEntry?.[1].triggers_replace;
    // Sync depends on the Registration it belongs to.
    const nangoAddresses = syncEntry ? [`terraform_data.${syncEntry[0]}`, ...((syncEntry[1].depends_on ?? []) as string[]).filter((d) => d.startsWith('terraform_data.'))] : [];

    const addresses = [
      `azuread_application.${name}`,
      ...servicePrincipals.map((n) => `azuread_service_principal.${n}`),
      ...secretEntries.map(([n]) => `azuread_application_password.${n}`),
      ...grantEntries.map(([n]) => `azuread_service_principal_delegated_permission_grant.${n}`),
      ...nangoAddresses,
    ];
    const recorded: Block | undefined = app['//']?.kindo_adoption;
    const adoptionImports = addresses.flatMap((address) => {
      const id = importId(address);
      return id === undefined ? [] : [{ address, id: String(id) }];
    });
    const takenOver = servicePrincipals.some((n) => resource.azuread_service_principal[n].use_existing === true);
    const adoption =
      adoptionImports.length > 0 || recorded !== undefined
        ? {
            imports: adoptionImports,
            servicePrincipalTakenOver: takenOver,
            application: recorded?.application ?? null,
            handMadeSecrets: ((recorded?.handMadeSecrets ?? []) as Block[]).map((h) => ({ keyId: String(h.keyId), expires: h.expires ?? null, description: h.description ?? null })),
          }
        : undefined;

    return {
      key: '',
      ...(adoption ? { adoption } : {}),
      deviations: guideDeviations(catalog, integrationId, reviewedApis, app['//']?.kindo_permission_deviations ?? []),
      stack: stack.name,
      integrationId,
      identifiedBy: fromNotes !== undefined ? 'notes' : fromPath !== undefined ? 'construct path' : 'resource name',
      address: `azuread_application.${name}`,
      addresses,
      constructPath: path,
      displayName: value(app.display_name),
      signInAudience: String(app.sign_in_audience ?? 'AzureADMyOrg'),
      redirectUris: ((app.web?.redirect_uris ?? []) as unknown[]).map(value),
      nango: sync
        ? { provider: value(sync.provider), uniqueKey: value(sync.unique_key), scopes: value(sync.scopes) }
        : undefined,
      secrets,
      apis: reviewedApis,
    };
  });

  // Keyed by integration id, which survives construct renames; the rare second app of one id in a
  // stack is told apart by its Terraform address.
  return reviewed.map((r) => {
    const twins = reviewed.filter((o) => o.integrationId === r.integrationId).length;
    return { ...r, key: `${r.stack}/${r.integrationId}${twins > 1 ? `#${r.address}` : ''}` };
  });
}
