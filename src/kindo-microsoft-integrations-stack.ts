import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { HttpProvider } from '@cdktf/provider-http/lib/provider';
import { TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { INTEGRATION_IDS, type IntegrationId } from './catalog';
import { KindoMicrosoftIntegrations } from './kindo-microsoft-integrations';
import { DEFAULT_NANGO_SERVER_URL } from './microsoft-integration-app';

/** Properties of {@link KindoMicrosoftIntegrationsStack}. */
export interface KindoMicrosoftIntegrationsStackProps {
  /**
   * The integrations the stack sets up.
   * @default - all 14 integrations of Kindo's guide
   */
  readonly integrations?: readonly IntegrationId[];
}

/**
 * The ready-made stack `main.ts` synthesizes: the azuread and http providers, Terraform variables
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
    new HttpProvider(this, 'http', {});

    const secretKey = new TerraformVariable(this, 'nango_secret_key', {
      type: 'string',
      sensitive: true,
      description: 'Nango secret key of the environment the integrations are registered in (Nango dashboard > Environment Settings).',
    });
    const serverUrl = new TerraformVariable(this, 'nango_server_url', {
      type: 'string',
      default: DEFAULT_NANGO_SERVER_URL,
      description: 'Base URL of the Nango API of your Kindo deployment.',
      validation: [
        {
          condition: '${can(regex("^(https://[^/?#]+|http://(127\\\\.0\\\\.0\\\\.1|localhost|\\\\[::1\\\\])(:[0-9]+)?)(/[^?#]*)?$", var.nango_server_url))}',
          errorMessage: 'nango_server_url must be an https:// URL without query or fragment (http:// only for 127.0.0.1, localhost or [::1]), e.g. "https://api.nango.dev".',
        },
      ],
    });

    const selected = props.integrations ?? INTEGRATION_IDS;
    this.integrations = new KindoMicrosoftIntegrations(this, 'Kindo', {
      integrations: selected,
      nango: { serverUrl: serverUrl.stringValue, secretKey: secretKey.stringValue },
    });

    new TerraformOutput(this, 'tenant_id', { value: this.integrations.apps[0].tenantId, description: 'Directory (tenant) ID of the apps.' });
    new TerraformOutput(this, 'integrations', {
      description: 'Per integration id: what Kindo and Nango need, and what to look for in Entra ID.',
      value: Object.fromEntries(
        this.integrations.apps.map((app) => [
          app.definition.id,
          {
            display_name: app.application.displayName,
            client_id: app.clientId,
            tenant_id: app.tenantId,
            application_object_id: app.application.objectId,
            service_principal_object_id: app.servicePrincipal.objectId,
            secret_key_id: app.clientSecret.keyId,
            secret_expires_at: app.clientSecret.endDate,
            // Fabric has neither: it signs in with client credentials and is not registered with Nango.
            ...(app.nangoRegistration
              ? { redirect_uri: app.redirectUri, nango_unique_key: app.nangoRegistration.uniqueKey, nango_provider: app.nangoRegistration.provider }
              : {}),
          },
        ]),
      ),
    });
    const fabric = this.integrations.app('fabric');
    if (fabric) {
      new TerraformOutput(this, 'fabric_connection', {
        description: "Values for Kindo's Microsoft Fabric connection form; the client secret is client_secrets.fabric.",
        value: {
          tenant_id: fabric.tenantId,
          client_id: fabric.clientId,
          ...(fabric.fabricSqlEndpointHost !== undefined ? { sql_endpoint_host: fabric.fabricSqlEndpointHost } : {}),
          ...(fabric.fabricLakehouseDatabase !== undefined ? { lakehouse_database: fabric.fabricLakehouseDatabase } : {}),
        },
      });
    }
    new TerraformOutput(this, 'client_secrets', {
      description: 'Client secret per integration id. Sensitive: read with `terraform output -json client_secrets`.',
      sensitive: true,
      value: Object.fromEntries(this.integrations.apps.map((app) => [app.definition.id, app.clientSecret.value])),
    });
  }
}
