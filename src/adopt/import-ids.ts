/**
 * azuread 3.7's import IDs (docs/resources/application.md, service_principal.md,
 * service_principal_delegated_permission_grant.md and app_role_assignment.md, "Import"). The
 * constructs import with them, and `adopt` writes the root module's import blocks with them, given
 * HCL expressions in place of the IDs.
 */
export const IMPORT_IDS = {
  application: (objectId: string) => `/applications/${objectId}`,
  servicePrincipal: (objectId: string) => `/servicePrincipals/${objectId}`,
  permissionGrant: (grantId: string) => `/oauth2PermissionGrants/${grantId}`,
  /** The resource's service principal (the app assigned to), then the assignment's own ID; not the app role ID. */
  appRoleAssignment: (resourceServicePrincipalId: string, assignmentId: string) =>
    `/servicePrincipals/${resourceServicePrincipalId}/appRoleAssignedTo/${assignmentId}`,
} as const;
