import type { IntegrationId } from '../catalog/catalog';
import type { AddedPermission } from '../catalog/permission-changes';
import type { ExistingAppProps } from './existing-app';
import type { WhoMayConnectOptions } from './who-may-connect';

// The props of a MicrosoftIntegrationApp (src/constructs/microsoft-integration-app.ts), apart from
// the construct so that the files of its steps can read them without an import circle.

/** Who may sign in to the app registration. */
export enum SignInAudience {
  /** Accounts in this organizational directory only (single tenant), as the guide recommends. */
  SINGLE_TENANT = 'AzureADMyOrg',
  /** Accounts in any organizational directory (multi-tenant). */
  MULTI_TENANT = 'AzureADMultipleOrgs',
}

/** Where the apps are registered with Nango (step 4 of Kindo's guide). */
export interface NangoOptions {
  /**
   * Base URL of the Nango API of your Kindo deployment.
   * @default 'https://api.nango.dev' - Nango Cloud
   * @example 'https://nango.example.com'
   */
  readonly serverUrl?: string;
  /**
   * OAuth callback URL Nango shows in its integration setup; becomes the apps' Web redirect URI.
   * @default - `<serverUrl>/oauth/callback`
   * @example 'https://api.nango.dev/oauth/callback'
   */
  readonly callbackUrl?: string;
  /**
   * Nango secret key of the environment to register in. Must be a token, such as a sensitive
   * `TerraformVariable`, never a literal: literals are written into the synthesized configuration.
   */
  readonly secretKey: string;
  /**
   * Name of the Nango environment the secret key belongs to, recorded in state: a later plan that
   * names another environment fails, naming both and how to move (docs/nango-registration.md).
   * May be a token; `null` records nothing.
   * @default - not recorded: a switch of environments goes unnoticed until the next push fails with 404
   * @example 'prod'
   */
  readonly environment?: string;
}

/** Settings every integration app takes, whether created alone or through {@link KindoMicrosoftIntegrations}. */
export interface MicrosoftIntegrationAppOptions extends WhoMayConnectOptions {
  /**
   * Where the app is registered with Nango. Required for delegated integrations; Fabric ignores it.
   * @default - no Nango registration and no redirect URI; only valid for `fabric`
   */
  readonly nango?: NangoOptions;
  /**
   * Text put before the integration's name to form the app registration's display name.
   * Reaches Entra as written: Terraform never evaluates it.
   * @default 'Kindo - ' - e.g. "Kindo - Microsoft Teams"
   */
  readonly namePrefix?: string;
  /**
   * Who may sign in to the app.
   * @default SignInAudience.SINGLE_TENANT - accounts in this directory only
   */
  readonly signInAudience?: SignInAudience;
  /**
   * Object IDs of further users or service principals that own the app registration and its service
   * principal, stored in lower case. The identity that first applied the integration is recorded in
   * state and stays an owner whoever plans later, so two identities never remove each other
   * (docs/entra-apps.md#owners). List every other identity that runs Terraform with
   * `Application.ReadWrite.OwnedBy`: it may update only apps it owns (docs/terraform-identity.md).
   * @default - the identity that first applied the integration, only
   * @example ['8f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b']
   */
  readonly owners?: readonly string[];
  /**
   * Stop the plan when an app registration with the same display name already exists (azuread's
   * `prevent_duplicate_names`), e.g. one created by hand from Kindo's guide, whose suggested names are
   * this package's defaults. Adopt such apps instead (docs/adopting.md), or turn this off to create a
   * second app with the same name.
   * @default true
   */
  readonly preventDuplicateNames?: boolean;
  /**
   * Lifetime of the client secret, in days (1 to 730). The expiry is fixed when the secret is created:
   * a changed value applies to the next secret (see `secretRotation`), not to the existing one. A
   * tenant app-management policy may cap it lower (docs/troubleshooting.md).
   * @default 180
   */
  readonly secretLifetimeDays?: number;
  /**
   * Any value; changing it rotates the client secret. The new secret is created and pushed to Nango
   * before the old one is deleted. Rotating is also how a changed `secretLifetimeDays` takes effect.
   * @default - the secret is only replaced by hand (`terraform apply -replace`); changing `secretLifetimeDays` alone does not replace it
   * @example '2026-11'
   */
  readonly secretRotation?: string;
  /**
   * Plans warn (a `check` block) when the client secret expires within this many days; 0 turns the
   * warning off.
   * @default 30
   */
  readonly secretExpiryWarningDays?: number;
  /**
   * Grant tenant-wide admin consent for the app's delegated permissions (the portal's "Grant admin
   * consent" button), one grant per API. The identity running Terraform then needs
   * `DelegatedPermissionGrant.ReadWrite.All` or Cloud Application Administrator (docs/terraform-identity.md).
   * @default true
   */
  readonly adminConsent?: boolean;
  /**
   * Directory (tenant) ID reported in outputs and Kindo's forms, in lower case.
   * @default - the tenant of the azuread provider
   * @example '72f988bf-86f1-41af-91ab-2d7cd011db47'
   */
  readonly tenantId?: string;
}

/** Properties of a {@link MicrosoftIntegrationApp}. */
export interface MicrosoftIntegrationAppProps extends MicrosoftIntegrationAppOptions, ExistingAppProps {
  /**
   * The Kindo integration this app serves.
   * @example 'teams'
   */
  readonly integration: IntegrationId;
  /**
   * Unique key of the integration in Nango.
   * @default - `kindo-<integration id>`, e.g. 'kindo-teams'
   */
  readonly nangoUniqueKey?: string;
  /**
   * Nango provider key (from @nangohq/providers); must be an OAUTH2 provider that fits the sign-in audience.
   * @default - the catalog's provider: 'microsoft-tenant-specific'
   */
  readonly nangoProvider?: string;
  /**
   * Take over a Nango integration with this unique key that exists already and was not created by
   * this Terraform state: the plan shows it, apply overwrites its client ID, secret, scopes and name
   * in place (its connections are kept), and destroying the app deletes it.
   * @default false - apply fails naming the key, and the existing integration is left as it is
   */
  readonly adoptExistingNangoIntegration?: boolean;
  /**
   * Permissions of the guide's list to leave out (least privilege), by name, or `<API>/<name>` where two
   * APIs share the name. Each removal is recorded as a deviation from the guide. `offline_access` is
   * refused: Nango requests it at every sign-in (docs/troubleshooting.md#synth-stops-offline_access-cannot-be-removed).
   * @default - none removed
   * @example ['Mail.Send', 'WindowsDefenderATP/Machine.Offboard']
   */
  readonly removePermissions?: readonly string[];
  /**
   * Delegated permissions beyond the guide's list, each with a justification; recorded as deviations.
   * @default - none added
   */
  readonly addPermissions?: readonly AddedPermission[];
  /**
   * Integration-specific fields registered with Nango (step 4 of Kindo's guide: "Add any
   * integration-specific fields that are requested, such as a Purview endpoint URL, Azure
   * subscription ID, or target user ID"), by name, in snake case. Known names are checked:
   * `tenant_id` (GUID), `purview_endpoint` (https URL of the Purview account), `subscription_id`
   * (GUID), `target_user_id` (object ID or user principal name); other names pass through as
   * strings. A name that says secret, password, key, token or credential is refused. A map known
   * only at plan (a token, e.g. from a Terraform variable) is not checked here: give that variable
   * `nangoFieldsValidation`'s rules. Either way, `tenant_id` defaults to the app's tenant.
   * @default - `{ tenant_id: <the app's tenant> }`
   * @example { purview_endpoint: 'https://contoso.purview.azure.com' }
   */
  readonly nangoFields?: Readonly<Record<string, string>>;
  /**
   * Fabric only: the Lakehouse SQL endpoint as `host,port`, for Kindo's Fabric connection form.
   * @default - not passed through; enter it in Kindo's form
   * @example 'foo.datawarehouse.fabric.microsoft.com,1433'
   */
  readonly fabricSqlEndpointHost?: string;
  /**
   * Fabric only: the Lakehouse database name, for Kindo's Fabric connection form.
   * @default - not passed through; enter it in Kindo's form
   */
  readonly fabricLakehouseDatabase?: string;
}

export const DEFAULT_NANGO_SERVER_URL = 'https://api.nango.dev';
