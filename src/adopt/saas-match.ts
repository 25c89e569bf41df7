import { catalog, type IntegrationId } from '../catalog/catalog';
import type { AzAppRoleAssignment, AzObjects, AzServicePrincipal } from './az-output';
import { consentNotes } from './differences';
import { tenantWideGrants } from './match';

// Kindo SaaS: finding what earlier consents left in the tenant for Kindo's apps (their service
// principals, tenant-wide grants and group assignments), which KindoSaasConsent must import: Graph
// refuses a second tenant-wide grant for the same client and API (409 "Permission entry already
// exists", hashicorp/terraform-provider-azuread#690) and a second identical assignment alike.

/**
 * "Default Access", the role KindoSaasConsent assigns groups (DEFAULT_ACCESS_APP_ROLE_ID of
 * src/constructs/who-may-connect.ts, kept apart so that `adopt` loads no construct).
 */
export const DEFAULT_ACCESS_ROLE = '00000000-0000-0000-0000-000000000000';

/** What one integration's earlier consent left in the tenant. */
export interface FoundSaasConsent {
  readonly integration: IntegrationId;
  readonly clientId: string;
  readonly servicePrincipalObjectId: string;
  readonly displayName?: string;
  /** Tenant-wide grants by the catalog's API name. */
  readonly grantIds: Readonly<Record<string, string>>;
  /** Default-access assignments of groups: assignment ID by group object ID. */
  readonly groupAssignmentIds: Readonly<Record<string, string>>;
  /** What the first apply changes, and what it leaves alone, in the operator's words. */
  readonly notes: readonly string[];
}

/** The outcome for the given client IDs. */
export interface SaasAdoptionMatch {
  readonly found: readonly FoundSaasConsent[];
  /** Integrations whose client ID has no service principal in the tenant: nothing to take over. */
  readonly missing: readonly IntegrationId[];
}

function assignmentNotes(assignments: readonly AzAppRoleAssignment[]): string[] {
  const notes = assignments
    .filter((a) => a.principalType === 'Group' && a.appRoleId !== DEFAULT_ACCESS_ROLE)
    .map(
      (a) =>
        `group ${a.principalDisplayName ?? a.principalId} (${a.principalId}) holds app role ${a.appRoleId}, not default access: left in place, not imported`,
    );
  const others = assignments.filter((a) => a.principalType !== 'Group').length;
  if (others > 0)
    notes.push(
      `${others} user or service principal assignment(s) left in place (the stack assigns only allowedGroups)`,
    );
  return notes;
}

function grantNotes(objects: AzObjects, sp: AzServicePrincipal, imported: number, delegated: boolean): string[] {
  const own = objects.grants.filter((g) => g.clientId === sp.id);
  const tenantWide = own.filter((g) => g.consentType === 'AllPrincipals').length;
  const notes: string[] = [];
  if (tenantWide > imported)
    notes.push(
      delegated
        ? `${tenantWide - imported} tenant-wide grant(s) on APIs the integration does not use: left in place`
        : `${tenantWide} tenant-wide grant(s) left in place: client credentials, the stack consents nothing`,
    );
  const perUser = own.length - tenantWide;
  if (perUser > 0) notes.push(`${perUser} per-user consent grant(s) left in place (the stack grants tenant-wide)`);
  return notes;
}

function foundConsent(objects: AzObjects, integration: IntegrationId, sp: AzServicePrincipal): FoundSaasConsent {
  const definition = catalog()[integration];
  const delegated = definition.authFlow === 'delegated';
  const grants = delegated ? tenantWideGrants(objects, sp.id, definition) : [];
  const assignments = objects.assignments.filter((a) => a.resourceId === sp.id);
  const groups = assignments.filter((a) => a.principalType === 'Group' && a.appRoleId === DEFAULT_ACCESS_ROLE);
  const missingGrants = definition.apis.filter((api) => !grants.some((g) => g.api.name === api.name));
  return {
    integration,
    clientId: sp.appId,
    servicePrincipalObjectId: sp.id,
    displayName: sp.displayName,
    grantIds: Object.fromEntries(grants.map((g) => [g.api.name, g.id])),
    groupAssignmentIds: Object.fromEntries(groups.map((a) => [a.principalId, a.id])),
    notes: [
      ...consentNotes(grants),
      ...(delegated && missingGrants.length > 0
        ? [`admin consent is created for ${missingGrants.map((a) => a.name).join(', ')}`]
        : []),
      ...grantNotes(objects, sp, grants.length, delegated),
      ...assignmentNotes(assignments),
    ],
  };
}

/** Finds each client ID's service principal in the `az` output, and what it holds. */
export function matchSaas(
  objects: AzObjects,
  clientIds: Readonly<Partial<Record<IntegrationId, string>>>,
): SaasAdoptionMatch {
  const found: FoundSaasConsent[] = [];
  const missing: IntegrationId[] = [];
  for (const [integration, clientId] of Object.entries(clientIds) as [IntegrationId, string][]) {
    const sp = objects.servicePrincipals.find((s) => s.appId === clientId.toLowerCase());
    if (sp) found.push(foundConsent(objects, integration, sp));
    else missing.push(integration);
  }
  return { found, missing };
}
