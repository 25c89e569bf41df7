import { Application } from '@cdktf/provider-azuread/lib/application';
import { ApplicationPasswordA as ApplicationPassword } from '@cdktf/provider-azuread/lib/application-password';
import { DataAzureadClientConfig } from '@cdktf/provider-azuread/lib/data-azuread-client-config';
import { DataAzureadServicePrincipal } from '@cdktf/provider-azuread/lib/data-azuread-service-principal';
import { DataAzureadServicePrincipals } from '@cdktf/provider-azuread/lib/data-azuread-service-principals';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { ServicePrincipal } from '@cdktf/provider-azuread/lib/service-principal';
import { ServicePrincipalDelegatedPermissionGrant } from '@cdktf/provider-azuread/lib/service-principal-delegated-permission-grant';
import { Fn, TerraformOutput, TerraformStack, TerraformVariable, Token } from 'cdktf';
import type { Construct } from 'constructs';
import { INTEGRATION_IDS, catalog } from '../../src/catalog/catalog';
import { TerraformData } from '../../src/core/terraform-data';

/**
 * The bench's naive baseline: the default stack's resource shapes (provider, variables, the shared
 * lookups, per integration an application, service principal, secret, consent grants and two
 * `terraform_data` with provisioners, the outputs) written plainly with the azuread binding classes,
 * reading attributes where they are used, and nothing else: no validation, no preflight conditions,
 * no checks, no annotations. What the default stack costs beyond it is the package's own.
 */
export class NaiveStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AzureadProvider(this, 'azuread', {});
    const secretKey = new TerraformVariable(this, 'nango_secret_key', { type: 'string', sensitive: true });
    const serverUrl = new TerraformVariable(this, 'nango_server_url', {
      type: 'string',
      default: 'https://api.nango.dev',
    });
    const config = new DataAzureadClientConfig(this, 'ClientConfig');
    const definitions = catalog();
    const apis = new Map<string, DataAzureadServicePrincipal>();
    const presence = new DataAzureadServicePrincipals(this, 'ApiPresence', { clientIds: [], ignoreMissing: true });
    const outputs: Record<string, unknown> = {};
    const secrets: Record<string, string> = {};
    for (const integration of INTEGRATION_IDS) {
      const definition = definitions[integration];
      const delegated = definition.authFlow === 'delegated';
      const application = new Application(this, `${integration}-application`, {
        displayName: `Kindo - ${definition.displayName}`,
        preventDuplicateNames: true,
        signInAudience: 'AzureADMyOrg',
        owners: [config.objectId],
        notes: `Kindo integration '${definition.id}' (${definition.displayName}), managed by Terraform.`,
        web: delegated ? { redirectUris: [`${Fn.trimsuffix(serverUrl.stringValue, '/')}/oauth/callback`] } : undefined,
        requiredResourceAccess: definition.apis.map((api) => ({
          resourceAppId: api.resourceAppId,
          resourceAccess: api.permissions.map((p) => ({ id: p.id, type: 'Scope' })),
        })),
      });
      const servicePrincipal = new ServicePrincipal(this, `${integration}-service-principal`, {
        clientId: application.clientId,
        owners: [config.objectId],
        notes: `Kindo integration '${definition.id}'`,
      });
      const secret = new ApplicationPassword(this, `${integration}-secret`, {
        applicationId: application.id,
        displayName: 'Kindo integration',
        endDate: Fn.timeadd(Fn.plantimestamp(), '4320h'),
        lifecycle: { createBeforeDestroy: true, ignoreChanges: ['end_date'] },
      });
      for (const api of definition.apis) {
        const id = `api-${api.name.replace(/[^A-Za-z0-9]/g, '')}`;
        const lookup =
          apis.get(id) ??
          new DataAzureadServicePrincipal(this, id, {
            clientId: api.resourceAppId,
            count: Token.asNumber(
              `\${contains(${presence.fqn}.service_principals[*].client_id, "${api.resourceAppId}") ? 1 : 0}`,
            ),
          });
        apis.set(id, lookup);
        if (delegated) {
          new ServicePrincipalDelegatedPermissionGrant(this, `${integration}-consent-${id}`, {
            servicePrincipalObjectId: servicePrincipal.objectId,
            resourceServicePrincipalObjectId: `\${${lookup.fqn}[0].object_id}`,
            claimValues: api.permissions.map((p) => p.name),
          });
        }
      }
      if (delegated) {
        const scopes = definition.apis.flatMap((api) => api.permissions.map((p) => p.name)).join(',');
        const body = Fn.sensitive(
          Fn.jsonencode({
            unique_key: `kindo-${integration}`,
            provider: definition.nangoProvider,
            display_name: definition.displayName,
            credentials: { type: 'OAUTH2', client_id: application.clientId, client_secret: secret.value, scopes },
            custom: { tenant_id: config.tenantId },
          }),
        );
        const environment = {
          KINDO_INTEGRATION: integration,
          NANGO_SERVER_URL: Fn.trimsuffix(serverUrl.stringValue, '/'),
          NANGO_SECRET_KEY: Fn.sensitive(secretKey.stringValue),
          NANGO_CLIENT_SECRET: Fn.sensitive(secret.value),
          NANGO_BODY: body,
        };
        const registration = new TerraformData(this, `${integration}-nango-registration`, {
          input: { unique_key: `kindo-${integration}` },
          provisioners: [
            { type: 'local-exec', command: 'sh nango-registration.sh claim', environment },
            {
              type: 'local-exec',
              when: 'destroy',
              command: 'sh nango-registration.sh delete',
              environment: { KINDO_INTEGRATION: integration },
            },
          ],
          lifecycle: { createBeforeDestroy: true },
        });
        new TerraformData(this, `${integration}-nango-sync`, {
          dependsOn: [registration],
          triggersReplace: { client_id: application.clientId, key_id: secret.keyId, scopes },
          provisioners: [{ type: 'local-exec', command: 'sh nango-registration.sh sync', environment }],
        });
      }
      outputs[integration] = {
        display_name: application.displayName,
        client_id: application.clientId,
        tenant_id: config.tenantId,
        application_object_id: application.objectId,
        service_principal_object_id: servicePrincipal.objectId,
        secret_key_id: secret.keyId,
        secret_expires_at: secret.endDate,
      };
      secrets[integration] = secret.value;
    }
    new TerraformOutput(this, 'integrations', { value: outputs });
    new TerraformOutput(this, 'client_secrets', { value: secrets, sensitive: true });
  }
}
