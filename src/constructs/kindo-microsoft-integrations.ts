import { Fn, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { INTEGRATION_IDS, catalog, type IntegrationId } from '../catalog/catalog';
import { adoptedAppWithoutNangoDecision, existingAppProps } from './existing-app-import';
import { checkIntegrationId, checkSelection } from '../catalog/selection';
import { isToken, settingNotApplicable } from '../core/validate';
import { validateRemovals } from './admin-consent';
import type { AddedPermission } from '../catalog/permission-changes';
import {
  MicrosoftIntegrationApp,
  NANGO_REGISTRATION_ID,
  type MicrosoftIntegrationAppOptions,
} from './microsoft-integration-app';
import { NangoRegistration } from '../nango/nango-registration';
import { allowedGroupsOf, checkWhoMayConnect } from './who-may-connect';
import type { ExistingApp } from './existing-app';
import { KindoConfigError } from '../core/errors';
import { type ShapesOf, checkShapes } from '../core/shape';
import { ADDED_PERMISSION, EXISTING_APP, OPTIONS, stringMap, strings } from './prop-shapes';

/** Properties of {@link KindoMicrosoftIntegrations}. */
export interface KindoMicrosoftIntegrationsProps extends MicrosoftIntegrationAppOptions {
  /**
   * The integrations to set up, by id; each gets its own app registration.
   * @example ['teams', 'sharepoint-online', 'fabric']
   */
  readonly integrations: readonly IntegrationId[];
  /**
   * Nango unique key per integration id.
   * @default - `kindo-<integration id>` for each
   * @example { teams: 'teams-prod' }
   */
  readonly nangoUniqueKeys?: Readonly<Partial<Record<IntegrationId, string>>>;
  /**
   * Nango provider key per integration id (an OAUTH2 provider of @nangohq/providers).
   * @default - 'microsoft-tenant-specific' for each
   * @example { teams: 'microsoft-teams' }
   */
  readonly nangoProviders?: Readonly<Partial<Record<IntegrationId, string>>>;
  /**
   * Selected delegated integrations whose Nango integration exists already, outside this Terraform
   * state, and is to be taken over (see `MicrosoftIntegrationApp`'s `adoptExistingNangoIntegration`).
   * May be a token list (e.g. a `TerraformVariable`'s `listValue`), looked up per integration at plan.
   * @default - none: apply fails on an existing integration, naming its key
   * @example ['teams']
   */
  readonly adoptExistingNangoIntegrations?: readonly IntegrationId[];
  /**
   * Per integration id: integration-specific fields registered with Nango (see
   * `MicrosoftIntegrationApp`'s `nangoFields`); each integration's `tenant_id` defaults to the app's tenant.
   * @default - only `tenant_id` for each
   * @example { 'purview-data-governance': { purview_endpoint: 'https://contoso.purview.azure.com' } }
   */
  readonly nangoFields?: Readonly<Partial<Record<IntegrationId, Readonly<Record<string, string>>>>>;
  /**
   * Per integration id: permissions of the guide's list to leave out (see `MicrosoftIntegrationApp`'s `removePermissions`).
   * @default - none removed
   * @example { outlook: ['Mail.Send'] }
   */
  readonly removePermissions?: Readonly<Partial<Record<IntegrationId, readonly string[]>>>;
  /**
   * Per integration id: justified delegated permissions beyond the guide's list.
   * @default - none added
   */
  readonly addPermissions?: Readonly<Partial<Record<IntegrationId, readonly AddedPermission[]>>>;
  /**
   * Microsoft Fabric's Lakehouse SQL endpoint, `host,port`, passed to its outputs for Kindo's form.
   * @default - not passed through
   * @example 'foo.datawarehouse.fabric.microsoft.com,1433'
   */
  readonly fabricSqlEndpointHost?: string;
  /**
   * Microsoft Fabric's Lakehouse database name, passed to its outputs for Kindo's form.
   * @default - not passed through
   */
  readonly fabricLakehouseDatabase?: string;
  /**
   * Per integration id: an app registration set up by hand to adopt (import) instead of creating one
   * (docs/adopting.md; `npx kindo-microsoft-integrations adopt` writes this from `az` output).
   * @default - every app registration is created
   * @example { teams: { applicationClientId: '6e5d4c3b-2a19-4f08-8e7d-6c5b4a392817', servicePrincipalObjectId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' } }
   */
  readonly existingApps?: Readonly<Partial<Record<IntegrationId, ExistingApp>>>;
}

const NANGO_ONLY = 'which is not registered with Nango (client credentials)';
const DELEGATED_ONLY = 'which signs in with client credentials, where delegated permissions do not apply';
const delegated = (id: IntegrationId) => catalog()[id].authFlow === 'delegated';

/**
 * The integrations whose Nango integration is taken over, by id; a token list (e.g. a Terraform
 * variable, as in the HCL module) is looked up per integration at plan instead.
 */
function validateAdoptedNango(list: readonly IntegrationId[]): Partial<Record<string, boolean>> {
  if (isToken(list)) return {};
  return Object.fromEntries(
    list.map((integration, i) => {
      checkIntegrationId(`adoptExistingNangoIntegrations[${i}]`, integration);
      return [integration, true];
    }),
  );
}

/** Refuses per-integration entries for integrations that are not selected or do not take the setting. */
function validatePerIntegration(
  props: KindoMicrosoftIntegrationsProps,
  selected: ReadonlySet<string>,
  adopt: Partial<Record<string, boolean>>,
): void {
  const perIntegration = [
    ['nangoUniqueKeys', props.nangoUniqueKeys, NANGO_ONLY],
    ['adoptExistingNangoIntegrations', adopt, NANGO_ONLY],
    ['nangoProviders', props.nangoProviders, NANGO_ONLY],
    ['nangoFields', props.nangoFields, NANGO_ONLY],
    ['removePermissions', props.removePermissions, DELEGATED_ONLY],
    ['addPermissions', props.addPermissions, DELEGATED_ONLY],
  ] as const;
  for (const [field, map, reason] of perIntegration) {
    for (const key of Object.keys(map ?? {})) {
      if (!selected.has(key)) throw settingNotApplicable(field, key, 'which is not in `integrations`');
      if (!delegated(key as IntegrationId)) throw settingNotApplicable(field, key, reason);
    }
  }
  for (const [key, remove] of Object.entries(props.removePermissions ?? {}))
    validateRemovals(`removePermissions.${key}`, remove);
  if (!selected.has('fabric')) {
    const fabric = props.fabricSqlEndpointHost !== undefined ? 'fabricSqlEndpointHost' : 'fabricLakehouseDatabase';
    if (props[fabric] !== undefined) throw settingNotApplicable(fabric, 'fabric', 'which is not in `integrations`');
  }
}

/** Each adopted app belongs to a selected integration, and a delegated one says whether its Nango integration is taken over. */
function validateExistingApps(
  props: KindoMicrosoftIntegrationsProps,
  selected: ReadonlySet<string>,
  adopt: Partial<Record<string, boolean>>,
): void {
  for (const key of Object.keys(props.existingApps ?? {})) {
    if (!selected.has(key)) throw settingNotApplicable('existingApps', key, 'which is not in `integrations`');
    // Listing is always safe: the take-over creates the Nango integration when there is none under the key.
    if (!isToken(props.adoptExistingNangoIntegrations) && delegated(key as IntegrationId) && !adopt[key]) {
      throw adoptedAppWithoutNangoDecision(
        key,
        'adoptExistingNangoIntegrations',
        `'${key}' in adoptExistingNangoIntegrations, with nangoUniqueKeys giving the unique key of that Nango integration unless it is 'kindo-${key}'`,
      );
    }
  }
}

/** `KindoMicrosoftIntegrationsProps`. */
const INTEGRATIONS_PROP_SHAPES: ShapesOf<KindoMicrosoftIntegrationsProps> = {
  ...OPTIONS,
  integrations: strings,
  nangoUniqueKeys: stringMap,
  nangoProviders: stringMap,
  adoptExistingNangoIntegrations: strings,
  nangoFields: { map: stringMap },
  removePermissions: { map: strings },
  addPermissions: { map: { list: { object: ADDED_PERMISSION } } },
  fabricSqlEndpointHost: 'string',
  fabricLakehouseDatabase: 'string',
  existingApps: { map: { object: EXISTING_APP } },
};

/**
 * Sets up a chosen set of Kindo's Microsoft integrations: one {@link MicrosoftIntegrationApp} per
 * integration id, sharing the stack's lookups of the tenant and of each Microsoft API.
 */
export class KindoMicrosoftIntegrations extends Construct {
  /** The integration apps, in the order selected. */
  public readonly apps: readonly MicrosoftIntegrationApp[];

  constructor(scope: Construct, id: string, props: KindoMicrosoftIntegrationsProps) {
    super(scope, id);
    checkShapes(props, INTEGRATIONS_PROP_SHAPES);
    const { integrations } = props;
    checkSelection('integrations', integrations, (i) => `integrations[${i}]`);
    const selected = new Set<string>(integrations);
    const adopt = validateAdoptedNango(props.adoptExistingNangoIntegrations ?? []);
    validatePerIntegration(props, selected, adopt);
    validateExistingApps(props, selected, adopt);
    // Checked here, where the selection is known, so a per-integration map names its entry.
    checkWhoMayConnect(props, integrations);

    this.apps = integrations.map((integration) => this.createApp(integration, props, adopt));
    // An integration dropped from the selection is deleted from Nango by the next apply.
    for (const integration of INTEGRATION_IDS) {
      if (!selected.has(integration) && delegated(integration))
        NangoRegistration.removed(new Construct(this, integration), NANGO_REGISTRATION_ID);
    }
    // Unique keys can clash across several KindoMicrosoftIntegrations in one stack: checked at synth.
    this.node.addValidation({ validate: () => this.clashingUniqueKeys() });
  }

  /** The app of one selected integration. */
  public app(integration: IntegrationId): MicrosoftIntegrationApp | undefined {
    return this.apps.find((a) => a.definition.id === integration);
  }

  /** One integration's app, with its entries of the per-integration settings. */
  private createApp(
    integration: IntegrationId,
    props: KindoMicrosoftIntegrationsProps,
    adopt: Partial<Record<string, boolean>>,
  ): MicrosoftIntegrationApp {
    const {
      integrations: _integrations,
      nangoUniqueKeys = {},
      nangoProviders = {},
      adoptExistingNangoIntegrations,
      nangoFields = {},
      removePermissions = {},
      addPermissions = {},
      fabricSqlEndpointHost,
      fabricLakehouseDatabase,
      existingApps = {},
      ...options
    } = props;
    const adoptList = isToken(adoptExistingNangoIntegrations) ? adoptExistingNangoIntegrations : undefined;
    return new MicrosoftIntegrationApp(this, integration, {
      ...options,
      integration,
      allowedGroups: allowedGroupsOf(options, integration).groups,
      nangoUniqueKey: nangoUniqueKeys[integration],
      nangoProvider: nangoProviders[integration],
      adoptExistingNangoIntegration:
        adoptList && delegated(integration)
          ? (Token.asAny(Fn.contains(adoptList, integration)) as unknown as boolean)
          : adopt[integration],
      nangoFields: nangoFields[integration],
      removePermissions: removePermissions[integration],
      addPermissions: addPermissions[integration],
      ...existingAppProps(existingApps[integration]),
      ...(integration === 'fabric' ? { fabricSqlEndpointHost, fabricLakehouseDatabase } : {}),
    });
  }

  private clashingUniqueKeys(): string[] {
    const owners = new Map<string, string>();
    const errors: string[] = [];
    for (const app of TerraformStack.of(this).node.findAll()) {
      if (!(app instanceof MicrosoftIntegrationApp) || !app.nangoRegistration) continue;
      const key = app.nangoRegistration.uniqueKey;
      if (isToken(key)) continue;
      const first = owners.get(key);
      if (first !== undefined && this.apps.includes(app))
        errors.push(duplicateNangoUniqueKey(key, first, app.definition.id).message);
      if (first === undefined) owners.set(key, app.definition.id);
    }
    return errors;
  }
}

/** Two integrations registered under one Nango unique key. */
export function duplicateNangoUniqueKey(key: string, first: string, second: string): KindoConfigError {
  return new KindoConfigError(
    'DUPLICATE_NANGO_UNIQUE_KEY',
    `Nango unique key '${key}' is used by integrations '${first}' and '${second}' in one stack; expected a distinct key per integration (set \`nangoUniqueKeys\`)`,
  );
}
