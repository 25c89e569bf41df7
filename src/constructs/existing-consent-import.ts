import type { AppRoleAssignment } from '@cdktf/provider-azuread/lib/app-role-assignment';
import type { ServicePrincipal } from '@cdktf/provider-azuread/lib/service-principal';
import type { ServicePrincipalDelegatedPermissionGrant } from '@cdktf/provider-azuread/lib/service-principal-delegated-permission-grant';
import { TerraformElement } from 'cdktf';
import { Construct } from 'constructs';
import type { CatalogApi, IntegrationId } from '../catalog/catalog';
import { checkGuid, checkPattern, isToken, settingNotApplicable } from '../core/validate';
import { IMPORT_IDS } from '../adopt/import-ids';
import type { ExistingSaasConsent } from './existing-app';
import { GRANT_ID } from './existing-app-import';

// Taking over Kindo SaaS consent given before Terraform (docs/kindo-saas.md): KindoSaasConsent's
// service principals, tenant-wide grants and group assignments, imported instead of created.

/**
 * A top-level `import` block for one instance of a resource with `for_each`: cdktf 0.21's
 * `importFrom` imports a resource as a whole, and has no per-key form.
 */
class ImportBlock extends TerraformElement {
  constructor(
    scope: Construct,
    id: string,
    private readonly to: string,
    private readonly importId: string,
  ) {
    super(scope, id);
  }

  public override toTerraform(): Record<string, unknown> {
    return { import: [{ to: this.to, id: this.importId }] };
  }
}

/** What KindoSaasConsent made for one integration that existing consent can stand in for. */
export interface SaasConsentResources {
  readonly integration: IntegrationId;
  readonly servicePrincipal: ServicePrincipal;
  /** Tenant-wide grants, in the order of `apis`. */
  readonly permissionGrants: readonly ServicePrincipalDelegatedPermissionGrant[];
  readonly apis: readonly CatalogApi[];
  readonly allowedGroups?: AppRoleAssignment;
}

/** The entries of `existing` are for integrations in `clientIds` only. */
export function checkExistingSaasConsentKeys(
  existing: Readonly<Partial<Record<IntegrationId, ExistingSaasConsent>>>,
  selected: readonly IntegrationId[],
): void {
  for (const key of Object.keys(existing))
    if (!(selected as readonly string[]).includes(key))
      throw settingNotApplicable('existing', key, 'which is not in `clientIds`');
}

/** Checks one integration's entry against what the construct made for it; the groups allowed to connect, when known. */
function checkEntry(
  existing: ExistingSaasConsent,
  made: SaasConsentResources,
  groups: readonly string[] | undefined,
): void {
  const field = `existing.${made.integration}`;
  checkGuid(`${field}.servicePrincipalObjectId`, existing.servicePrincipalObjectId);
  const graphId = 'a Graph object id (base64url text) as `adopt --saas` prints it';
  for (const [api, id] of Object.entries(existing.permissionGrantIds ?? {})) {
    checkPattern(`${field}.permissionGrantIds['${api}']`, id, GRANT_ID, graphId);
    if (!made.apis.some((a) => a.name === api)) {
      const apis = made.apis.map((a) => `'${a.name}'`).join(', ');
      throw settingNotApplicable(
        `${field}.permissionGrantIds`,
        api,
        `an API the integration does not consent to (${apis || 'none'})`,
      );
    }
  }
  for (const [group, id] of Object.entries(existing.groupAssignmentIds ?? {})) {
    checkGuid(`${field}.groupAssignmentIds (key)`, group);
    checkPattern(`${field}.groupAssignmentIds['${group}']`, id, GRANT_ID, graphId);
    const allowed = groups ?? [];
    if (!isToken(allowed) && !allowed.some((g) => g.toLowerCase() === group.toLowerCase()))
      throw settingNotApplicable(
        `${field}.groupAssignmentIds`,
        group,
        'a group not in allowedGroups: add it there (with requireAssignment: true) or drop the entry',
      );
  }
}

/**
 * Imports the existing service principal, grants and group assignments of one integration. Group
 * assignments are addressed by group object ID in lower case, the form Graph returns.
 * @param groups the integration's allowed groups, to refuse an assignment the configuration does not have
 */
export function importExistingSaasConsent(
  made: SaasConsentResources,
  existing: ExistingSaasConsent | undefined,
  groups: readonly string[] | undefined,
): void {
  if (existing === undefined) return;
  checkEntry(existing, made, groups);
  const sp = existing.servicePrincipalObjectId.toLowerCase();
  made.servicePrincipal.importFrom(IMPORT_IDS.servicePrincipal(sp));
  made.apis.forEach((api, i) => {
    const id = existing.permissionGrantIds?.[api.name];
    if (id !== undefined) made.permissionGrants[i].importFrom(IMPORT_IDS.permissionGrant(id));
  });
  const assignment = made.allowedGroups;
  if (assignment === undefined) return;
  const scope = new Construct(assignment.node.scope!, 'ImportAllowedGroups');
  Object.entries(existing.groupAssignmentIds ?? {}).forEach(([group, id], i) => {
    const to = `${assignment.terraformResourceType}.${assignment.friendlyUniqueId}[${JSON.stringify(group.toLowerCase())}]`;
    new ImportBlock(scope, String(i), to, IMPORT_IDS.appRoleAssignment(sp, id));
  });
}
