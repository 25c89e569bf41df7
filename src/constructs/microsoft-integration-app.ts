import { Application } from '@cdktf/provider-azuread/lib/application';
import { ApplicationPasswordA as ApplicationPassword } from '@cdktf/provider-azuread/lib/application-password';
import { ServicePrincipal } from '@cdktf/provider-azuread/lib/service-principal';
import { ServicePrincipalDelegatedPermissionGrant } from '@cdktf/provider-azuread/lib/service-principal-delegated-permission-grant';
import { Annotations, Fn, Op, Token } from 'cdktf';
import { Construct } from 'constructs';
import { catalog, type CatalogApi, type IntegrationDefinition, type IntegrationId } from '../catalog/catalog';
import { adoptedAppWithoutNangoDecision, importExistingApp, lookupExistingApp } from './existing-app-import';
import {
  missingSetting,
  notOneOf,
  settingNotApplicable,
  baseUrl,
  checkGuid,
  checkPattern,
  checkServiceUrl,
  checkWholeNumber,
  isToken,
} from '../core/validate';
import { checkIntegrationId } from '../catalog/selection';
import { NangoRegistration } from '../nango/nango-registration';
import { perStack } from '../core/per-stack';
import { TerraformCheck } from '../core/terraform-check';
import { effectivePermissions } from '../catalog/effective-permissions';
import type { AddedPermission, PermissionDeviation } from '../catalog/permission-changes';
import { checkNangoProvider } from '../nango/nango-providers';
import { clientIdentity, ownersIncludingCaller, requireDelegatedScopes } from './stack-lookups';
import { assignAllowedGroups, checkWhoMayConnect, type WhoMayConnectOptions } from './who-may-connect';
import type { AppRoleAssignment } from '@cdktf/provider-azuread/lib/app-role-assignment';
import type { ExistingAppProps } from './existing-app';
import { integrationNotes, writeRecord } from '../core/review-contract';

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
   * principal. The identity Terraform runs as is always an owner too: azuread would otherwise add it
   * and then remove it, and under `Application.ReadWrite.OwnedBy` every later step (secret, service
   * principal, the next plan) would fail with 403.
   * @default - the identity Terraform runs as, only
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
   * consent" button), one grant per API.
   * @default true
   */
  readonly adminConsent?: boolean;
  /**
   * Directory (tenant) ID reported in outputs and Kindo's forms.
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
   * APIs share the name. Each removal is recorded as a deviation from the guide.
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
/** Construct id of an app's NangoRegistration; its Terraform addresses derive from it. */
export const NANGO_REGISTRATION_ID = 'Nango';
const DEFAULT_NAME_PREFIX = 'Kindo - ';
const DEFAULT_SECRET_LIFETIME_DAYS = 180;
const MAX_SECRET_LIFETIME_DAYS = 730;
const DEFAULT_SECRET_EXPIRY_WARNING_DAYS = 30;
// host,port: a DNS name, a comma, a TCP port.
const FABRIC_SQL_ENDPOINT =
  /^(?=.{1,253},)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*,([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$/;
const FABRIC_DATABASE = /^[^\s\][;'"]([^\][;'"]{0,126}[^\s\][;'"])?$/;
const NAME_PREFIX = /^[^\n]{0,60}$/;
const GRAPH = 'Microsoft Graph';

/** The guide's "keep a record of which Kindo integration uses each app registration", and any deviation from its list. */
function appNotes(definition: IntegrationDefinition, deviations: readonly PermissionDeviation[]): string {
  const base = `${integrationNotes(definition.id, definition.displayName)}, managed by Terraform with kindo-microsoft-integrations.`;
  if (deviations.length === 0) return `${base} Permissions as in Kindo's guide.`;
  const list = deviations
    .map((d) => `${d.change === 'added' ? '+' : '-'}${d.api === GRAPH ? '' : `${d.api}/`}${d.permission}`)
    .join(' ');
  // Entra keeps at most 1024 characters of notes.
  return `${base} Deviates from Kindo's guide: ${list}`.slice(0, 1024);
}

/**
 * One Kindo Microsoft integration's Entra ID app: app registration (steps 1-2 of Kindo's guide),
 * client secret (step 3), Nango registration (step 4), Nango's callback as Web redirect URI
 * (step 5), the catalog's delegated permissions and, by default, tenant-wide admin consent (step 6).
 * Microsoft Fabric gets the guide's client-credentials variant: no redirect URI, no Nango
 * registration, Graph `User.Read` only.
 */
export class MicrosoftIntegrationApp extends Construct {
  /** The integration's catalog entry. */
  public readonly definition: IntegrationDefinition;
  /** The app registration. */
  public readonly application: Application;
  /** The app's service principal (enterprise application) in the tenant. */
  public readonly servicePrincipal: ServicePrincipal;
  /** The client secret. */
  public readonly clientSecret: ApplicationPassword;
  /** The allowed groups' assignments to the service principal (`for_each` over the group IDs), when groups are given. */
  public readonly allowedGroups?: AppRoleAssignment;
  /** Admin consent grants, one per API, when admin consent is on. */
  public readonly permissionGrants: readonly ServicePrincipalDelegatedPermissionGrant[];
  /** The Nango registration, for delegated integrations. */
  public readonly nangoRegistration?: NangoRegistration;
  /** Directory (tenant) ID. */
  public readonly tenantId: string;
  /** The APIs and delegated permissions the app requests: the catalog's, after removals and additions. */
  public readonly apis: readonly CatalogApi[];
  /** How the requested permissions differ from Kindo's guide. */
  public readonly permissionDeviations: readonly PermissionDeviation[];
  /** Web redirect URI (Nango's callback), for delegated integrations. */
  public readonly redirectUri?: string;
  /** Fabric SQL endpoint (`host,port`) as given. */
  public readonly fabricSqlEndpointHost?: string;
  /** Fabric Lakehouse database as given. */
  public readonly fabricLakehouseDatabase?: string;
  /** Application (client) ID. */
  public readonly clientId: string;

  constructor(scope: Construct, id: string, props: MicrosoftIntegrationAppProps) {
    super(scope, id);
    const definitions = catalog();
    checkIntegrationId('integration', props.integration);
    const definition = definitions[props.integration];
    this.definition = definition;
    const delegated = definition.authFlow === 'delegated';
    const audience = props.signInAudience ?? SignInAudience.SINGLE_TENANT;
    const audiences: string[] = Object.values(SignInAudience);
    if (!audiences.includes(audience)) throw notOneOf('signInAudience', audience, audiences);

    const prefix = props.namePrefix ?? DEFAULT_NAME_PREFIX;
    checkPattern('namePrefix', prefix, NAME_PREFIX, 'at most 60 characters on one line');
    const lifetime = props.secretLifetimeDays ?? DEFAULT_SECRET_LIFETIME_DAYS;
    checkWholeNumber('secretLifetimeDays', lifetime, 1, MAX_SECRET_LIFETIME_DAYS, 'days');
    const warningDays = props.secretExpiryWarningDays ?? DEFAULT_SECRET_EXPIRY_WARNING_DAYS;
    checkWholeNumber('secretExpiryWarningDays', warningDays, 0, MAX_SECRET_LIFETIME_DAYS, 'days');
    // A list token (e.g. a TerraformVariable's listValue) has no elements to check at synth.
    if (!isToken(props.owners))
      props.owners?.forEach((o, i) => {
        checkGuid(`owners[${i}]`, o);
      });
    if (props.tenantId !== undefined) checkGuid('tenantId', props.tenantId);
    checkWhoMayConnect(props, [definition.id]);
    if (!delegated) {
      const nangoSetting = (
        ['nangoUniqueKey', 'nangoProvider', 'adoptExistingNangoIntegration', 'nangoFields'] as const
      ).find((k) => props[k] !== undefined);
      if (nangoSetting)
        throw settingNotApplicable(
          nangoSetting,
          definition.id,
          'which is not registered with Nango (client credentials)',
        );
    }
    if (
      definition.id !== 'fabric' &&
      (props.fabricSqlEndpointHost !== undefined || props.fabricLakehouseDatabase !== undefined)
    ) {
      throw settingNotApplicable(
        props.fabricSqlEndpointHost !== undefined ? 'fabricSqlEndpointHost' : 'fabricLakehouseDatabase',
        definition.id,
        'which is not Microsoft Fabric',
      );
    }
    if (!delegated && (props.removePermissions?.length || props.addPermissions?.length)) {
      throw settingNotApplicable(
        props.removePermissions?.length ? 'removePermissions' : 'addPermissions',
        definition.id,
        'which signs in with client credentials, where delegated permissions do not apply',
      );
    }
    const { apis, deviations } = effectivePermissions(definition, props.removePermissions, props.addPermissions);
    this.apis = apis;
    this.permissionDeviations = deviations;
    if (props.fabricSqlEndpointHost !== undefined) {
      checkPattern(
        'fabricSqlEndpointHost',
        props.fabricSqlEndpointHost,
        FABRIC_SQL_ENDPOINT,
        "host,port, e.g. 'foo.datawarehouse.fabric.microsoft.com,1433'",
      );
    }
    if (props.fabricLakehouseDatabase !== undefined) {
      checkPattern(
        'fabricLakehouseDatabase',
        props.fabricLakehouseDatabase,
        FABRIC_DATABASE,
        'a database name of 1 to 128 characters without brackets, quotes or semicolons',
      );
    }

    let nango: { serverUrl: string; callbackUrl: string; secretKey: string; environment?: string } | undefined;
    if (delegated) {
      if (!props.nango) throw missingSetting('nango', `integration '${definition.id}' signs users in through Nango`);
      const serverUrl = props.nango.serverUrl ?? DEFAULT_NANGO_SERVER_URL;
      checkServiceUrl('nango.serverUrl', serverUrl);
      // Entra compares redirect URIs exactly, so a given callback URL is kept as it is.
      const callbackUrl =
        props.nango.callbackUrl ?? `${perStack(this, `baseUrl:${serverUrl}`, () => baseUrl(serverUrl))}/oauth/callback`;
      checkServiceUrl('nango.callbackUrl', callbackUrl);
      nango = { serverUrl, callbackUrl, secretKey: props.nango.secretKey, environment: props.nango.environment };
    }

    const identity = clientIdentity(this);
    // Adoption (docs/adopting.md): the secret and Nango read the adopted app's IDs from a lookup, not from the resource being imported.
    const existing = lookupExistingApp(this, definition, props);
    if (existing && delegated && props.adoptExistingNangoIntegration === undefined) {
      throw adoptedAppWithoutNangoDecision(
        definition.id,
        'adoptExistingNangoIntegration',
        'adoptExistingNangoIntegration: true to take over the Nango integration under its unique key (updated in place, connections kept; created when there is none), or false when Nango has none under that key',
      );
    }
    this.tenantId = props.tenantId ?? identity.tenantId;
    // The caller stays an owner whatever the list says (aztfmod's choice): its object ID is known only at
    // plan, so a list without it cannot be refused at synth.
    const owners = ownersIncludingCaller(this, props.owners);

    this.application = new Application(this, 'Application', {
      displayName: `${prefix}${definition.displayName}`,
      preventDuplicateNames: props.preventDuplicateNames ?? true,
      signInAudience: audience,
      owners,
      notes: appNotes(definition, deviations),
      web: nango ? { redirectUris: [nango.callbackUrl] } : undefined,
      requiredResourceAccess: apis.map((api) => ({
        resourceAppId: api.resourceAppId,
        resourceAccess: api.permissions.map((p) => ({ id: p.id, type: 'Scope' })),
      })),
    });
    // Read once: every read of a resource attribute creates a new token, and cdktf captures a full
    // stack trace for each.
    this.clientId = this.application.clientId;
    this.redirectUri = nango?.callbackUrl;
    // Terraform ignores "//" keys in JSON configuration; the review report reads the deviations here.
    if (deviations.length > 0) writeRecord(this.application, 'deviations', deviations);

    this.servicePrincipal = new ServicePrincipal(this, 'ServicePrincipal', {
      clientId: this.clientId,
      owners,
      notes: integrationNotes(definition.id, definition.displayName),
      appRoleAssignmentRequired: props.requireAssignment,
    });
    this.allowedGroups = assignAllowedGroups(
      this,
      this.servicePrincipal,
      props,
      definition.id,
      `integration '${definition.id}'`,
    );

    this.clientSecret = new ApplicationPassword(this, 'ClientSecret', {
      applicationId: existing?.applicationId ?? this.application.id,
      displayName: 'Kindo integration',
      // plantimestamp(), unlike timestamp(), is known at plan, so a new secret's expiry is too and the
      // expiry check stays quiet on a first plan. Fixed at creation: without ignore_changes every plan
      // would move it, so a new secretLifetimeDays applies from the next rotation only.
      endDate: perStack(this, `endDate:${lifetime}`, () =>
        Fn.timeadd(Fn.plantimestamp(), `${isToken(lifetime) ? Token.asString(Op.mul(lifetime, 24)) : lifetime * 24}h`),
      ),
      rotateWhenChanged: props.secretRotation !== undefined ? { rotation: props.secretRotation } : undefined,
      lifecycle: { createBeforeDestroy: true, ignoreChanges: ['end_date'] },
    });

    if (isToken(warningDays) || warningDays > 0) this.addSecretExpiryCheck(warningDays);

    // Every requested scope is checked against the tenant at plan, consented or not.
    const apiObjectIds = requireDelegatedScopes(this, `integration '${definition.id}'`, apis);
    // Client credentials never sign a user in, so Fabric has nothing to consent to.
    const servicePrincipalObjectId = this.servicePrincipal.objectId;
    this.permissionGrants =
      delegated && (props.adminConsent ?? true)
        ? apis.map(
            (api) =>
              new ServicePrincipalDelegatedPermissionGrant(
                this,
                `AdminConsent${api.name.replace(/[^A-Za-z0-9]/g, '')}`,
                {
                  servicePrincipalObjectId,
                  resourceServicePrincipalObjectId: apiObjectIds.get(api.name)!,
                  claimValues: api.permissions.map((p) => p.name),
                },
              ),
          )
        : [];

    const otherApis = apis.filter((api) => api.name !== GRAPH).map((api) => api.name);
    if (delegated && this.permissionGrants.length === 0 && otherApis.length > 0) {
      Annotations.of(this).addWarning(
        `integration '${definition.id}' also uses ${otherApis.join(', ')}; Nango signs users in to Microsoft Graph only, so grant admin consent for these APIs in the Entra admin center before connecting (adminConsent is off)`,
      );
    }

    if (nango) {
      const provider = props.nangoProvider ?? definition.nangoProvider!;
      checkNangoProvider('nangoProvider', provider, audience);
      // Nango's Microsoft providers request one resource at sign-in: Graph. The other APIs are
      // reached with the refresh token after consent (docs/nango-registration.md).
      const graph = apis.find((api) => api.name === GRAPH)?.permissions ?? [];
      this.nangoRegistration = new NangoRegistration(this, NANGO_REGISTRATION_ID, {
        integrationId: definition.id,
        serverUrl: nango.serverUrl,
        secretKey: nango.secretKey,
        environment: nango.environment,
        uniqueKey: props.nangoUniqueKey ?? `kindo-${definition.id}`,
        provider,
        displayName: definition.displayName,
        scopes: ['offline_access', ...graph.map((p) => p.name).filter((n) => n !== 'offline_access')],
        clientId: existing?.clientId ?? this.clientId,
        clientSecret: this.clientSecret.value,
        clientSecretKeyId: this.clientSecret.keyId,
        adoptExisting: props.adoptExistingNangoIntegration,
        // The guide's "Tenant ID, if requested": always registered, so no one types it in Nango.
        fields: isToken(props.nangoFields)
          ? Token.asStringMap(Fn.merge([{ tenant_id: this.tenantId }, props.nangoFields]))
          : { tenant_id: this.tenantId, ...props.nangoFields },
      });
    }

    if (existing) {
      importExistingApp(existing, {
        integration: definition.id,
        application: this.application,
        servicePrincipal: this.servicePrincipal,
        grants: this.permissionGrants.map((grant, i) => ({ api: apis[i], grant })),
        secretHandover: [this.clientSecret, ...(this.nangoRegistration ? [this.nangoRegistration.sync] : [])],
      });
    }

    this.fabricSqlEndpointHost = props.fabricSqlEndpointHost;
    this.fabricLakehouseDatabase = props.fabricLakehouseDatabase;
  }

  /** The guide's "rotate client secrets according to your organization's policy": every plan warns ahead of expiry. */
  private addSecretExpiryCheck(days: number): void {
    // Inside the condition's expression cdktf writes the references bare.
    const hours = isToken(days) ? `format("%dh", ${Token.asString(days)} * 24)` : `"${days * 24}h"`;
    new TerraformCheck(this, 'SecretExpiry', () => {
      // Built at synth from the secret's address rather than from its endDate token: the same text,
      // without a token to create and resolve per synth pass.
      const address = `${this.clientSecret.terraformResourceType}.${this.clientSecret.friendlyUniqueId}`;
      return {
        assertions: [
          {
            // A days value known only at plan turns the warning off at 0, as a literal 0 does at synth.
            condition: `\${${isToken(days) ? `${Token.asString(days)} == 0 || ` : ''}timecmp(${address}.end_date, timeadd(plantimestamp(), ${hours})) > 0}`,
            errorMessage: `The client secret of Kindo integration '${this.definition.id}' expires at \${${address}.end_date}, within ${days} days: rotate it by changing secretRotation, or with terraform apply -replace=${address}`,
          },
        ],
      };
    });
  }
}
