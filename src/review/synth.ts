import type { Catalog } from '../catalog/catalog';
import { integrationFromNotes, integrationFromTags, readRecord } from '../core/review-contract';
import {
  assignmentsOf,
  type Block,
  entries,
  grantsOf,
  importId,
  indexStack,
  isBlock,
  list,
  referenced,
  resourceAppOf,
  type StackIndex,
  whoMayConnect,
} from './synth-index';
import {
  definitionOf,
  directedScopes,
  guideDeviations,
  permission,
  unknownScope,
  widestConsent,
  withDirected,
} from './synth-permissions';
import type { Consent, ReviewedAdoption, ReviewedApi, ReviewedIntegration, SynthesizedStack } from './types';

export { apiLookups } from './synth-permissions';

// plantimestamp() since the first plan is quiet; timestamp() in synths of earlier versions (a diff's base).
const LIFETIME = /^\$\{timeadd\((?:plan)?timestamp\(\), "(\d+)h"\)\}$/;

/** Where an app's integration id comes from: its notes, its construct path, or its resource name. */
function appIdentity(app: Block, name: string) {
  const constructPath: string | undefined = app['//']?.metadata?.path;
  const fromNotes = integrationFromNotes(app.notes);
  const segments = typeof constructPath === 'string' ? constructPath.split('/') : [];
  const fromPath = segments.at(-1) === 'Application' && segments.length > 2 ? segments.at(-2) : undefined;
  const identifiedBy: ReviewedIntegration['identifiedBy'] =
    fromNotes !== undefined ? 'notes' : fromPath !== undefined ? 'construct path' : 'resource name';
  return { integrationId: fromNotes ?? fromPath ?? name, identifiedBy, constructPath };
}

/**
 * Whether a reference names this app: an adopted app's secret and Nango registration read its IDs
 * from an azuread_application lookup (src/constructs/existing-app-import.ts), the one its import ID
 * names or references.
 */
function appReference(ix: StackIndex, name: string): (ref: unknown) => boolean {
  const appImport = importId(ix, `azuread_application.${name}`);
  const lookups = entries(ix.data, 'azuread_application')
    .filter(
      ([n, d]) =>
        appImport !== undefined &&
        (referenced(appImport, 'data.azuread_application') === n ||
          appImport === `/applications/${String(d.object_id)}`),
    )
    .map(([n]) => n);
  return (ref) =>
    referenced(ref, 'azuread_application') === name ||
    lookups.includes(referenced(ref, 'data.azuread_application') ?? '');
}

/** The permissions an app requests on one API, and the scopes its grants consent without a request. */
function requestedApi(
  ix: StackIndex,
  app: Block,
  grants: readonly Block[],
  integrationId: string,
  resourceAppId: string,
): ReviewedApi {
  const lookup = ix.apis.get(resourceAppId);
  const apiGrants = grants.filter((g) => resourceAppOf(ix, g) === resourceAppId);
  const consent = (scope: string | undefined): Consent =>
    scope === undefined ? 'none' : widestConsent(apiGrants.filter((g) => scopesOf(g).includes(scope)));
  const recorded = list(readRecord(app, 'deviations'));
  const directed = directedScopes(ix.catalog, integrationId, resourceAppId);
  const access = list(app.required_resource_access)
    .filter((r) => r.resource_app_id === resourceAppId)
    .flatMap((r) => list(r.resource_access));
  const permissions = access.map((a) => {
    const [id, type] = [String(a.id), String(a.type)];
    const record = recorded.find((r) => r.change === 'added' && r.api === lookup?.name && r.id === id);
    return withDirected(permission(id, type, lookup?.byId.get(id), record, true, consent), directed);
  });
  // A grant may name scopes the app does not request; they are still consented, so they are listed.
  const requestedNames = new Set(permissions.map((p) => p.name));
  const consentedOnly = [...new Set(apiGrants.flatMap((g) => scopesOf(g)))]
    .filter((scope) => !requestedNames.has(scope))
    .map((scope) => {
      const known = lookup?.byName.get(scope);
      return known
        ? permission(known.id, 'Scope', known, undefined, false, consent)
        : unknownScope(scope, false, consent(scope));
    });
  return {
    name: lookup?.name ?? `unknown API ${resourceAppId}`,
    resourceAppId,
    known: lookup !== undefined,
    consent: widestConsent(apiGrants),
    permissions: [...permissions, ...consentedOnly],
  };
}

const scopesOf = (grant: Block): string[] => (Array.isArray(grant.claim_values) ? grant.claim_values.map(String) : []);

/** The client secrets of an app, with their lifetime where the end date is `timeadd(plantimestamp(), "<hours>h")`. */
function appSecrets(ix: StackIndex, isThisApp: (ref: unknown) => boolean) {
  const found = entries(ix.resource, 'azuread_application_password').filter(([, s]) => isThisApp(s.application_id));
  const secrets = found.map(([, s]) => {
    const hours = typeof s.end_date === 'string' ? LIFETIME.exec(s.end_date)?.[1] : undefined;
    return hours !== undefined
      ? { lifetimeHours: Number(hours), endDate: ix.value(s.end_date) }
      : { lifetimeHours: null, endDate: ix.value(s.end_date ?? s.end_date_relative ?? 'no end date') };
  });
  return { addresses: found.map(([n]) => `azuread_application_password.${n}`), secrets };
}

/** The app's NangoRegistration: its `Sync` (provider, key, scopes, fields, server URL) and the resources it depends on. */
function nangoRegistration(ix: StackIndex, isThisApp: (ref: unknown) => boolean) {
  const data = entries(ix.resource, 'terraform_data');
  const sync = data.find(([, d]) => {
    const t: unknown = d.triggers_replace;
    return isBlock(t) && 'provider' in t && 'unique_key' in t && isThisApp(t.client_id);
  });
  if (!sync) return { nango: undefined, addresses: [] };
  // Sync depends on the Registration it belongs to, and that on the record of its Nango environment.
  const dependencies = (name: string): string[] => {
    const dependsOn: unknown = data.find(([n]) => n === name)?.[1].depends_on;
    return (Array.isArray(dependsOn) ? dependsOn : []).filter(
      (d): d is string => typeof d === 'string' && d.startsWith('terraform_data.'),
    );
  };
  const registrations = dependencies(sync[0]);
  const t: Block = sync[1].triggers_replace;
  const serverUrl = t.server_url ?? registrationServerUrl(data, registrations);
  return {
    nango: {
      ...(serverUrl !== undefined ? { serverUrl: ix.value(serverUrl) } : {}),
      provider: ix.value(t.provider),
      uniqueKey: ix.value(t.unique_key),
      scopes: ix.value(t.scopes),
      // One `field.<name>` trigger per field; a map only known at plan is one `fields` entry.
      fields: Object.fromEntries(
        Object.entries(t)
          .filter(([k]) => k.startsWith('field.') || k === 'fields')
          .map(([k, v]) => [k === 'fields' ? '(all, as one expression)' : k.slice('field.'.length), ix.value(v)]),
      ),
    },
    addresses: [
      `terraform_data.${sync[0]}`,
      ...registrations,
      ...registrations.flatMap((r) => dependencies(r.slice('terraform_data.'.length))),
    ],
  };
}

/** The server URL the Registration carries, for synths whose Sync does not. */
function registrationServerUrl(data: readonly [string, Block][], addresses: readonly string[]): unknown {
  return addresses
    .map((a) => data.find(([n]) => `terraform_data.${n}` === a)?.[1].triggers_replace)
    .find((t): t is Block => isBlock(t) && 'server_url' in t)?.server_url;
}

/** How a hand-made app is adopted: its import blocks, whether the service principal is taken over, the recorded secrets. */
function adoptionOf(ix: StackIndex, app: Block, addresses: readonly string[], sps: readonly string[]) {
  const record = readRecord<Block>(app, 'adoption');
  const imports = addresses.flatMap((address) => {
    const id = importId(ix, address);
    return id === undefined ? [] : [{ address, id: String(id) }];
  });
  if (imports.length === 0 && record === undefined) return undefined;
  const adoption: ReviewedAdoption = {
    imports,
    servicePrincipalTakenOver: sps.some((n) => ix.resource.azuread_service_principal[n].use_existing === true),
    application: record?.application ?? null,
    handMadeSecrets: list(record?.handMadeSecrets).map((h) => ({
      keyId: String(h.keyId),
      expires: h.expires ?? null,
      description: h.description ?? null,
    })),
  };
  return adoption;
}

/** One app registration of this tenant (self-managed Kindo) and everything linked to it by Terraform references. */
function reviewApp(ix: StackIndex, name: string, app: Block): ReviewedIntegration {
  const isThisApp = appReference(ix, name);
  const { integrationId, identifiedBy, constructPath } = appIdentity(app, name);
  const sps = entries(ix.resource, 'azuread_service_principal')
    .filter(([, sp]) => referenced(sp.client_id, 'azuread_application') === name)
    .map(([n]) => n);
  const grantEntries = grantsOf(ix, sps);
  const assignments = assignmentsOf(ix, sps);
  const grants = grantEntries.map(([, g]) => g);
  const resourceAppIds = [
    ...new Set([
      ...list(app.required_resource_access).map((r) => String(r.resource_app_id)),
      ...grants.map((g) => resourceAppOf(ix, g)).filter((id): id is string => id !== undefined),
    ]),
  ];
  const apis = resourceAppIds.map((id) => requestedApi(ix, app, grants, integrationId, id));
  const secrets = appSecrets(ix, isThisApp);
  const registration = nangoRegistration(ix, isThisApp);
  const addresses = [
    `azuread_application.${name}`,
    ...sps.map((n) => `azuread_service_principal.${n}`),
    ...secrets.addresses,
    ...grantEntries.map(([n]) => `azuread_service_principal_delegated_permission_grant.${n}`),
    ...registration.addresses,
  ];
  const adoption = adoptionOf(ix, app, addresses, sps);
  return {
    key: '',
    ...(adoption ? { adoption } : {}),
    deviations: guideDeviations(ix.catalog, integrationId, apis),
    stack: ix.stack,
    integrationId,
    identifiedBy,
    address: `azuread_application.${name}`,
    addresses: [...addresses, ...assignments.map(([n]) => `azuread_app_role_assignment.${n}`)],
    mode: 'self-managed',
    whoMayConnect: whoMayConnect(
      ix,
      ix.resource.azuread_service_principal?.[sps[0]],
      assignments.map(([, a]) => a),
    ),
    constructPath,
    displayName: ix.value(app.display_name),
    signInAudience: String(app.sign_in_audience ?? 'AzureADMyOrg'),
    redirectUris: (Array.isArray(app.web?.redirect_uris) ? app.web.redirect_uris : []).map(ix.value),
    nango: registration.nango,
    secrets: secrets.secrets,
    apis,
  };
}

/** What a Kindo SaaS stack asks of the tenant on one API: the scopes its grants consent. */
function saasApi(
  ix: StackIndex,
  sp: Block,
  grants: readonly Block[],
  integrationId: string,
  resourceAppId: string,
): ReviewedApi {
  const lookup = ix.apis.get(resourceAppId);
  const apiGrants = grants.filter((g) => (resourceAppOf(ix, g) ?? 'unknown') === resourceAppId);
  const directed = directedScopes(ix.catalog, integrationId, resourceAppId);
  // Grants carry scope names only: an addition's record (with its justification) is found by API and name.
  const recorded = list(readRecord(sp, 'deviations'));
  const permissions = [...new Set(apiGrants.flatMap(scopesOf))].map((scope) => {
    const known = lookup?.byName.get(scope);
    const record = recorded.find((r) => r.change === 'added' && r.api === lookup?.name && r.permission === scope);
    const consent = (): Consent =>
      widestConsent(apiGrants.filter((g) => scopesOf(g).includes(scope))) === 'tenant-wide'
        ? 'tenant-wide'
        : 'one user';
    if (known) return withDirected(permission(known.id, 'Scope', known, record, true, consent), directed);
    return record
      ? permission(String(record.id), 'Scope', undefined, record, true, consent)
      : unknownScope(scope, true, consent());
  });
  return {
    name: lookup?.name ?? `unknown API ${resourceAppId}`,
    resourceAppId,
    known: lookup !== undefined,
    consent: widestConsent(apiGrants) === 'tenant-wide' ? 'tenant-wide' : 'one user',
    permissions,
  };
}

/** A Kindo SaaS integration: the service principal of Kindo's app, tagged with its integration, and its grants. */
function reviewSaas(ix: StackIndex, name: string, sp: Block): ReviewedIntegration[] {
  const tag = integrationFromTags(sp.tags);
  if (tag === undefined || referenced(sp.client_id, 'azuread_application')) return [];
  const fromNotes = integrationFromNotes(sp.notes);
  const integrationId = fromNotes ?? tag;
  const definition = definitionOf(ix.catalog, integrationId);
  const grantEntries = grantsOf(ix, [name]);
  const assignments = assignmentsOf(ix, [name]);
  const grants = grantEntries.map(([, g]) => g);
  const resourceAppIds = [...new Set(grants.map((g) => resourceAppOf(ix, g) ?? 'unknown'))];
  const apis = resourceAppIds.map((id) => saasApi(ix, sp, grants, integrationId, id));
  return [
    {
      key: '',
      deviations: definition?.authFlow === 'delegated' ? guideDeviations(ix.catalog, integrationId, apis) : [],
      stack: ix.stack,
      integrationId,
      identifiedBy: fromNotes !== undefined ? 'notes' : 'resource name',
      mode: 'saas',
      kindoClientId: ix.value(sp.client_id),
      whoMayConnect: whoMayConnect(
        ix,
        sp,
        assignments.map(([, a]) => a),
      ),
      address: `azuread_service_principal.${name}`,
      addresses: [
        `azuread_service_principal.${name}`,
        ...grantEntries.map(([n]) => `azuread_service_principal_delegated_permission_grant.${n}`),
        ...assignments.map(([n]) => `azuread_app_role_assignment.${n}`),
      ],
      constructPath: sp['//']?.metadata?.path,
      displayName: { raw: `Kindo's app for ${definition?.displayName ?? integrationId} (Kindo SaaS)` },
      signInAudience: 'AzureADMultipleOrgs',
      redirectUris: [],
      secrets: [],
      apis,
    },
  ];
}

/** Reads one synthesized stack's integrations (app registrations, Kindo SaaS service principals) and everything linked to them by Terraform references. */
export function reviewStack(stack: SynthesizedStack, catalog: Catalog): ReviewedIntegration[] {
  const ix = indexStack(stack, catalog);
  const reviewed = [
    ...entries(ix.resource, 'azuread_application').map(([name, app]) => reviewApp(ix, name, app)),
    ...entries(ix.resource, 'azuread_service_principal').flatMap(([name, sp]) => reviewSaas(ix, name, sp)),
  ];
  // Keyed by integration id, which survives construct renames; the rare second app of one id in a
  // stack is told apart by its Terraform address.
  return reviewed.map((r) => {
    const twins = reviewed.filter((o) => o.integrationId === r.integrationId).length;
    return { ...r, key: `${r.stack}/${r.integrationId}${twins > 1 ? `#${r.address}` : ''}` };
  });
}
