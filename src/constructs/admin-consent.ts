import { ServicePrincipalDelegatedPermissionGrant } from '@cdktf/provider-azuread/lib/service-principal-delegated-permission-grant';
import { Annotations } from 'cdktf';
import type { Construct } from 'constructs';
import type { CatalogApi } from '../catalog/catalog';
import { KindoConfigError, show } from '../core/errors';
import { isToken } from '../core/validate';
import { requireDelegatedScopes } from './stack-lookups';

// Step 6 of Kindo's guide: tenant-wide admin consent to an app's delegated permissions, and what it must keep.

export const GRAPH = 'Microsoft Graph';
const OFFLINE_ACCESS = 'offline_access';

/**
 * Refuses a removal of `offline_access`: Nango requests it at every sign-in of a delegated
 * connection, so removing it would leave a scope that Nango asks for neither registered nor
 * consented, and Kindo without a refresh token (the guide's troubleshooting table).
 * @param field names the list in the message, e.g. `removePermissions.teams`
 */
export function validateRemovals(field: string, remove: readonly string[] | undefined): void {
  if (remove === undefined || isToken(remove)) return;
  remove.forEach((entry, i) => {
    if (!isToken(entry) && entry.split('/').pop() === OFFLINE_ACCESS)
      throw offlineAccessRemoved(`${field}[${i}]`, entry);
  });
}

/**
 * One tenant-wide grant per API (the portal's "Grant admin consent"), after the stack's preflight of
 * every requested scope; none when `consent` is off, with a warning for the APIs other than Graph,
 * to which no Nango sign-in can ask users to consent.
 * @param who names the app in plan messages, e.g. `integration 'defender'`
 */
export function grantAdminConsent(
  scope: Construct,
  who: string,
  servicePrincipalObjectId: string,
  apis: readonly CatalogApi[],
  consent: boolean,
): ServicePrincipalDelegatedPermissionGrant[] {
  // Every requested scope is checked against the tenant at plan, consented or not.
  const apiObjectIds = requireDelegatedScopes(scope, who, apis);
  if (!consent) {
    const others = apis.filter((api) => api.name !== GRAPH).map((api) => api.name);
    if (others.length > 0)
      Annotations.of(scope).addWarning(
        `${who} also uses ${others.join(', ')}; Nango signs users in to Microsoft Graph only, so grant admin consent for these APIs in the Entra admin center before connecting (adminConsent is off; docs/nango-registration.md#integrations-that-span-several-apis-defender-purview-data-governance)`,
      );
    return [];
  }
  return apis.map(
    (api) =>
      new ServicePrincipalDelegatedPermissionGrant(scope, `AdminConsent${api.name.replace(/[^A-Za-z0-9]/g, '')}`, {
        servicePrincipalObjectId,
        resourceServicePrincipalObjectId: apiObjectIds.get(api.name)!,
        claimValues: api.permissions.map((p) => p.name),
      }),
  );
}

/** A removal of `offline_access`, which Nango requests at every sign-in. */
export function offlineAccessRemoved(field: string, value: string): KindoConfigError {
  return new KindoConfigError(
    'OFFLINE_ACCESS_REQUIRED',
    `\`${field}\` is ${show(value)}; expected it kept: Nango requests offline_access at every sign-in, and Kindo needs its refresh token`,
    'docs/troubleshooting.md#synth-stops-offline_access-cannot-be-removed',
  );
}
