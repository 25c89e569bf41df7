import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { TerraformOutput, TerraformStack, TerraformVariable, Token } from 'cdktf';
import type { Construct } from 'constructs';
import { INTEGRATION_IDS, catalog, type IntegrationId } from '../catalog/catalog';
import { checkSelection } from '../catalog/selection';
import { attribute, call, variableExpression, variableValue } from '../core/hcl-expression';
import { KindoMicrosoftIntegrations } from './kindo-microsoft-integrations';
import { clientIdentity } from './stack-lookups';
import { DEFAULT_NANGO_SERVER_URL } from './microsoft-integration-app';
import {
  NANGO_ENVIRONMENT_VARIABLE,
  NANGO_SECRET_KEY_ENV,
  NANGO_SECRET_KEY_VALIDATION,
  NANGO_SERVER_URL_VALIDATION,
} from '../nango/nango-variables';
import { NANGO_FIELDS_DESCRIPTION, nangoFieldsValidation } from '../nango/nango-fields';
import type { KindoAdoption } from '../adopt/adoption-file';

// The default stack reads its adoption file with these (main.ts).
export { adoptionFromFile, EXISTING_APPS_ENV, type KindoAdoption } from '../adopt/adoption-file';

/**
 * What the `prevent_duplicate_names` variable of the default stack and of the HCL module does, and
 * what to do when azuread stops on it (its message: internal/helpers/tf/errors.go,
 * `ImportAsDuplicateDiag`, of hashicorp/terraform-provider-azuread).
 */
export const PREVENT_DUPLICATE_NAMES_DESCRIPTION =
  'Stop when an app registration with the same display name exists already (azuread\'s prevent_duplicate_names, checked at plan and again at apply). Kindo\'s guide suggests the same names as this package, so apps set up by hand from it are found: when the plan stops with \'An existing "azuread_application" with name "…" (ID: "…") was found and `prevent_duplicate_names` was specified\', adopt those apps instead (docs/adopting.md), or set false to create a second app of the same name.';

/** The environment variable the default app (`main.ts`) reads the integrations from. */
export const INTEGRATIONS_ENV = 'KINDO_INTEGRATIONS';

/**
 * The integrations named in {@link INTEGRATIONS_ENV}: ids separated by commas or spaces, or `all`.
 * Unset means all 14; anything else that is not a list of known ids, each once, is refused.
 *
 * @example integrationsFromEnvironment('teams, outlook') // ['teams', 'outlook']
 */
export function integrationsFromEnvironment(value: string | undefined): readonly IntegrationId[] {
  if (value === undefined || value.trim() === 'all') return INTEGRATION_IDS;
  const ids = value.split(/[\s,]+/).filter((id) => id !== '');
  checkSelection(INTEGRATIONS_ENV, ids);
  return ids;
}

/** Properties of {@link KindoMicrosoftIntegrationsStack}. */
export interface KindoMicrosoftIntegrationsStackProps {
  /**
   * The integrations the stack sets up.
   * @default - all 14 integrations of Kindo's guide
   */
  readonly integrations?: readonly IntegrationId[];
  /**
   * App registrations and Nango integrations made by hand to take over (docs/adopting.md).
   * @default - nothing adopted
   */
  readonly adoption?: KindoAdoption;
}

/**
 * The ready-made stack `main.ts` synthesizes: the azuread provider, Terraform variables
 * for everything an operator supplies (the Nango secret key is sensitive and has no default), the
 * chosen integrations, and outputs keyed by integration id.
 */
export class KindoMicrosoftIntegrationsStack extends TerraformStack {
  /** The integrations construct. */
  public readonly integrations: KindoMicrosoftIntegrations;

  constructor(scope: Construct, id: string, props: KindoMicrosoftIntegrationsStackProps = {}) {
    super(scope, id);
    // Provider settings (tenant, credentials) come from the environment: ARM_TENANT_ID, ARM_CLIENT_ID, OIDC, az login.
    new AzureadProvider(this, 'azuread', {});

    const { secretKey, serverUrl, environment } = this.nangoVariables();

    const preventDuplicateNames = new TerraformVariable(this, 'prevent_duplicate_names', {
      type: 'bool',
      nullable: false,
      default: true,
      description: PREVENT_DUPLICATE_NAMES_DESCRIPTION,
    });

    const selected = props.integrations ?? INTEGRATION_IDS;
    const fabric = selected.includes('fabric') ? this.fabricVariables() : {};
    const registered = selected.filter((id) => catalog()[id].authFlow === 'delegated');
    const fields = registered.length > 0 ? this.nangoFieldsVariable(registered) : undefined;
    this.integrations = new KindoMicrosoftIntegrations(this, 'Kindo', {
      integrations: selected,
      nango: {
        serverUrl: variableValue(serverUrl),
        secretKey: variableValue(secretKey),
        environment: variableValue(environment),
      },
      preventDuplicateNames: Token.asAny(variableExpression(preventDuplicateNames)) as unknown as boolean,
      nangoFields: fields && this.nangoFieldsById(fields, registered),
      ...props.adoption,
      ...fabric,
    });

    this.addOutputs();
  }

  /** The Nango connection's variables: the secret key (ephemeral), the server URL and the environment's name. */
  private nangoVariables(): {
    secretKey: TerraformVariable;
    serverUrl: TerraformVariable;
    environment: TerraformVariable;
  } {
    const secretKey = new TerraformVariable(this, 'nango_secret_key', {
      type: 'string',
      sensitive: true,
      description: `Nango secret key of the environment the integrations are registered in (Nango dashboard > Environment Settings). Ephemeral: kept out of state and plans; destroy-time requests read it from the environment variable ${NANGO_SECRET_KEY_ENV}.`,
      validation: NANGO_SECRET_KEY_VALIDATION,
    });
    // Ephemeral input variables (Terraform >= 1.10) are never persisted; cdktf 0.21 has no option for it.
    secretKey.addOverride('ephemeral', true);
    this.addOverride('terraform.required_version', '>= 1.10');
    const serverUrl = new TerraformVariable(this, 'nango_server_url', {
      type: 'string',
      default: DEFAULT_NANGO_SERVER_URL,
      description: 'Base URL of the Nango API of your Kindo deployment.',
      validation: NANGO_SERVER_URL_VALIDATION,
    });

    const environment = new TerraformVariable(this, 'nango_environment', NANGO_ENVIRONMENT_VARIABLE);
    return { secretKey, serverUrl, environment };
  }

  /** Outputs keyed by integration id: what Kindo, Nango and an operator need after apply. */
  private addOutputs(): void {
    new TerraformOutput(this, 'tenant_id', {
      value: clientIdentity(this).tenantId,
      description: 'Directory (tenant) ID of the apps.',
    });
    new TerraformOutput(this, 'integrations', {
      description: 'Per integration id: what Kindo and Nango need, and what to look for in Entra ID.',
      value: Object.fromEntries(
        this.integrations.apps.map((app) => [
          app.definition.id,
          {
            display_name: attribute(app.application, 'display_name'),
            client_id: attribute(app.application, 'client_id'),
            tenant_id: clientIdentity(this).tenantId,
            application_object_id: attribute(app.application, 'object_id'),
            service_principal_object_id: attribute(app.servicePrincipal, 'object_id'),
            secret_key_id: attribute(app.clientSecret, 'key_id'),
            secret_expires_at: attribute(app.clientSecret, 'end_date'),
            // Fabric has neither: it signs in with client credentials and is not registered with Nango.
            ...(app.nangoRegistration
              ? {
                  redirect_uri: app.redirectUri,
                  nango_unique_key: app.nangoRegistration.uniqueKey,
                  nango_provider: app.nangoRegistration.provider,
                  nango_fields: app.nangoRegistration.fields,
                }
              : {}),
          },
        ]),
      ),
    });
    const fabricApp = this.integrations.app('fabric');
    if (fabricApp) {
      new TerraformOutput(this, 'fabric_connection', {
        description: "Values for Kindo's Microsoft Fabric connection form; the client secret is client_secrets.fabric.",
        value: {
          tenant_id: clientIdentity(this).tenantId,
          client_id: attribute(fabricApp.application, 'client_id'),
          ...(fabricApp.fabricSqlEndpointHost !== undefined
            ? { sql_endpoint_host: fabricApp.fabricSqlEndpointHost }
            : {}),
          ...(fabricApp.fabricLakehouseDatabase !== undefined
            ? { lakehouse_database: fabricApp.fabricLakehouseDatabase }
            : {}),
        },
      });
    }
    new TerraformOutput(this, 'client_secrets', {
      description: 'Client secret per integration id. Sensitive: read with `terraform output -json client_secrets`.',
      sensitive: true,
      value: Object.fromEntries(
        this.integrations.apps.map((app) => [app.definition.id, attribute(app.clientSecret, 'value')]),
      ),
    });
  }

  /**
   * The guide's integration-specific fields per integration id, registered with Nango: a Terraform
   * variable, as in the HCL module, so that tfvars or TF_VAR_nango_fields set them without code and
   * the plan checks them with the constructs' rules and messages.
   */
  private nangoFieldsVariable(registered: readonly IntegrationId[]): TerraformVariable {
    return new TerraformVariable(this, 'nango_fields', {
      type: 'map(map(string))',
      nullable: false,
      default: {},
      description: NANGO_FIELDS_DESCRIPTION,
      validation: [
        {
          condition: `\${length(setsubtract(keys(var.nango_fields), ${JSON.stringify(registered)})) == 0}`,
          errorMessage: `nango_fields has entries for \${join(", ", setsubtract(keys(var.nango_fields), ${JSON.stringify(registered)}))}; expected fields only for this stack's integrations registered with Nango (${INTEGRATIONS_ENV}): ${registered.join(', ')}.`,
        },
        ...nangoFieldsValidation('nango_fields'),
      ],
    });
  }

  /** Each integration's entry of `nango_fields`. */
  private nangoFieldsById(
    fields: TerraformVariable,
    registered: readonly IntegrationId[],
  ): Record<string, Record<string, string>> {
    const all = variableValue(fields);
    return Object.fromEntries(registered.map((id) => [id, Token.asStringMap(call('lookup', all, id, {}))]));
  }

  /** Kindo's Fabric form values, passed through to `fabric_connection`; null when entered in the form by hand. */
  private fabricVariables(): { fabricSqlEndpointHost: string; fabricLakehouseDatabase: string } {
    const host = new TerraformVariable(this, 'fabric_sql_endpoint_host', {
      type: 'string',
      default: Token.nullValue(),
      description:
        'Microsoft Fabric Lakehouse SQL endpoint as host,port (e.g. "foo.datawarehouse.fabric.microsoft.com,1433"), for the fabric_connection output; unset to leave it out.',
      validation: [
        {
          condition:
            '${var.fabric_sql_endpoint_host == null || can(regex("^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?,[0-9]{1,5}$", var.fabric_sql_endpoint_host))}',
          errorMessage:
            'fabric_sql_endpoint_host must be host,port, e.g. "foo.datawarehouse.fabric.microsoft.com,1433", or unset.',
        },
      ],
    });
    const database = new TerraformVariable(this, 'fabric_lakehouse_database', {
      type: 'string',
      default: Token.nullValue(),
      description: 'Microsoft Fabric Lakehouse database name, for the fabric_connection output; unset to leave it out.',
      validation: [
        {
          condition:
            '${var.fabric_lakehouse_database == null || can(regex("^[^\\\\s\\\\[\\\\];\'\\"]([^\\\\[\\\\];\'\\"]{0,126}[^\\\\s\\\\[\\\\];\'\\"])?$", var.fabric_lakehouse_database))}',
          errorMessage:
            'fabric_lakehouse_database must be a database name of 1 to 128 characters without brackets, quotes or semicolons, or unset.',
        },
      ],
    });
    return { fabricSqlEndpointHost: variableValue(host), fabricLakehouseDatabase: variableValue(database) };
  }
}
