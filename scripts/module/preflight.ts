import { missingApiServicePrincipalMessage, scopeIdMismatchMessage } from '../../src/constructs/stack-lookups';
import type { Element } from './elements';
import { quote } from './hcl';

// The tenant preflight of src/constructs/stack-lookups.ts (requireDelegatedScopes) for
// modules/tenant-preflight. The constructs write one postcondition per API over a list of its requested
// scopes, each with the integrations that request it, all known at synth; in the module those depend on the
// enabled integrations and their permission changes, so the lookups read what is requested
// (`local.requested_apis`, written by hand there) and assert over it with alltrue, in the constructs' own words.

type Body = Record<string, unknown>;
const PRESENCE_TYPE = 'azuread_service_principals';
const API_TYPE = 'azuread_service_principal';
/** Data source types of the preflight: the lookups that scripts/generate-module.ts moves into modules/tenant-preflight. */
export const PREFLIGHT_TYPES: readonly string[] = [PRESENCE_TYPE, API_TYPE];

/**
 * A message of the constructs that names its requesters, as one HCL template over the list expression
 * `requesters`: the factory's text for one requester and for several, the words between which they
 * differ (`requests`, `request`) chosen by the list's length.
 */
export function naming(message: (requesters: string[]) => string, requesters: string): string {
  const [one, other] = ['\u0001', '\u0002'];
  const list = `\${join(", ", ${requesters})}`;
  const single = message([one]).replace(one, list);
  const plural = message([one, other]).replace(`${one}, ${other}`, list);
  let start = 0;
  while (start < single.length && single[start] === plural[start]) start++;
  let end = 0;
  while (end < single.length - start && single.at(-1 - end) === plural.at(-1 - end)) end++;
  // Whole words, so that the choice reads as one: `request${… ? "s" : ""}` would not.
  start = single.lastIndexOf(' ', start) + 1;
  while (end > 0 && single.at(-end) !== ' ') end--;
  const [a, b] = [single.slice(start, single.length - end), plural.slice(start, plural.length - end)];
  if (a.includes('${') || b.includes('${')) return quote(single);
  return quote(
    `${single.slice(0, start)}\${length(${requesters}) == 1 ? ${quote(a)} : ${quote(b)}}${single.slice(single.length - end)}`,
  );
}

/** The presence lookup's body: one read of every requested API's service principal, and its postcondition. */
function presenceBody(presence: Element): Body {
  const missing = (requesters: string[]) =>
    missingApiServicePrincipalMessage('${name}', '${api.resource_app_id}', requesters);
  const found = 'contains(self.service_principals[*].client_id, api.resource_app_id)';
  return {
    ...presence.body,
    client_ids: '${[for api in values(local.requested_apis) : api.resource_app_id]}',
    lifecycle: {
      postcondition: [
        {
          condition: `\${alltrue([for api in values(local.requested_apis) : ${found}])}`,
          error_message: `\${join("\\n", [for name, api in local.requested_apis : ${naming(missing, 'api.requesters')} if !${found}])}`,
        },
      ],
    },
  };
}

/** The per-API lookups' body: read for each API the presence lookup found, asserting each requested scope's ID. */
function apiBody(lookup: Element, presenceAddress: string): Body {
  const published = (otherwise: string) =>
    `lookup(self.oauth2_permission_scope_ids, scope.name, ${JSON.stringify(otherwise)})`;
  const mismatch = (requesters: string[]) =>
    scopeIdMismatchMessage(
      '${each.key}',
      '${scope.name}',
      '${scope.id}',
      published('none (not published)'),
      requesters,
    );
  const { count: _count, lifecycle: _lifecycle, ...body } = lookup.body;
  const found = `${presenceAddress}.service_principals[*].client_id`;
  return {
    ...body,
    // Read only when the presence lookup found the API, as the constructs' count does.
    for_each: `\${{ for name, api in local.requested_apis : name => api if contains(${found}, api.resource_app_id) }}`,
    client_id: '${each.value.resource_app_id}',
    lifecycle: {
      postcondition: [
        {
          condition: `\${alltrue([for scope in each.value.scopes : ${published('')} == scope.id])}`,
          error_message: `\${join("\\n", [for scope in each.value.scopes : ${naming(mismatch, 'scope.requesters')} if ${published('')} != scope.id])}`,
        },
      ],
    },
  };
}

/** Bodies of the presence lookup and the per-API lookups that read and assert what the enabled integrations request. */
export function preflightOverrides(elements: readonly Element[]): Map<Element, Body> {
  const bodies = new Map<Element, Body>();
  const presence = elements.find((e) => e.kind === 'data' && !e.integration && e.type === PRESENCE_TYPE);
  if (!presence) return bodies;
  bodies.set(presence, presenceBody(presence));
  const presenceAddress = `data.${PRESENCE_TYPE}.${presence.uniqueId}`;
  for (const lookup of elements.filter((e) => e.kind === 'data' && !e.integration && e.type === API_TYPE && e.api))
    bodies.set(lookup, apiBody(lookup, presenceAddress));
  return bodies;
}
