import type { AppRoleAssignment } from '@cdktf/provider-azuread/lib/app-role-assignment';
import { ServicePrincipal } from '@cdktf/provider-azuread/lib/service-principal';
import { ServicePrincipalDelegatedPermissionGrant } from '@cdktf/provider-azuread/lib/service-principal-delegated-permission-grant';
import { Construct } from 'constructs';
import {
  INTEGRATION_IDS,
  catalog,
  type CatalogApi,
  type IntegrationDefinition,
  type IntegrationId,
} from '../catalog/catalog';
import { effectivePermissions } from '../catalog/effective-permissions';
import type { AddedPermission, PermissionDeviation } from '../catalog/permission-changes';
import { checkSelection } from '../catalog/selection';
import { settingNotApplicable, isToken, lowerGuid, lowerGuids } from '../core/validate';
import { requireDelegatedScopes } from './stack-lookups';
import {
  allowedGroupsOf,
  assignAllowedGroups,
  checkWhoMayConnect,
  servicePrincipalTags,
  type WhoMayConnectOptions,
} from './who-may-connect';
import type { ExistingSaasConsent } from './existing-app';
import { checkExistingSaasConsentKeys, importExistingSaasConsent } from './existing-consent-import';
import { KindoConfigError, show } from '../core/errors';
import { integrationNotes, writeRecord } from '../core/review-contract';
import { literal } from '../core/terraform-literal';
import { validateRemovals } from './admin-consent';
import { integrationOwners } from './ownership';

/** Properties of {@link KindoSaasConsent}. */
export interface KindoSaasConsentProps extends WhoMayConnectOptions {
  /**
   * The integrations to prepare, each with the application (client) ID of Kindo's own app for it, as
   * Kindo publishes them. Each gets a service principal in this tenant and the integration's
   * delegated permissions consented tenant-wide.
   * @example { teams: '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b' }
   */
  readonly clientIds: Readonly<Partial<Record<IntegrationId, string>>>;
  /**
   * Per integration id: permissions of the guide's list to leave out of the grants (least privilege),
   * by name or `<API>/<name>`. Kindo's app may still ask for them at sign-in; only an admin can then consent.
   * @default - none removed
   * @example { outlook: ['Mail.Send'] }
   */
  readonly removePermissions?: Readonly<Partial<Record<IntegrationId, readonly string[]>>>;
  /**
   * Per integration id: justified delegated permissions beyond the guide's list, added to the grants.
   * @default - none added
   */
  readonly addPermissions?: Readonly<Partial<Record<IntegrationId, readonly AddedPermission[]>>>;
  /**
   * Object IDs of the users or service principals that own the service principals, stored in lower
   * case, besides the identity that first applied each integration, recorded in state so that two
   * identities never remove each other (docs/entra-apps.md#owners).
   * @default - the identity that first applied the integration
   * @example ['8f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b']
   */
  readonly owners?: readonly string[];
  /**
   * Per integration id: consent given before Terraform (an administrator's organisation-wide consent,
   * groups assigned in Entra), imported instead of created, which Graph would refuse as a duplicate
   * (docs/kindo-saas.md#consent-given-before-terraform). `kindo-microsoft-integrations adopt --saas` prints it.
   * @default - nothing imported: every grant and group assignment is created
   * @example { teams: { servicePrincipalObjectId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', permissionGrantIds: { 'Microsoft Graph': 'xyz0AbCdEfGhIjKlMnOpQrStUvWx-AbCdEfGhIjKlMn' } } }
   */
  readonly existing?: Readonly<Partial<Record<IntegrationId, ExistingSaasConsent>>>;
}

/** What the stack holds for one Kindo SaaS integration. */
export interface KindoSaasIntegration {
  /** The integration's catalog entry. */
  readonly definition: IntegrationDefinition;
  /** Kindo's application (client) ID, in lower case. */
  readonly clientId: string;
  /** The enterprise application (service principal) of Kindo's app in this tenant. */
  readonly servicePrincipal: ServicePrincipal;
  /** Tenant-wide consent grants, one per API; none for Fabric (client credentials). */
  readonly permissionGrants: readonly ServicePrincipalDelegatedPermissionGrant[];
  /** The allowed groups' assignments (`for_each` over the group IDs), when groups are given. */
  readonly allowedGroups?: AppRoleAssignment;
  /** The APIs and delegated permissions granted: the catalog's, after removals and additions. */
  readonly apis: readonly CatalogApi[];
  /** How the grants differ from Kindo's guide. */
  readonly permissionDeviations: readonly PermissionDeviation[];
}

/** Tag on every service principal this construct manages, so that it can be found in the tenant. */
export const KINDO_SAAS_TAG = 'kindo-microsoft-integrations:saas';
const GRAPH = 'Microsoft Graph';

/** The guide's "keep a record of which Kindo integration uses each app", and what removing it does. */
function saasNotes(definition: IntegrationDefinition, deviations: readonly PermissionDeviation[]): string {
  // Named as the self-managed apps' notes name them, so that the HCL module computes both alike.
  const changed = deviations
    .map((d) => `${d.change === 'added' ? '+' : '-'}${d.api === GRAPH ? '' : `${d.api}/`}${d.permission}`)
    .join(' ');
  // Entra keeps at most 1024 characters of notes: cut before escaping, which Terraform undoes.
  return literal(
    (
      `${integrationNotes(definition.id, definition.displayName)}, Kindo SaaS: Kindo's app, consented by Terraform with kindo-microsoft-integrations. ` +
      `Removing the integration or destroying the stack deletes this enterprise application, revoking every consent and assignment it holds. ` +
      (changed ? `Deviates from Kindo's guide: ${changed}` : "Permissions as in Kindo's guide.")
    ).slice(0, 1024),
  );
}

/**
 * Kindo SaaS: Kindo's app registrations live in Kindo's tenant, and the first authorization of an
 * integration creates its service principal in this one. This construct creates that service
 * principal ahead of time for each integration — adopting it where someone connected before — with
 * the catalog's delegated permissions consented tenant-wide, who may connect, and a record of the
 * integration it serves, so that the platform team reviews all of it before anyone connects.
 *
 * Destroying the stack, or removing an integration, deletes the service principal, adopted or not,
 * and with it every consent grant and assignment it holds (docs/kindo-saas.md).
 *
 * The identity running Terraform needs `Application.ReadWrite.All` (or Cloud Application
 * Administrator): `Application.ReadWrite.OwnedBy` cannot create the service principal of an app in
 * another tenant (docs/terraform-identity.md).
 */
export class KindoSaasConsent extends Construct {
  /** Per integration, in the catalog's order. */
  public readonly integrations: readonly KindoSaasIntegration[];

  constructor(scope: Construct, id: string, props: KindoSaasConsentProps) {
    super(scope, id);
    const { clientIds, removePermissions = {}, addPermissions = {} } = props;
    const given = Object.keys(clientIds);
    checkSelection('clientIds', given);
    const selected = INTEGRATION_IDS.filter((i) => clientIds[i] !== undefined);
    const kindoClientIds = lowerClientIds(clientIds, selected);
    for (const [field, map] of [
      ['removePermissions', removePermissions],
      ['addPermissions', addPermissions],
    ] as const) {
      for (const key of Object.keys(map)) {
        if (!selected.includes(key as IntegrationId))
          throw settingNotApplicable(field, key, 'which is not in `clientIds`');
        if (field === 'removePermissions')
          validateRemovals(`removePermissions.${key}`, removePermissions[key as IntegrationId]);
        if (catalog()[key as IntegrationId].authFlow !== 'delegated') {
          throw settingNotApplicable(
            field,
            key,
            'which signs in with client credentials, where delegated permissions do not apply',
          );
        }
      }
    }
    const owners = props.owners && lowerGuids('owners', props.owners);
    checkWhoMayConnect(props, selected);
    checkExistingSaasConsentKeys(props.existing ?? {}, selected);

    this.integrations = selected.map((integration) =>
      this.consent(
        integration,
        kindoClientIds.get(integration)!,
        owners,
        props,
        removePermissions[integration],
        addPermissions[integration],
      ),
    );
    for (const made of this.integrations) {
      const integration = made.definition.id;
      importExistingSaasConsent(
        { ...made, integration },
        props.existing?.[integration],
        allowedGroupsOf(props, integration).groups,
      );
    }
  }

  private consent(
    integration: IntegrationId,
    clientId: string,
    owners: readonly string[] | undefined,
    options: WhoMayConnectOptions,
    remove: readonly string[] | undefined,
    add: readonly AddedPermission[] | undefined,
  ): KindoSaasIntegration {
    const definition = catalog()[integration];
    const scope = new Construct(this, integration);
    const { apis, deviations } = effectivePermissions(definition, remove, add);
    const servicePrincipal = new ServicePrincipal(scope, 'ServicePrincipal', {
      clientId,
      // Someone may have connected already: adopt that service principal rather than fail
      // (hashicorp/azuread 3.7; what destroy then does is in docs/kindo-saas.md).
      useExisting: true,
      owners: integrationOwners(scope, owners),
      notes: saasNotes(definition, deviations),
      tags: servicePrincipalTags(definition.id, KINDO_SAAS_TAG),
      appRoleAssignmentRequired: options.requireAssignment ?? false,
      // azuread 3.7 retries a 403 "the backing application … must in the local tenant" and a 400 "does not
      // reference a valid application object" as replication lag, until the create timeout (10 minutes
      // by default; service_principal_resource.go, RetryFunc). Kindo's app lives in Kindo's tenant, so
      // neither is lag there: a wrong identity or client ID fails after 3 minutes instead of 10.
      timeouts: { create: '3m' },
    });
    // Terraform ignores "//" keys in JSON configuration; the review report reads the deviations here.
    if (deviations.length > 0) writeRecord(servicePrincipal, 'deviations', deviations);
    const who = `Kindo SaaS integration '${definition.id}'`;
    const allowedGroups = assignAllowedGroups(scope, servicePrincipal, options, integration, who);
    // Client credentials never sign a user in, so Fabric has nothing to consent to.
    const delegated = definition.authFlow === 'delegated';
    const apiObjectIds = delegated ? requireDelegatedScopes(this, who, apis) : new Map<string, string>();
    const permissionGrants = delegated
      ? apis.map(
          (api) =>
            new ServicePrincipalDelegatedPermissionGrant(
              scope,
              `AdminConsent${api.name.replace(/[^A-Za-z0-9]/g, '')}`,
              {
                servicePrincipalObjectId: servicePrincipal.objectId,
                resourceServicePrincipalObjectId: apiObjectIds.get(api.name)!,
                claimValues: api.permissions.map((p) => p.name),
              },
            ),
        )
      : [];
    return {
      definition,
      clientId,
      servicePrincipal,
      permissionGrants,
      allowedGroups,
      apis: delegated ? apis : [],
      permissionDeviations: deviations,
    };
  }

  /** One selected integration. */
  public integration(integration: IntegrationId): KindoSaasIntegration | undefined {
    return this.integrations.find((i) => i.definition.id === integration);
  }

  /** The service principals' object IDs, per integration id. */
  public get servicePrincipalObjectIds(): Readonly<Partial<Record<IntegrationId, string>>> {
    return Object.fromEntries(this.integrations.map((i) => [i.definition.id, i.servicePrincipal.objectId]));
  }
}

/**
 * Kindo's client IDs by integration, checked and in lower case, as Graph returns them: azuread 3.7
 * replaces a service principal whose `client_id` it reads back in another case, on every apply
 * (docs/troubleshooting.md#upper-case-ids-replaced-on-every-apply). No client ID may serve two integrations.
 */
function lowerClientIds(
  clientIds: Readonly<Partial<Record<IntegrationId, string>>>,
  selected: readonly IntegrationId[],
): Map<IntegrationId, string> {
  const byIntegration = new Map<IntegrationId, string>();
  const byClientId = new Map<string, IntegrationId>();
  for (const integration of selected) {
    const clientId = lowerGuid(`clientIds.${integration}`, clientIds[integration]!);
    byIntegration.set(integration, clientId);
    if (isToken(clientId)) continue;
    const first = byClientId.get(clientId);
    if (first) throw duplicateClientId('clientIds', clientIds[integration]!, first, integration);
    byClientId.set(clientId, integration);
  }
  return byIntegration;
}

/** Two integrations given the same client ID: each would adopt the other's service principal and grants. */
export function duplicateClientId(field: string, value: string, first: string, second: string): KindoConfigError {
  return new KindoConfigError(
    'DUPLICATE_CLIENT_ID',
    `\`${field}\` gives integrations ${show(first)} and ${show(second)} the same client ID ${show(value)}; expected each integration's own client ID as Kindo publishes it (one service principal, and one set of grants, per integration)`,
  );
}
