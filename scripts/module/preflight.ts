import { missingApiServicePrincipalMessage, scopeIdMismatchMessage } from '../../src/constructs/stack-lookups';
import type { Element } from './fold';
import { quote } from './hcl';

// The tenant preflight of src/constructs/stack-lookups.ts (requireDelegatedScopes) for the module.
// The constructs write one postcondition per API and per requested scope, listing the integrations
// that request it, all known at synth; in the module those depend on `integrations`,
// `remove_permissions` and `add_permissions`, so the lookups read what the enabled integrations
// request (locals below) and assert over it with alltrue, in the constructs' own words (src/core/errors.ts).

type Body = Record<string, unknown>;
const PRESENCE_TYPE = 'azuread_service_principals';
const API_TYPE = 'azuread_service_principal';

/** Every permission the enabled integrations request, and per API the requests for it. */
export const preflightLocals: Body = {
  requested_permissions:
    '${flatten([for id in var.integrations : [for p in local.permissions[id] : merge(p, { integration = id })]])}',
  requested_apis: '${{ for p in local.requested_permissions : p.api => p... }}',
};

/**
 * A message of src/core/errors.ts that names its requesters, as an HCL expression over the list
 * expression `requesters`: the factory's own text for one requester and for several.
 */
function naming(message: (requesters: string[]) => string, requesters: string): string {
  const [one, other] = ['\u0001', '\u0002'];
  const list = `\${join(", ", ${requesters})}`;
  return `length(${requesters}) == 1 ? ${quote(message([one]).replace(one, list))} : ${quote(message([one, other]).replace(`${one}, ${other}`, list))}`;
}

/**
 * Bodies of the presence lookup and the per-API lookups that read and assert what the enabled integrations request.
 * @param requester how the constructs name an integration in these messages, e.g. `Kindo SaaS integration`
 */
export function preflightOverrides(elements: readonly Element[], requester = 'integration'): Map<Element, Body> {
  const bodies = new Map<Element, Body>();
  const presence = elements.find((e) => e.kind === 'data' && !e.integration && e.type === PRESENCE_TYPE);
  if (!presence) return bodies;
  const presenceAddress = `data.${PRESENCE_TYPE}.${presence.uniqueId}`;
  const found = `${presenceAddress}.service_principals[*].client_id`;
  const requesters = (records: string, filter = '') =>
    `sort(distinct([for r in ${records} : "${requester} '\${r.integration}'"${filter}]))`;

  const missing = missingApiServicePrincipalMessage;
  bodies.set(presence, {
    ...presence.body,
    client_ids: '${[for api in keys(local.requested_apis) : local.apis[api].resource_app_id]}',
    lifecycle: {
      postcondition: [
        {
          condition:
            '${alltrue([for api, requests in local.requested_apis : contains(self.service_principals[*].client_id, local.apis[api].resource_app_id)])}',
          error_message: `\${join("\\n", [for api, requests in local.requested_apis : ${naming((r) => missing('${api}', '${local.apis[api].resource_app_id}', r), requesters('requests'))} if !contains(self.service_principals[*].client_id, local.apis[api].resource_app_id)])}`,
        },
      ],
    },
  });

  const published = (scope: string, otherwise: string) =>
    `lookup(self.oauth2_permission_scope_ids, ${scope}, ${JSON.stringify(otherwise)})`;
  const mismatch = (r: string[]) =>
    scopeIdMismatchMessage('${each.key}', '${s.name}', '${s.id}', published('s.name', 'none (not published)'), r);
  for (const lookup of elements.filter((e) => e.kind === 'data' && !e.integration && e.type === API_TYPE && e.api)) {
    const { count: _count, lifecycle: _lifecycle, ...body } = lookup.body;
    bodies.set(lookup, {
      ...body,
      // Read only when the presence lookup found the API, as the constructs' count does.
      for_each: `\${{ for api, requests in local.requested_apis : api => requests if contains(${found}, local.apis[api].resource_app_id) }}`,
      lifecycle: {
        postcondition: [
          {
            condition: `\${alltrue([for r in each.value : ${published('r.name', '')} == r.id])}`,
            error_message: `\${join("\\n", [for s in distinct([for r in each.value : { name = r.name, id = r.id }]) : ${naming(mismatch, requesters('each.value', ' if r.name == s.name && r.id == s.id'))} if ${published('s.name', '')} != s.id])}`,
          },
        ],
      },
    });
  }
  return bodies;
}
