import { DataAzureadClientConfig } from '@cdktf/provider-azuread/lib/data-azuread-client-config';
import { DataAzureadServicePrincipal } from '@cdktf/provider-azuread/lib/data-azuread-service-principal';
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { CatalogApi } from '../catalog/catalog';

// Lookups that every integration of a stack shares. They sit directly under the stack with fixed
// ids, so a stack reads each at most once however many integrations it holds.

function stackSingleton<T extends Construct>(scope: Construct, id: string, create: (stack: TerraformStack) => T): T {
  const stack = TerraformStack.of(scope);
  return (stack.node.tryFindChild(id) as T | undefined) ?? create(stack);
}

/** The identity Terraform runs as (`azuread_client_config`): its tenant and object ID. */
export function clientConfig(scope: Construct): DataAzureadClientConfig {
  return stackSingleton(scope, 'KindoClientConfig', (stack) => new DataAzureadClientConfig(stack, 'KindoClientConfig'));
}

/** The tenant's service principal of a Microsoft API, found by the API's application (client) ID. */
export function resourceApiServicePrincipal(scope: Construct, api: CatalogApi): DataAzureadServicePrincipal {
  // The id derives from the catalog's API name, a constant, never from a token.
  const id = `KindoApi${api.name.replace(/[^A-Za-z0-9]/g, '')}`;
  return stackSingleton(scope, id, (stack) => new DataAzureadServicePrincipal(stack, id, { clientId: api.resourceAppId }));
}
