// The adoption input (docs/adopting.md): an app registration set up by hand from Kindo's guide,
// taken over by the stack instead of created. src/constructs/existing-app-import.ts acts on it.

/** A client secret made by hand; the stack cannot import it (azuread_application_password has no import) and leaves it alone. */
export interface ExistingClientSecret {
  /**
   * The secret's key ID (`passwordCredentials[].keyId`), never its value.
   * @example '3d0b3d5f-8c55-4f1e-9d0c-2b7f0a1e4c11'
   */
  readonly keyId: string;
  /**
   * When it expires (`passwordCredentials[].endDateTime`), for the review report.
   * @default - not shown
   * @example '2027-05-01T10:00:00Z'
   */
  readonly expires?: string;
  /**
   * Its description (`passwordCredentials[].displayName`).
   * @default - not shown
   */
  readonly description?: string;
}

/** An existing app registration to take over instead of creating one (see docs/adopting.md). */
export interface ExistingAppProps {
  /**
   * Object ID of an app registration set up by hand, imported on the first plan instead of created.
   * Give this or `existingApplicationClientId`, not both.
   * @default - a new app registration is created
   * @example '0f8e2c6d-1b2a-4c3d-9e8f-7a6b5c4d3e2f'
   */
  readonly existingApplicationObjectId?: string;
  /**
   * Application (client) ID of an app registration set up by hand. The plan looks its object ID up
   * (`azuread_application` data source) and imports it.
   * @default - a new app registration is created
   * @example '6e5d4c3b-2a19-4f08-8e7d-6c5b4a392817'
   */
  readonly existingApplicationClientId?: string;
  /**
   * Object ID of the adopted app's service principal (enterprise application), imported. Only with
   * an existing application.
   * @default - the service principal is created, or the existing one linked to the app is taken over at apply (`use_existing`)
   * @example '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'
   */
  readonly existingServicePrincipalObjectId?: string;
  /**
   * IDs of existing admin consent grants (`oauth2PermissionGrants` with consentType AllPrincipals),
   * by the catalog's API name, imported and set to the requested scopes. Only with an existing application.
   * @default - grants are created; one already in place for an API makes that create fail, so list it here
   * @example { 'Microsoft Graph': 'xyz0AbCdEfGhIjKlMnOpQrStUvWx-AbCdEfGhIjKlMn' }
   */
  readonly existingPermissionGrantIds?: Readonly<Record<string, string>>;
  /**
   * The adopted app's client secrets made by hand. They are left in place (the stack adds its own
   * secret and gives that to Nango) and listed in the review report for you to delete afterwards.
   * @default - none listed
   */
  readonly existingClientSecrets?: readonly ExistingClientSecret[];
}

/** One integration's entry of `KindoMicrosoftIntegrations`' `existingApps`: the {@link ExistingAppProps} without their `existing` prefix. */
export interface ExistingApp {
  /**
   * Object ID of the app registration set up by hand. Give this or `applicationClientId`.
   * @default - looked up by `applicationClientId`
   * @example '0f8e2c6d-1b2a-4c3d-9e8f-7a6b5c4d3e2f'
   */
  readonly applicationObjectId?: string;
  /**
   * Application (client) ID of the app registration set up by hand. Give this or `applicationObjectId`.
   * @default - `applicationObjectId` is used
   * @example '6e5d4c3b-2a19-4f08-8e7d-6c5b4a392817'
   */
  readonly applicationClientId?: string;
  /**
   * Object ID of its service principal.
   * @default - the existing one linked to the app is taken over at apply (`use_existing`), or one is created
   * @example '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'
   */
  readonly servicePrincipalObjectId?: string;
  /**
   * IDs of its admin consent grants, by the catalog's API name.
   * @default - none imported
   * @example { 'Microsoft Graph': 'xyz0AbCdEfGhIjKlMnOpQrStUvWx-AbCdEfGhIjKlMn' }
   */
  readonly permissionGrantIds?: Readonly<Record<string, string>>;
  /**
   * Its client secrets made by hand, left in place and listed for you to delete.
   * @default - none listed
   */
  readonly clientSecrets?: readonly ExistingClientSecret[];
}

/**
 * Kindo SaaS consent given before Terraform, to import instead of create (docs/kindo-saas.md): an
 * administrator's organisation-wide consent made the tenant-wide grants, and groups may have been
 * assigned in Entra. Graph refuses to create either a second time. `adopt --saas` prints these.
 */
export interface ExistingSaasConsent {
  /**
   * Object ID of Kindo's service principal (enterprise application) in this tenant, imported.
   * @example '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'
   */
  readonly servicePrincipalObjectId: string;
  /**
   * IDs of its tenant-wide consent grants (`oauth2PermissionGrants` with consentType AllPrincipals),
   * by the catalog's API name, imported and set to the requested scopes.
   * @default - grants are created; one already in place for an API makes that create fail, so list it here
   * @example { 'Microsoft Graph': 'xyz0AbCdEfGhIjKlMnOpQrStUvWx-AbCdEfGhIjKlMn' }
   */
  readonly permissionGrantIds?: Readonly<Record<string, string>>;
  /**
   * IDs of its default-access app role assignments (`appRoleAssignedTo`), by the object ID of the
   * group assigned; each group must be one of the integration's `allowedGroups`.
   * @default - assignments are created; one already in place for a group makes that create fail, so list it here
   * @example { '5b1c7e4a-9d2f-4e8b-a1c3-6f7d8e9a0b1c': 'Sn3HsNn3A0yPqz0iYb7pMZsbYHz4eLlMlO-ZvT4Eqmk' }
   */
  readonly groupAssignmentIds?: Readonly<Record<string, string>>;
}
