import type { Application } from '@cdktf/provider-azuread/lib/application';
import type { AppRoleAssignment } from '@cdktf/provider-azuread/lib/app-role-assignment';
import type { ApplicationPasswordA as ApplicationPassword } from '@cdktf/provider-azuread/lib/application-password';
import { ServicePrincipal } from '@cdktf/provider-azuread/lib/service-principal';
import type { ServicePrincipalDelegatedPermissionGrant } from '@cdktf/provider-azuread/lib/service-principal-delegated-permission-grant';
import { Fn, Token } from 'cdktf';
import { Construct } from 'constructs';
import { catalog, type CatalogApi, type IntegrationDefinition } from '../catalog/catalog';
import { effectivePermissions } from '../catalog/effective-permissions';
import type { PermissionDeviation } from '../catalog/permission-changes';
import { checkIntegrationId } from '../catalog/selection';
import { integrationNotes, writeRecord } from '../core/review-contract';
import { attribute, call } from '../core/hcl-expression';
import { literal } from '../core/terraform-literal';
import { isToken } from '../core/validate';
import { checkNangoProvider } from '../nango/nango-providers';
import { NangoRegistration } from '../nango/nango-registration';
import { GRAPH, grantAdminConsent, validateRemovals } from './admin-consent';
import {
  appNotes,
  type NangoSettings,
  nangoSettings,
  type RegistrationSettings,
  registerApplication,
  validateApplicableSettings,
  validateFabricSettings,
  validateRegistration,
} from './app-registration';
import { createClientSecret, validateSecretSettings } from './client-secret';
import {
  adoptedAppWithoutNangoDecision,
  type ExistingAppLookup,
  importExistingApp,
  lookupExistingApp,
} from './existing-app-import';
import type { MicrosoftIntegrationAppProps } from './microsoft-integration-app-props';
import { integrationOwners } from './ownership';
import { clientIdentity, providerTenantId } from './stack-lookups';
import { assignAllowedGroups, checkWhoMayConnect, servicePrincipalTags } from './who-may-connect';
import { checkShapes } from '../core/shape';
import { APP_PROP_SHAPES } from './prop-shapes';

export * from './microsoft-integration-app-props';

/** Construct id of an app's NangoRegistration; its Terraform addresses derive from it. */
export const NANGO_REGISTRATION_ID = 'Nango';

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
  /** Web redirect URI (Nango's callback), for delegated integrations, as Terraform must receive it (see `literal`). */
  public readonly redirectUri?: string;
  /** Fabric SQL endpoint (`host,port`) as given. */
  public readonly fabricSqlEndpointHost?: string;
  /** Fabric Lakehouse database as given, as Terraform must receive it (see `literal`). */
  public readonly fabricLakehouseDatabase?: string;
  /** Application (client) ID. */
  public readonly clientId: string;

  constructor(scope: Construct, id: string, props: MicrosoftIntegrationAppProps) {
    super(scope, id);
    checkShapes(props, APP_PROP_SHAPES);
    checkIntegrationId('integration', props.integration);
    const definition = catalog()[props.integration];
    this.definition = definition;
    const registration = validateRegistration(props, definition);
    const secret = validateSecretSettings(props);
    checkWhoMayConnect(props, [definition.id]);
    validateApplicableSettings(props, definition);
    validateRemovals('removePermissions', props.removePermissions);
    const { apis, deviations } = effectivePermissions(definition, props.removePermissions, props.addPermissions);
    this.apis = apis;
    this.permissionDeviations = deviations;
    validateFabricSettings(props);
    const nango = nangoSettings(this, props, definition);
    // Adoption (docs/adopting.md): the secret and Nango read the adopted app's IDs from a lookup, not from the resource being imported.
    const existing = this.lookupExisting(props);
    this.tenantId = registration.tenantId ?? providerTenantId(this);

    const owners = integrationOwners(this, registration.owners);
    this.application = registerApplication(this, {
      settings: registration,
      owners,
      notes: appNotes(definition, deviations),
      apis,
      nango,
      preventDuplicateNames: props.preventDuplicateNames,
    });
    // Read once: every read of a resource attribute creates a new token, and cdktf captures a full
    // stack trace for each. The app's own wiring uses this package's references (src/core/hcl-expression.ts).
    this.clientId = this.application.clientId;
    this.redirectUri = nango?.callbackUrl;
    // Terraform ignores "//" keys in JSON configuration; the review report reads the deviations here.
    if (deviations.length > 0) writeRecord(this.application, 'deviations', deviations);

    this.servicePrincipal = this.createServicePrincipal(owners, props.requireAssignment);
    this.allowedGroups = assignAllowedGroups(this, this.servicePrincipal, props, definition.id, this.who);
    this.clientSecret = createClientSecret(
      this,
      existing?.applicationId ?? attribute(this.application, 'id'),
      secret,
      definition.id,
    );
    // Client credentials never sign a user in, so Fabric has nothing to consent to.
    const delegated = definition.authFlow === 'delegated';
    this.permissionGrants = grantAdminConsent(
      this,
      this.who,
      attribute(this.servicePrincipal, 'object_id'),
      apis,
      delegated && (props.adminConsent ?? true),
    );
    if (nango) this.nangoRegistration = this.registerWithNango(props, nango, registration, existing?.clientId);
    if (existing) this.importExisting(existing);

    this.fabricSqlEndpointHost = props.fabricSqlEndpointHost;
    this.fabricLakehouseDatabase =
      props.fabricLakehouseDatabase === undefined ? undefined : literal(props.fabricLakehouseDatabase);
  }

  /** How plan messages name this app. */
  private get who(): string {
    return `integration '${this.definition.id}'`;
  }

  private lookupExisting(props: MicrosoftIntegrationAppProps): ExistingAppLookup | undefined {
    const existing = lookupExistingApp(this, this.definition, props);
    if (existing && this.definition.authFlow === 'delegated' && props.adoptExistingNangoIntegration === undefined) {
      throw adoptedAppWithoutNangoDecision(
        this.definition.id,
        'adoptExistingNangoIntegration',
        'adoptExistingNangoIntegration: true to take over the Nango integration under its unique key (updated in place, connections kept; created when there is none), or false when Nango has none under that key',
      );
    }
    return existing;
  }

  /** The app's enterprise application, listed under Enterprise applications like the portal's own. */
  private createServicePrincipal(owners: string[], requireAssignment: boolean | undefined): ServicePrincipal {
    const { id, displayName } = this.definition;
    return new ServicePrincipal(this, 'ServicePrincipal', {
      clientId: attribute(this.application, 'client_id'),
      owners,
      notes: literal(integrationNotes(id, displayName)),
      tags: servicePrincipalTags(id),
      appRoleAssignmentRequired: requireAssignment,
    });
  }

  /** Step 4 of Kindo's guide: the app registered with Nango, with Graph's delegated scopes. */
  private registerWithNango(
    props: MicrosoftIntegrationAppProps,
    nango: NangoSettings,
    registration: RegistrationSettings,
    adoptedClientId: string | undefined,
  ): NangoRegistration {
    const { definition } = this;
    const provider = props.nangoProvider ?? definition.nangoProvider!;
    checkNangoProvider('nangoProvider', provider, registration.audience);
    const tenantId = registration.tenantId ?? clientIdentity(this).tenantId;
    // Nango's Microsoft providers request one resource at sign-in: Graph. The other APIs are
    // reached with the refresh token after consent (docs/nango-registration.md).
    const graph = this.apis.find((api) => api.name === GRAPH)?.permissions ?? [];
    return new NangoRegistration(this, NANGO_REGISTRATION_ID, {
      integrationId: definition.id,
      serverUrl: nango.serverUrl,
      secretKey: nango.secretKey,
      environment: nango.environment,
      uniqueKey: props.nangoUniqueKey ?? `kindo-${definition.id}`,
      provider,
      displayName: definition.displayName,
      scopes: ['offline_access', ...graph.map((p) => p.name).filter((n) => n !== 'offline_access')],
      clientId: adoptedClientId ?? attribute(this.application, 'client_id'),
      clientSecret: attribute(this.clientSecret, 'value'),
      clientSecretKeyId: attribute(this.clientSecret, 'key_id'),
      adoptExisting: props.adoptExistingNangoIntegration,
      // The guide's "Tenant ID, if requested", kept in the integration's custom settings. Nango's
      // microsoft-tenant-specific signs in at the connection's own `tenant` setting, never at this one:
      // Kindo's connect session passes it (integrations_config_defaults.<key>.connection_config.tenant),
      // or the user types it (docs/entra-apps.md#the-tenant-at-sign-in).
      fields: isToken(props.nangoFields)
        ? Token.asStringMap(
            call('merge', { tenant_id: tenantId }, props.nangoFields) ??
              Fn.merge([{ tenant_id: tenantId }, props.nangoFields]),
          )
        : { tenant_id: tenantId, ...props.nangoFields },
    });
  }

  private importExisting(existing: ExistingAppLookup): void {
    importExistingApp(existing, {
      integration: this.definition.id,
      application: this.application,
      servicePrincipal: this.servicePrincipal,
      grants: this.permissionGrants.map((grant, i) => ({ api: this.apis[i], grant })),
      secretHandover: [this.clientSecret, ...(this.nangoRegistration ? [this.nangoRegistration.sync] : [])],
    });
  }
}
