import { Annotations, type TerraformResource } from 'cdktf';
import type { Construct } from 'constructs';
import type { CatalogApi, IntegrationDefinition } from '../catalog/catalog';
import { settingNotApplicable, checkGuid, checkPattern, isToken } from '../core/validate';
import type { ExistingApp, ExistingAppProps } from './existing-app';
import { KindoConfigError, show } from '../core/errors';
import { writeRecord } from '../core/review-contract';
import { IMPORT_IDS } from '../adopt/import-ids';

// Bringing an app registration made by hand from Kindo's guide under the stack (docs/adopting.md).

/** The flat app props of one `existingApps` entry. */
export function existingAppProps(app: ExistingApp | undefined): ExistingAppProps {
  if (!app) return {};
  return {
    existingApplicationObjectId: app.applicationObjectId,
    existingApplicationClientId: app.applicationClientId,
    existingServicePrincipalObjectId: app.servicePrincipalObjectId,
    existingPermissionGrantIds: app.permissionGrantIds,
    existingClientSecrets: app.clientSecrets,
  };
}

/** What the app's other resources read from an adopted app registration instead of from the resource being imported. */
export interface ExistingAppLookup {
  /** The application's import ID: literal for an object ID, the lookup's for a client ID. */
  readonly importId: string;
  /** `/applications/<object id>` as the lookup reads it at plan; a reference, so the review links the secret to the app. */
  readonly applicationId: string;
  /** Application (client) ID, known at plan. */
  readonly clientId: string;
  readonly props: ExistingAppProps;
}

// Graph's oauth2PermissionGrant ids are base64url text (docs/resources/service_principal_delegated_permission_grant.md's example).
export const GRANT_ID = /^[A-Za-z0-9_-]{1,128}$/;
const ADOPTION_FIELDS = [
  'existingServicePrincipalObjectId',
  'existingPermissionGrantIds',
  'existingClientSecrets',
] as const;

/** Checks the adoption settings of an app that adopts one (an object or client ID is given). */
function checkAdoption(definition: IntegrationDefinition, props: ExistingAppProps): void {
  const { existingApplicationObjectId: objectId, existingApplicationClientId: clientId } = props;
  if (objectId !== undefined && clientId !== undefined) throw adoptionConflict(definition.id, objectId, clientId);
  if (objectId !== undefined) checkGuid('existingApplicationObjectId', objectId);
  if (clientId !== undefined) checkGuid('existingApplicationClientId', clientId);
  if (props.existingServicePrincipalObjectId !== undefined)
    checkGuid('existingServicePrincipalObjectId', props.existingServicePrincipalObjectId);
  for (const [api, id] of Object.entries(props.existingPermissionGrantIds ?? {})) {
    checkPattern(
      `existingPermissionGrantIds['${api}']`,
      id,
      GRANT_ID,
      "an oauth2PermissionGrant id (base64url text) from `az rest --url 'https://graph.microsoft.com/v1.0/oauth2PermissionGrants?$filter=clientId eq ...'`",
    );
  }
  if (!isToken(props.existingClientSecrets))
    props.existingClientSecrets?.forEach((s, i) => {
      checkGuid(`existingClientSecrets[${i}].keyId`, s.keyId);
    });
}

const lower = (guid: string | undefined) => (guid === undefined || isToken(guid) ? guid : guid.toLowerCase());

/**
 * The adoption settings with their GUIDs in lower case, as Graph returns them: azuread compares IDs
 * as written, so an upper-case object ID would replace the client secret once the settings are removed.
 */
function lowerCased(props: ExistingAppProps): ExistingAppProps {
  const secrets = props.existingClientSecrets;
  return {
    ...props,
    existingApplicationObjectId: lower(props.existingApplicationObjectId),
    existingApplicationClientId: lower(props.existingApplicationClientId),
    existingServicePrincipalObjectId: lower(props.existingServicePrincipalObjectId),
    existingClientSecrets: isToken(secrets) ? secrets : secrets?.map((s) => ({ ...s, keyId: lower(s.keyId)! })),
  };
}

/**
 * Validates the adoption settings and looks the adopted app registration up, so that the client
 * secret and Nango get its IDs at plan; undefined when nothing is adopted.
 */
export function lookupExistingApp(
  scope: Construct,
  definition: IntegrationDefinition,
  given: ExistingAppProps,
): ExistingAppLookup | undefined {
  if (given.existingApplicationObjectId === undefined && given.existingApplicationClientId === undefined) {
    const stray = ADOPTION_FIELDS.find((f) => given[f] !== undefined);
    if (stray)
      throw settingNotApplicable(
        stray,
        definition.id,
        'which adopts no existing app registration (set existingApplicationObjectId or existingApplicationClientId)',
      );
    return undefined;
  }
  checkAdoption(definition, given);
  const props = lowerCased(given);
  const { existingApplicationObjectId: objectId, existingApplicationClientId: clientId } = props;
  Annotations.of(scope).addWarning(
    `integration '${definition.id}' adopts an existing app registration: remove its adoption settings once the first apply has imported it (docs/adopting.md#6-clean-up-and-re-plan)`,
  );
  // Read at plan, so its values are known when the import block and the secret need them. Loaded
  // only here: a stack that adopts nothing never needs the binding.
  const { DataAzureadApplication } =
    require('@cdktf/provider-azuread/lib/data-azuread-application') as typeof import('@cdktf/provider-azuread/lib/data-azuread-application');
  const lookup = new DataAzureadApplication(
    scope,
    'ExistingApplication',
    objectId !== undefined ? { objectId } : { clientId },
  );
  return {
    importId: objectId !== undefined ? IMPORT_IDS.application(objectId) : lookup.id,
    applicationId: lookup.id,
    clientId: lookup.clientId,
    props,
  };
}

/** The parts of a {@link MicrosoftIntegrationApp} an adoption touches. */
export interface AdoptedResources {
  readonly integration: string;
  readonly application: TerraformResource;
  readonly servicePrincipal: TerraformResource;
  /** Consent grants with the API each is for. */
  readonly grants: readonly { readonly api: CatalogApi; readonly grant: TerraformResource }[];
  /** What must happen first: the new client secret and, for delegated integrations, its push to Nango. */
  readonly secretHandover: readonly TerraformResource[];
}

/**
 * Emits the `import` blocks and orders the first apply: the new secret is created and pushed to
 * Nango before the app, its service principal or its consent grants change.
 */
export function importExistingApp(existing: ExistingAppLookup, adopted: AdoptedResources): void {
  const { props } = existing;
  const grantIds = props.existingPermissionGrantIds ?? {};
  for (const api of Object.keys(grantIds)) {
    if (!adopted.grants.some((g) => g.api.name === api)) {
      const apis = adopted.grants.map((g) => `'${g.api.name}'`);
      throw settingNotApplicable(
        `existingPermissionGrantIds['${api}']`,
        adopted.integration,
        apis.length > 0
          ? `which grants consent on ${apis.join(', ')} only`
          : 'which grants no admin consent (adminConsent is off, or client credentials)',
      );
    }
  }

  adopted.application.importFrom(existing.importId);
  if (props.existingServicePrincipalObjectId !== undefined) {
    adopted.servicePrincipal.importFrom(IMPORT_IDS.servicePrincipal(props.existingServicePrincipalObjectId));
  } else {
    // The portal creates the service principal at the first consent or sign-in; take it over if it is there.
    adopted.servicePrincipal.addOverride('use_existing', true);
  }
  for (const { api, grant } of adopted.grants) {
    const id = grantIds[api.name];
    if (id !== undefined) grant.importFrom(IMPORT_IDS.permissionGrant(id));
  }

  // depends_on takes bare addresses; `fqn` would write the "${...}" form Terraform rejects there.
  const first = adopted.secretHandover.map((r) => `${r.terraformResourceType}.${r.friendlyUniqueId}`);
  for (const r of [adopted.application, adopted.servicePrincipal, ...adopted.grants.map((g) => g.grant)]) {
    r.dependsOn = [...(r.dependsOn ?? []), ...first];
  }
  // Terraform ignores "//" keys; the review report's Adopted section reads this.
  writeRecord(adopted.application, 'adoption', {
    application:
      props.existingApplicationObjectId !== undefined
        ? { objectId: props.existingApplicationObjectId }
        : { clientId: props.existingApplicationClientId },
    servicePrincipalObjectId: props.existingServicePrincipalObjectId ?? null,
    permissionGrantIds: grantIds,
    handMadeSecrets: (props.existingClientSecrets ?? []).map((s) => ({
      keyId: s.keyId,
      expires: s.expires ?? null,
      description: s.description ?? null,
    })),
  });
}

/** Both an object ID and a client ID name the app registration to adopt. */
export function adoptionConflict(integration: string, objectId: string, clientId: string): KindoConfigError {
  return new KindoConfigError(
    'ADOPTION_CONFLICT',
    `integration '${integration}' names the app to adopt twice: \`existingApplicationObjectId\` is ${show(objectId)} and \`existingApplicationClientId\` is ${show(clientId)}; expected one of the two`,
    'docs/adopting.md#2-turn-it-into-settings',
  );
}

/**
 * An adopted delegated app without a decision on its Nango integration. Whoever set the app up by hand
 * from the guide also created its Nango integration (step 4), which apply refuses to touch unless taken over.
 */
export function adoptedAppWithoutNangoDecision(integration: string, field: string, fix: string): KindoConfigError {
  return new KindoConfigError(
    'ADOPTED_APP_WITHOUT_NANGO_DECISION',
    `integration '${integration}' adopts an app made by hand, but \`${field}\` does not say whether its Nango integration is taken over; expected ${fix}`,
    'docs/adopting.md#the-nango-decision-is-never-implicit',
  );
}
