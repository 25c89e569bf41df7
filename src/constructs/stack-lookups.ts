import { DataAzureadClientConfig } from '@cdktf/provider-azuread/lib/data-azuread-client-config';
import { DataAzureadServicePrincipal } from '@cdktf/provider-azuread/lib/data-azuread-service-principal';
import { DataAzureadServicePrincipals } from '@cdktf/provider-azuread/lib/data-azuread-service-principals';
import { Lazy, TerraformStack, Token, type Postcondition } from 'cdktf';
import type { Construct } from 'constructs';
import type { CatalogApi } from '../catalog/catalog';
import { attribute, expression, hclString } from '../core/hcl-expression';

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

const identities = new WeakMap<DataAzureadClientConfig, { readonly tenantId: string; readonly objectId: string }>();

/** {@link clientConfig}'s tenant and object ID, as this package's own references (src/core/hcl-expression.ts), made once per stack. */
export function clientIdentity(scope: Construct): { readonly tenantId: string; readonly objectId: string } {
  const config = clientConfig(scope);
  const known = identities.get(config);
  if (known) return known;
  const identity = { tenantId: attribute(config, 'tenant_id'), objectId: attribute(config, 'object_id') };
  identities.set(config, identity);
  return identity;
}

const tenants = new WeakMap<DataAzureadClientConfig, string>();

/**
 * {@link clientConfig}'s tenant as cdktf's own reference, for a public property that a consumer or
 * another stack may read; read once per stack, since each read creates a token with a captured stack trace.
 */
export function providerTenantId(scope: Construct): string {
  const config = clientConfig(scope);
  const tenant = tenants.get(config) ?? config.tenantId;
  tenants.set(config, tenant);
  return tenant;
}

/** What a stack's constructs request from one Microsoft API. */
interface ApiRequirement {
  readonly name: string;
  readonly appId: string;
  /** Who requests the API's scopes, as messages name them, e.g. `integration 'defender'`. */
  readonly requesters: Set<string>;
  /** Scope name → requested ID → who requests it under that ID. */
  readonly scopes: Map<string, Map<string, Set<string>>>;
}

const requirements = new WeakMap<TerraformStack, Map<string, ApiRequirement>>();
/** What the stack's constructs requested so far, by the API's application ID. */
function requirementsOf(stack: TerraformStack): Map<string, ApiRequirement> {
  let byAppId = requirements.get(stack);
  if (!byAppId) {
    byAppId = new Map();
    requirements.set(stack, byAppId);
  }
  return byAppId;
}

// The lookups' client IDs and conditions are lazy values, produced once when the stack is
// synthesized from everything requested by then, not rewritten by every requesting construct.
// cdktf converts keys to snake case before resolving, so a lazy value writes `error_message` itself.
const lazyPostconditions = (produce: () => { condition: string; error_message: string }[]) => ({
  postcondition: Lazy.anyValue({ produce }) as unknown as Postcondition[],
});

const PRESENCE_ID = 'KindoApiPresence';
const list = (s: Set<string>) => [...s].sort();
// Code-unit order, as list() sorts: the first localeCompare of a process builds ICU's collator (about
// 8 ms of CPU, a twentieth of a one-stack synth), and these are identifiers, not prose.
const byText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
const hcl = (s: string) => JSON.stringify(s);

/**
 * Which of the APIs in use have a service principal in the tenant: one `azuread_service_principals`
 * read by application ID with `ignore_missing`, so that a missing API never fails the plan with the
 * provider's generic error (hashicorp/azuread 3.7, service_principals_data_source.go: with
 * `ignore_missing` an application ID without a service principal is skipped). Its postconditions
 * stop the plan, naming each missing API, who needs it and the fix.
 */
function apiPresence(scope: Construct): DataAzureadServicePrincipals {
  return stackSingleton(scope, PRESENCE_ID, (stack) => {
    const all = () => [...requirementsOf(stack).values()].sort((a, b) => byText(a.appId, b.appId));
    return new DataAzureadServicePrincipals(stack, PRESENCE_ID, {
      clientIds: Lazy.listValue({ produce: () => all().map((a) => a.appId) }),
      ignoreMissing: true,
      lifecycle: lazyPostconditions(() =>
        all().map((a) => ({
          condition: `\${contains(self.service_principals[*].client_id, ${hcl(a.appId)})}`,
          error_message: missingApiServicePrincipalMessage(a.name, a.appId, list(a.requesters)),
        })),
      ),
    });
  });
}

/**
 * The tenant's service principal of a Microsoft API (`azuread_service_principal`, by application ID),
 * read only when the presence lookup found it (`count` 0 otherwise), so a missing API never
 * reaches it. Its postconditions compare each requested scope's ID with the one the API publishes
 * (`oauth2_permission_scope_ids`, scope name → ID).
 */
function apiServicePrincipal(scope: Construct, api: CatalogApi): DataAzureadServicePrincipal {
  // The id derives from the catalog's API name, a constant, never from a token.
  const id = `KindoApi${api.name.replace(/[^A-Za-z0-9]/g, '')}`;
  return stackSingleton(scope, id, (stack) => {
    const found = attribute(apiPresence(stack), 'service_principals[*].client_id');
    return new DataAzureadServicePrincipal(stack, id, {
      clientId: api.resourceAppId,
      count: Token.asNumber(expression`contains(${found}, ${api.resourceAppId}) ? 1 : 0`),
      lifecycle: lazyPostconditions(() => scopeConditions(requirementsOf(stack).get(api.resourceAppId)!)),
    });
  });
}

/**
 * One postcondition per API: every requested scope (name and ID) must be published under that ID.
 * The message names each scope that is not, with its requested and published IDs and who requests
 * it, in {@link scopeIdMismatchMessage}'s words, one line each.
 */
function scopeConditions(a: ApiRequirement): { condition: string; error_message: string }[] {
  const requests = [...a.scopes]
    .sort(([x], [y]) => byText(x, y))
    .flatMap(([name, byId]) =>
      [...byId].sort(([x], [y]) => byText(x, y)).map(([id, requesters]) => ({ name, id, requesters })),
    );
  const scopes = requests.map((r) => `{name = ${hclString(r.name)}, id = ${hclString(r.id)}}`);
  const named = requests.map(
    (r) => `{name = ${hclString(r.name)}, id = ${hclString(r.id)}, by = ${hclString(requestedBy(list(r.requesters)))}}`,
  );
  const published = (otherwise: string) => `lookup(self.oauth2_permission_scope_ids, r.name, ${hclString(otherwise)})`;
  const message = scopeIdMismatchText(a.name, '${r.name}', '${r.id}', published('none (not published)'));
  return [
    {
      condition: `\${alltrue([for r in [${scopes.join(', ')}] : ${published('')} == r.id])}`,
      error_message: `\${join("\\n", [for r in [${named.join(', ')}] : "\${r.by} ${message}" if ${published('')} != r.id])}`,
    },
  ];
}

/**
 * The preflight of anything that requests delegated scopes of Microsoft APIs: records that
 * `requester` requests `apis`' scopes, so that the plan stops before any change when the tenant
 * has no service principal for one of the APIs, or publishes one of the scopes under another ID.
 * A stack reads each API at most once, plus one presence lookup for all of them.
 *
 * @param requester who requests them, as plan messages name it, e.g. `integration 'defender'`
 * @returns per API name, the object ID of the API's service principal in the tenant (for consent grants)
 */
export function requireDelegatedScopes(
  scope: Construct,
  requester: string,
  apis: readonly CatalogApi[],
): ReadonlyMap<string, string> {
  const stack = TerraformStack.of(scope);
  const byAppId = requirementsOf(stack);
  const objectIds = new Map<string, string>();
  for (const api of apis) {
    const lookup = apiServicePrincipal(stack, api);
    const requirement = byAppId.get(api.resourceAppId) ?? {
      name: api.name,
      appId: api.resourceAppId,
      requesters: new Set(),
      scopes: new Map(),
    };
    byAppId.set(api.resourceAppId, requirement);
    requirement.requesters.add(requester);
    for (const p of api.permissions) {
      const byId = requirement.scopes.get(p.name) ?? new Map<string, Set<string>>();
      requirement.scopes.set(p.name, byId.set(p.id, (byId.get(p.id) ?? new Set()).add(requester)));
    }
    objectIds.set(api.name, attribute(lookup, '[0].object_id'));
  }
  return objectIds;
}

/** Plan stops: a Microsoft API that a requester needs has no service principal in the tenant. */
export function missingApiServicePrincipalMessage(api: string, appId: string, requesters: readonly string[]): string {
  return (
    `Microsoft API ${api} (app ID ${appId}) has no service principal in this tenant, and ${requesters.join(', ')} ` +
    `request${requesters.length === 1 ? 's' : ''} its delegated permissions. Nothing was changed. ` +
    `Fix: an administrator runs \`az ad sp create --id ${appId}\` once, then plan again; or leave out what needs it ` +
    '(docs/troubleshooting.md#the-plan-stops-an-api-has-no-service-principal).'
  );
}

/** Who requests a scope, as the preflight's messages open: `<requesters> request(s)`. */
export const requestedBy = (requesters: readonly string[]): string =>
  `${requesters.join(', ')} request${requesters.length === 1 ? 's' : ''}`;

/**
 * Plan stops: the tenant's service principal of an API publishes a delegated scope under another
 * ID than the one requested. `found` is an HCL expression for the published ID.
 */
export function scopeIdMismatchMessage(
  api: string,
  scope: string,
  expected: string,
  found: string,
  requesters: readonly string[],
): string {
  return `${requestedBy(requesters)} ${scopeIdMismatchText(api, scope, expected, found)}`;
}

/** {@link scopeIdMismatchMessage} after who requests the scope. */
function scopeIdMismatchText(api: string, scope: string, expected: string, found: string): string {
  return (
    `${api} delegated scope ${scope} with ID ${expected}, ` +
    `but this tenant's ${api} publishes ${scope} with ID \${${found}}. Nothing was changed. ` +
    'Fix: correct the ID where the scope is requested (permissions/*.json, addPermissions) or remove the scope ' +
    '(removePermissions) (docs/troubleshooting.md#the-plan-stops-a-scope-id-differs-from-the-tenants).'
  );
}
