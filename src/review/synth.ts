import type { Catalog, CatalogPermission } from '../catalog/catalog';
import type {
  Consent,
  GuideDeviation,
  ReviewedApi,
  ReviewedIntegration,
  ReviewedPermission,
  ReviewedValue,
  SynthesizedStack,
  WhoMayConnect,
} from './types';
import { resolveExpression, type VariableDefaults } from './expression';
import { integrationFromNotes, integrationFromTags, readRecord } from '../core/review-contract';

type Block = Record<string, any>;

// plantimestamp() since the first plan is quiet; timestamp() in synths of earlier versions (a diff's base).
const LIFETIME = /^\$\{timeadd\((?:plan)?timestamp\(\), "(\d+)h"\)\}$/;
// A for_each over a literal list of group IDs, as `TerraformIterator.fromList` writes it: quoted
// strings only, since a list known at plan is written as a `[for …]` expression.
const LITERAL_SET = /^\$\{toset\((\[(?:"[^"\\]*"(?:, )?)*\])\)\}$/;

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

/**
 * One requested or consented scope. The catalog names it; failing that, the synth's record of an
 * `addPermissions` entry (`record`) does, with the access and admin consent the operator declared.
 */
function permission(
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
    return {
      id,
      name: known.name,
      known: true,
      ...justification,
      type,
      access: known.access,
      adminConsentRequired: known.adminConsentRequired,
      requested,
      consent: consentFor(known.name),
    };
  }
  if (record && delegated && typeof record.permission === 'string') {
    // Left out by synths older than the record of access: the construct's defaults, write and admin consent.
    const access = record.access === 'read' ? 'read' : 'write';
    const adminConsentRequired = record.adminConsentRequired !== false;
    return {
      id,
      name: record.permission,
      known: false,
      declared: true,
      ...justification,
      type,
      access,
      adminConsentRequired,
      requested,
      consent: consentFor(record.permission),
    };
  }
  const what = delegated
    ? 'unknown permission'
    : `unknown ${type === 'Role' ? 'application permission (app role)' : `permission of type '${type}'`}`;
  return {
    id,
    name: `${what} ${id}`,
    known: false,
    type,
    access: 'unknown',
    adminConsentRequired: null,
    requested,
    consent: consentFor(undefined),
  };
}

/**
 * How an app's requested permissions differ from its integration's list in the guide (the catalog),
 * with the operator's justifications where the synth recorded them.
 */
function guideDeviations(catalog: Catalog, integrationId: string, apis: readonly ReviewedApi[]): GuideDeviation[] {
  const definition = (catalog as Record<string, Catalog[keyof Catalog] | undefined>)[integrationId];
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

/** A service principal's assignment requirement and the groups assigned to it. */
function whoMayConnect(
  sp: Block | undefined,
  assignments: readonly Block[],
  value: (raw: unknown) => ReviewedValue,
): WhoMayConnect {
  const assignmentRequired = value(sp?.app_role_assignment_required ?? false);
  const groups: string[] = [];
  let groupsExpression: ReviewedValue | undefined;
  for (const a of assignments) {
    const each = typeof a.for_each === 'string' ? LITERAL_SET.exec(a.for_each)?.[1] : undefined;
    if (each !== undefined) groups.push(...(JSON.parse(each) as string[]));
    else if (a.for_each !== undefined) groupsExpression = value(a.for_each);
    else groups.push(String(a.principal_object_id));
  }
  return groupsExpression ? { assignmentRequired, groups, groupsExpression } : { assignmentRequired, groups };
}

/** Reads one synthesized stack's integrations (app registrations, Kindo SaaS service principals) and everything linked to them by Terraform references. */
export function reviewStack(stack: SynthesizedStack, catalog: Catalog): ReviewedIntegration[] {
  const resource: Block = stack.config.resource ?? {};
  const data: Block = stack.config.data ?? {};
  const variables: VariableDefaults = new Map(
    Object.entries<Block>(stack.config.variable ?? {}).map(([name, v]) => [
      name,
      { sensitive: v.sensitive === true, default: v.default },
    ]),
  );
  const value = (raw: unknown): ReviewedValue => {
    const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
    const resolved = resolveExpression(text, variables);
    return resolved === undefined || resolved === text ? { raw: text } : { raw: text, resolved };
  };
  const apis = apiLookups(catalog);
  const entries = (type: string): [string, Block][] => Object.entries<Block>(resource[type] ?? {});
  const assignmentsOf = (spNames: readonly string[]) =>
    entries('azuread_app_role_assignment').filter(([, a]) =>
      spNames.includes(referenced(a.resource_object_id, 'azuread_service_principal') ?? ''),
    );
  const grantsOf = (spNames: readonly string[]) =>
    entries('azuread_service_principal_delegated_permission_grant').filter(([, g]) =>
      spNames.includes(referenced(g.service_principal_object_id, 'azuread_service_principal') ?? ''),
    );

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
      .filter(
        ([n, d]) =>
          appImport !== undefined &&
          (referenced(appImport, 'data.azuread_application') === n ||
            appImport === `/applications/${String(d.object_id)}`),
      )
      .map(([n]) => n);
    const isThisApp = (ref: unknown) =>
      referenced(ref, 'azuread_application') === name ||
      lookups.includes(referenced(ref, 'data.azuread_application') ?? '');
    const path: string | undefined = app['//']?.metadata?.path;
    const fromNotes = integrationFromNotes(app.notes);
    const segments = path?.split('/') ?? [];
    const fromPath = segments.at(-1) === 'Application' && segments.length > 2 ? segments.at(-2) : undefined;
    const integrationId = fromNotes ?? fromPath ?? name;

    const servicePrincipals = entries('azuread_service_principal')
      .filter(([, sp]) => referenced(sp.client_id, 'azuread_application') === name)
      .map(([spName]) => spName);
    const grantEntries = grantsOf(servicePrincipals);
    const assignmentEntries = assignmentsOf(servicePrincipals);
    const grants = grantEntries.map(([, g]) => g);
    const consentFor = (resourceAppId: string, scope: string | undefined): Consent => {
      const holding = grants.filter(
        (g) => resourceAppOf(g) === resourceAppId && scope !== undefined && (g.claim_values ?? []).includes(scope),
      );
      if (holding.some((g) => g.user_object_id === undefined)) return 'tenant-wide';
      return holding.length > 0 ? 'one user' : 'none';
    };

    const recorded: Block[] = readRecord(app, 'deviations') ?? [];
    const addedRecord = (api: string | undefined, id: string) =>
      recorded.find((r) => r.change === 'added' && r.api === api && r.id === id);
    const required: Block[] = app.required_resource_access ?? [];
    const grantedApps = grants.map(resourceAppOf).filter((id): id is string => id !== undefined);
    const resourceAppIds = [...new Set([...required.map((r) => String(r.resource_app_id)), ...grantedApps])];
    const definition = (catalog as Record<string, Catalog[keyof Catalog] | undefined>)[integrationId];
    const reviewedApis = resourceAppIds.map((resourceAppId): ReviewedApi => {
      const lookup = apis.get(resourceAppId);
      const access: Block[] = required
        .filter((r) => r.resource_app_id === resourceAppId)
        .flatMap((r) => r.resource_access ?? []);
      // Whether the guide asks for a permission outside its table depends on the integration, not only the API.
      const directed = new Map(
        definition?.apis
          .find((api) => api.resourceAppId === resourceAppId)
          ?.permissions.filter((p) => p.directedBy)
          .map((p) => [p.id, p.directedBy!]),
      );
      const consent = (scope: string | undefined) => consentFor(resourceAppId, scope);
      const permissions = access.map((a) => {
        const reviewed = permission(
          String(a.id),
          String(a.type),
          lookup?.byId.get(String(a.id)),
          addedRecord(lookup?.name, String(a.id)),
          true,
          consent,
        );
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
          return known
            ? permission(known.id, 'Scope', known, undefined, false, consent)
            : {
                id: '',
                name: scope,
                known: false,
                type: 'Scope',
                access: 'unknown' as const,
                adminConsentRequired: null,
                requested: false,
                consent: consent(scope),
              };
        });
      const apiGrants = grants.filter((g) => resourceAppOf(g) === resourceAppId);
      const widest: Consent = apiGrants.some((g) => g.user_object_id === undefined)
        ? 'tenant-wide'
        : apiGrants.length > 0
          ? 'one user'
          : 'none';
      return {
        name: lookup?.name ?? `unknown API ${resourceAppId}`,
        resourceAppId,
        known: lookup !== undefined,
        consent: widest,
        permissions: [...permissions, ...consentedOnly],
      };
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
    // Sync depends on the Registration it belongs to, and that on the record of its Nango environment.
    const dataDependencies = (name: string): string[] =>
      ((entries('terraform_data').find(([n]) => n === name)?.[1].depends_on ?? []) as string[]).filter((d) =>
        d.startsWith('terraform_data.'),
      );
    const registrations = syncEntry ? dataDependencies(syncEntry[0]) : [];
    const nangoAddresses = syncEntry
      ? [
          `terraform_data.${syncEntry[0]}`,
          ...registrations,
          ...registrations.flatMap((r) => dataDependencies(r.slice('terraform_data.'.length))),
        ]
      : [];

    const addresses = [
      `azuread_application.${name}`,
      ...servicePrincipals.map((n) => `azuread_service_principal.${n}`),
      ...secretEntries.map(([n]) => `azuread_application_password.${n}`),
      ...grantEntries.map(([n]) => `azuread_service_principal_delegated_permission_grant.${n}`),
      ...nangoAddresses,
    ];
    const adoptionRecord = readRecord<Block>(app, 'adoption');
    const adoptionImports = addresses.flatMap((address) => {
      const id = importId(address);
      return id === undefined ? [] : [{ address, id: String(id) }];
    });
    const takenOver = servicePrincipals.some((n) => resource.azuread_service_principal[n].use_existing === true);
    const adoption =
      adoptionImports.length > 0 || adoptionRecord !== undefined
        ? {
            imports: adoptionImports,
            servicePrincipalTakenOver: takenOver,
            application: adoptionRecord?.application ?? null,
            handMadeSecrets: ((adoptionRecord?.handMadeSecrets ?? []) as Block[]).map((h) => ({
              keyId: String(h.keyId),
              expires: h.expires ?? null,
              description: h.description ?? null,
            })),
          }
        : undefined;

    return {
      key: '',
      ...(adoption ? { adoption } : {}),
      deviations: guideDeviations(catalog, integrationId, reviewedApis),
      stack: stack.name,
      integrationId,
      identifiedBy: fromNotes !== undefined ? 'notes' : fromPath !== undefined ? 'construct path' : 'resource name',
      address: `azuread_application.${name}`,
      addresses: [...addresses, ...assignmentEntries.map(([n]) => `azuread_app_role_assignment.${n}`)],
      mode: 'self-managed' as const,
      whoMayConnect: whoMayConnect(
        resource.azuread_service_principal?.[servicePrincipals[0]],
        assignmentEntries.map(([, a]) => a),
        value,
      ),
      constructPath: path,
      displayName: value(app.display_name),
      signInAudience: String(app.sign_in_audience ?? 'AzureADMyOrg'),
      redirectUris: ((app.web?.redirect_uris ?? []) as unknown[]).map(value),
      nango: sync
        ? {
            provider: value(sync.provider),
            uniqueKey: value(sync.unique_key),
            scopes: value(sync.scopes),
            // One `field.<name>` trigger per field; a map only known at plan is one `fields` entry.
            fields: Object.fromEntries(
              Object.entries(sync)
                .filter(([k]) => k.startsWith('field.') || k === 'fields')
                .map(([k, v]) => [k === 'fields' ? '(all, as one expression)' : k.slice('field.'.length), value(v)]),
            ),
          }
        : undefined,
      secrets,
      apis: reviewedApis,
    };
  });

  const saas = entries('azuread_service_principal').flatMap(([name, sp]): ReviewedIntegration[] => {
    const tag = integrationFromTags(sp.tags);
    if (tag === undefined || referenced(sp.client_id, 'azuread_application')) return [];
    const fromNotes = integrationFromNotes(sp.notes);
    const integrationId = fromNotes ?? tag;
    const definition = (catalog as Record<string, Catalog[keyof Catalog] | undefined>)[integrationId];
    const grantEntries = grantsOf([name]);
    const assignmentEntries = assignmentsOf([name]);
    const consentOf = (g: Block): Consent => (g.user_object_id === undefined ? 'tenant-wide' : 'one user');
    // Grants carry scope names only: an addition's record (with its justification) is found by API and name.
    const recorded: Block[] = readRecord(sp, 'deviations') ?? [];
    const addedRecord = (api: string | undefined, scope: string) =>
      recorded.find((r) => r.change === 'added' && r.api === api && r.permission === scope);
    // Kindo's app asks for what Kindo configured; what this stack asks of the tenant is the grants.
    const reviewedApis = [...new Set(grantEntries.map(([, g]) => resourceAppOf(g) ?? 'unknown'))].map(
      (resourceAppId): ReviewedApi => {
        const lookup = apis.get(resourceAppId);
        const apiGrants = grantEntries
          .map(([, g]) => g)
          .filter((g) => (resourceAppOf(g) ?? 'unknown') === resourceAppId);
        // Whether the guide asks for a permission outside its table depends on the integration, not only the API.
        const directed = new Map(
          definition?.apis
            .find((api) => api.resourceAppId === resourceAppId)
            ?.permissions.filter((p) => p.directedBy)
            .map((p) => [p.id, p.directedBy!]),
        );
        const permissions = [...new Set(apiGrants.flatMap((g): string[] => g.claim_values ?? []))].map((scope) => {
          const known = lookup?.byName.get(scope);
          const record = addedRecord(lookup?.name, scope);
          const consent: Consent = apiGrants.some(
            (g) => (g.claim_values ?? []).includes(scope) && consentOf(g) === 'tenant-wide',
          )
            ? 'tenant-wide'
            : 'one user';
          if (!known && record) return permission(String(record.id), 'Scope', undefined, record, true, () => consent);
          if (!known)
            return {
              id: '',
              name: scope,
              known: false,
              type: 'Scope',
              access: 'unknown' as const,
              adminConsentRequired: null,
              requested: true,
              consent,
            };
          const reviewed = permission(known.id, 'Scope', known, record, true, () => consent);
          const directedBy = directed.get(known.id);
          return directedBy ? { ...reviewed, directedBy } : reviewed;
        });
        const consent: Consent = apiGrants.some((g) => consentOf(g) === 'tenant-wide') ? 'tenant-wide' : 'one user';
        return {
          name: lookup?.name ?? `unknown API ${resourceAppId}`,
          resourceAppId,
          known: lookup !== undefined,
          consent,
          permissions,
        };
      },
    );
    return [
      {
        key: '',
        deviations: definition?.authFlow === 'delegated' ? guideDeviations(catalog, integrationId, reviewedApis) : [],
        stack: stack.name,
        integrationId,
        identifiedBy: fromNotes !== undefined ? 'notes' : 'resource name',
        mode: 'saas',
        kindoClientId: value(sp.client_id),
        whoMayConnect: whoMayConnect(
          sp,
          assignmentEntries.map(([, a]) => a),
          value,
        ),
        address: `azuread_service_principal.${name}`,
        addresses: [
          `azuread_service_principal.${name}`,
          ...grantEntries.map(([n]) => `azuread_service_principal_delegated_permission_grant.${n}`),
          ...assignmentEntries.map(([n]) => `azuread_app_role_assignment.${n}`),
        ],
        constructPath: sp['//']?.metadata?.path,
        displayName: { raw: `Kindo's app for ${definition?.displayName ?? integrationId} (Kindo SaaS)` },
        signInAudience: 'AzureADMultipleOrgs',
        redirectUris: [],
        secrets: [],
        apis: reviewedApis,
      },
    ];
  });
  reviewed.push(...saas);

  // Keyed by integration id, which survives construct renames; the rare second app of one id in a
  // stack is told apart by its Terraform address.
  return reviewed.map((r) => {
    const twins = reviewed.filter((o) => o.integrationId === r.integrationId).length;
    return { ...r, key: `${r.stack}/${r.integrationId}${twins > 1 ? `#${r.address}` : ''}` };
  });
}
