import type { AppRoleAssignment } from '@cdktf/provider-azuread/lib/app-role-assignment';
import type { ServicePrincipal } from '@cdktf/provider-azuread/lib/service-principal';
import { Fn, TerraformIterator, Token } from 'cdktf';
import type { Construct } from 'constructs';
import type { IntegrationId } from '../catalog/catalog';
import { settingNotApplicable, checkGuid, isToken, lowerGuids } from '../core/validate';
import { KindoConfigError, show } from '../core/errors';
import { integrationTag } from '../core/review-contract';

/** Who may connect an integration: the enterprise application's first control point, in both modes. */
export interface WhoMayConnectOptions {
  /**
   * Require a user to be assigned to the integration's enterprise application (service principal)
   * before Entra ID issues it a token (`app_role_assignment_required`). Users are assigned through
   * `allowedGroups`, or by an administrator under Enterprise applications.
   * @default false - every user of the tenant may connect
   */
  readonly requireAssignment?: boolean;
  /**
   * Object IDs of the groups whose direct members may connect; each is assigned the app's default
   * access role. A list applies to every integration; a map, per integration id, restricts each
   * integration to its own groups (integrations left out get no group). Only with `requireAssignment: true`.
   * Stored in lower case. Group-based assignment needs Microsoft Entra ID P1 or P2: on a Free tenant
   * the groups' members are refused at sign-in with AADSTS50105 (docs/troubleshooting.md#users-in-an-allowed-group-are-refused-aadsts50105).
   * The identity running Terraform needs `AppRoleAssignment.ReadWrite.All` (docs/terraform-identity.md).
   * @default - no group assigned by Terraform
   * @example { defender: ['5b1c7e4a-9d2f-4e8b-a1c3-6f7d8e9a0b1c'], teams: ['6c2d8f5b-0e3a-4f9c-b2d4-7a8e9f0b1c2d'] }
   */
  readonly allowedGroups?: AllowedGroups;
}

/**
 * Entra ID lists a service principal under Enterprise applications, the portal's default view where
 * admins assign users and groups, only with this tag (azuread 3.7 docs/resources/service_principal.md:
 * `feature_tags.enterprise` "will assign the `WindowsAzureActiveDirectoryIntegratedApp` tag").
 */
export const ENTERPRISE_APP_TAG = 'WindowsAzureActiveDirectoryIntegratedApp';

/** The tags of an integration's service principal in either mode: listed under Enterprise applications, and named for the review. */
export const servicePrincipalTags = (integration: string, ...more: string[]): string[] => [
  ENTERPRISE_APP_TAG,
  ...more,
  integrationTag(integration),
];

/** Groups allowed to connect: one list for every integration, or a list per integration id. */
export type AllowedGroups = readonly string[] | Readonly<Partial<Record<IntegrationId, readonly string[]>>>;

const perIntegration = (groups: AllowedGroups): groups is Readonly<Partial<Record<IntegrationId, readonly string[]>>> =>
  !isToken(groups) && !Array.isArray(groups);

/** The groups allowed to connect to one integration, and the field that names them in messages. */
export function allowedGroupsOf(
  options: WhoMayConnectOptions,
  integration: IntegrationId,
): { groups?: readonly string[]; field: string } {
  const groups = options.allowedGroups;
  if (groups === undefined || !perIntegration(groups))
    return { groups: groups as readonly string[] | undefined, field: 'allowedGroups' };
  return { groups: groups[integration], field: `allowedGroups.${integration}` };
}

/**
 * The role ID Microsoft Graph takes for "assigned to the app without a specific app role" (Default
 * Access): appRoleAssignment.appRoleId, https://learn.microsoft.com/graph/api/resources/approleassignment;
 * hashicorp/azuread 3.7 docs/resources/app_role_assignment.md, "Assign a group to the default app role".
 */
export const DEFAULT_ACCESS_APP_ROLE_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Checks the options at synth, where their values are known.
 * @param selected the integrations the stack sets up; a map's keys must be among them
 */
export function checkWhoMayConnect(options: WhoMayConnectOptions, selected: readonly IntegrationId[]): void {
  const all = options.allowedGroups;
  if (all !== undefined && perIntegration(all)) {
    for (const key of Object.keys(all)) {
      if (!(selected as readonly string[]).includes(key))
        throw settingNotApplicable('allowedGroups', key, 'which is not among the integrations set up');
    }
  }
  for (const integration of selected) {
    const { groups, field } = allowedGroupsOf(options, integration);
    if (groups === undefined || isToken(groups)) continue;
    groups.forEach((g, i) => {
      checkGuid(`${field}[${i}]`, g);
    });
    if (groups.length > 0 && !isToken(options.requireAssignment) && options.requireAssignment !== true) {
      throw groupsWithoutAssignment(field, groups);
    }
  }
}

/**
 * Assigns the allowed groups to `servicePrincipal`'s default access role: one
 * `azuread_app_role_assignment` per group, keyed by group ID (`for_each`), so adding or removing a
 * group never touches the others. Where the options are only known at plan, a precondition stops
 * the plan when groups are given without required assignment.
 *
 * @param integration selects the integration's groups when they are given per integration
 * @param who names the integration in the plan's message, e.g. `integration 'teams'`
 */
export function assignAllowedGroups(
  scope: Construct,
  servicePrincipal: ServicePrincipal,
  options: WhoMayConnectOptions,
  integration: IntegrationId,
  who: string,
): AppRoleAssignment | undefined {
  const { groups, field } = allowedGroupsOf(options, integration);
  if (groups === undefined || (!isToken(groups) && groups.length === 0)) return undefined;
  // Keyed and assigned in lower case: azuread reads Graph's lower-case ID back, and principal_object_id forces a new assignment.
  const each = TerraformIterator.fromList(lowerGuids(field, groups));
  const required = options.requireAssignment ?? false;
  const checkAtPlan = isToken(groups) || isToken(required);
  const count = isToken(groups) ? Token.asString(Fn.lengthOf(groups)) : String(groups.length);
  // Loaded only here: a stack without allowed groups never needs the binding (10 ms per process, with DataAzureadApplication).
  const { AppRoleAssignment } =
    require('@cdktf/provider-azuread/lib/app-role-assignment') as typeof import('@cdktf/provider-azuread/lib/app-role-assignment');
  return new AppRoleAssignment(scope, 'AllowedGroups', {
    forEach: each,
    appRoleId: DEFAULT_ACCESS_APP_ROLE_ID,
    principalObjectId: each.value,
    resourceObjectId: servicePrincipal.objectId,
    lifecycle: checkAtPlan
      ? {
          precondition: [
            {
              condition: `\${${Token.asString(required)} || ${count} == 0}`,
              errorMessage: groupsWithoutAssignmentMessage(who),
            },
          ],
        }
      : undefined,
  });
}

/** Groups allowed to connect, while any user may connect anyway. */
export function groupsWithoutAssignment(field: string, groups: readonly string[]): KindoConfigError {
  return new KindoConfigError(
    'GROUPS_WITHOUT_ASSIGNMENT',
    `\`${field}\` is ${show(groups)} but \`requireAssignment\` is not true, so every user of the tenant may connect and the list restricts nobody; expected \`requireAssignment: true\` with the groups, or no \`${field}\``,
  );
}

/** Plan stops: groups are allowed to connect while assignment is not required (values known only at plan). */
export function groupsWithoutAssignmentMessage(who: string): string {
  return (
    `${who}: allowed groups are set but assignment is not required, so they restrict nobody. Nothing was changed. ` +
    'Expected requireAssignment (require_assignment) true with the groups, or no groups (docs/kindo-saas.md#who-may-connect-both-modes).'
  );
}
