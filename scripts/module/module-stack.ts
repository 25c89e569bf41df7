import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { type App, ref, TerraformStack, Token } from 'cdktf';
import { INTEGRATION_IDS, catalog, type IntegrationId } from '../../src/catalog/catalog';
import {
  KindoMicrosoftIntegrations,
  type KindoMicrosoftIntegrationsProps,
} from '../../src/constructs/kindo-microsoft-integrations';
import { integrationEntry } from './permissions';

// The stack that scripts/generate-module.ts folds into the main module: every integration, built by
// the constructs from references to the module's hand-written inputs and locals (variables.tf,
// locals.tf) in place of values, so that each body reads them as the module's blocks do.

/** Construct id of the integrations in the module's stack. */
export const CONSTRUCT_ID = 'Kindo';
const DELEGATED = INTEGRATION_IDS.filter((id) => catalog()[id].authFlow === 'delegated');

const byId = <T>(ids: readonly string[], value: (id: string) => T) =>
  Object.fromEntries(ids.map((id) => [id, value(id)]));

/** The constructs' props, each a reference to the module's input or local that holds it. */
function moduleProps(stack: TerraformStack): KindoMicrosoftIntegrationsProps {
  const value = (expression: string) => ref(expression, stack);
  const text = (expression: string) => Token.asString(value(expression));
  const of = (id: string, attribute: string) => `${integrationEntry(id)}.${attribute}`;
  return {
    integrations: INTEGRATION_IDS,
    requireAssignment: Token.asAny(value('var.require_assignment')) as unknown as boolean,
    allowedGroups: byId(INTEGRATION_IDS, (id) => Token.asList(value(of(id, 'allowed_groups')))),
    nango: {
      serverUrl: text('var.nango_server_url'),
      callbackUrl: text('local.nango_callback_url'),
      secretKey: text('var.nango_secret_key'),
      environment: text('var.nango_environment'),
    },
    namePrefix: text('var.name_prefix'),
    secretLifetimeDays: Token.asNumber(value('var.secret_lifetime_days')),
    secretRotation: text('var.secret_rotation'),
    secretExpiryWarningDays: Token.asNumber(value('var.secret_expiry_warning_days')),
    owners: Token.asList(value('local.owners')),
    tenantId: text('local.tenant_id'),
    nangoUniqueKeys: byId(DELEGATED, (id) => text(of(id, 'nango_unique_key'))),
    nangoProviders: byId(DELEGATED, (id) => text(of(id, 'nango_provider'))),
    nangoFields: byId(DELEGATED, (id) => Token.asStringMap(value(of(id, 'nango_fields')))),
    preventDuplicateNames: Token.asAny(value('var.prevent_duplicate_names')) as unknown as boolean,
    adoptExistingNangoIntegrations: Token.asList(value('local.nango_adoptions')) as IntegrationId[],
    fabricSqlEndpointHost: text('var.fabric_sql_endpoint_host'),
    fabricLakehouseDatabase: text('var.fabric_lakehouse_database'),
  };
}

/** Builds every integration from the module's inputs; returns the stack. */
export function moduleStack(app: App, id: string): TerraformStack {
  const stack = new TerraformStack(app, id);
  // Only for cdktf's synth-time checks; the provider block is not part of the module.
  new AzureadProvider(stack, 'azuread', {});
  const kindo = new KindoMicrosoftIntegrations(stack, CONSTRUCT_ID, moduleProps(stack));
  for (const integration of kindo.apps) {
    // The constructs take the audience as a value known at synth; the module, as an input.
    integration.application.addOverride('sign_in_audience', '${var.sign_in_audience}');
    // As the constructs do for an adopted app without its service principal's ID: the portal made one
    // at the first consent, and creating another fails.
    integration.servicePrincipal.addOverride(
      'use_existing',
      `\${${integrationEntry(integration.definition.id)}.use_existing_service_principal}`,
    );
  }
  return stack;
}
