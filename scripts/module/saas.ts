import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { type App, ref, TerraformStack, Token } from 'cdktf';
import { INTEGRATION_IDS } from '../../src/catalog/catalog';
import { KindoSaasConsent } from '../../src/constructs/kindo-saas-consent';
import { DEFAULT_ACCESS_APP_ROLE_ID } from '../../src/constructs/who-may-connect';
import type { Element } from './elements';
import { deviationNotes, integrationEntry } from './permissions';
import { show } from '../../src/core/errors';
import { ModuleGeneratorError } from './generator-error';

// The Kindo SaaS submodule (module/modules/kindo-saas-consent): KindoSaasConsent built from references
// to the submodule's hand-written inputs and locals, folded as the main module is
// (scripts/generate-module.ts).

/** Construct id of KindoSaasConsent in the submodule's stack. */
export const SAAS_CONSTRUCT_ID = 'KindoSaas';
/** The submodule's directory, relative to the repository root; `source = "<repo>//module/modules/kindo-saas-consent"`. */
export const SAAS_MODULE_PATH = 'module/modules/kindo-saas-consent';

/** The type of the constructs' group assignments, which the modules write as one block over integration-group pairs. */
export const GROUP_ASSIGNMENT = 'azuread_app_role_assignment';
type Body = Record<string, unknown>;

/** Builds every integration's consent from the submodule's inputs; returns the stack. */
export function saasModuleStack(app: App, id: string): TerraformStack {
  const stack = new TerraformStack(app, id);
  // Only for cdktf's synth-time checks; the provider block is not part of the module.
  new AzureadProvider(stack, 'azuread', {});
  const of = (integration: string, attribute: string) => ref(`${integrationEntry(integration)}.${attribute}`, stack);
  const byId = <T>(value: (integration: string) => T) => Object.fromEntries(INTEGRATION_IDS.map((i) => [i, value(i)]));
  new KindoSaasConsent(stack, SAAS_CONSTRUCT_ID, {
    clientIds: byId((i) => Token.asString(of(i, 'client_id'))),
    owners: Token.asList(ref('local.owners', stack)),
    requireAssignment: Token.asAny(ref('var.require_assignment', stack)) as unknown as boolean,
    allowedGroups: byId((i) => Token.asList(of(i, 'allowed_groups'))),
  });
  return stack;
}

/** Service principals' notes that record remove_permissions and add_permissions as the construct's do. */
export function saasNotesOverrides(elements: readonly Element[]): Map<Element, Body> {
  return new Map(
    elements
      .filter((e) => e.kind === 'resource' && e.type === 'azuread_service_principal' && e.integration)
      .map((e) => [e, { ...e.body, notes: deviationNotes(e.body.notes as string, e.integration!) }]),
  );
}

/**
 * The allowed groups' assignments: the construct's assignments (one `for_each` over each
 * integration's groups) as one block over every enabled integration's groups, keyed
 * `"<integration>/<group object ID>"` (`local.allowed_group_assignments`, written by hand), so that
 * adding or removing a group touches no other. `servicePrincipal` is the folded service principal's block address.
 */
export function groupAssignments(synthesized: readonly Body[], servicePrincipal: string): Body {
  const [first] = synthesized as Body[];
  const {
    '//': _meta,
    for_each: _each,
    lifecycle: _checkedByValidation,
    app_role_id: role,
    principal_object_id: principal,
    resource_object_id: resource,
    ...rest
  } = first;
  // The construct assigns each group (each.value) the default access role of its integration's service principal.
  if (
    role !== DEFAULT_ACCESS_APP_ROLE_ID ||
    principal !== '${each.value}' ||
    !/^\$\{azuread_service_principal\.[\w-]+\.object_id\}$/.test(String(resource)) ||
    Object.keys(rest).length > 0
  ) {
    throw moduleGroupAssignmentChanged(first);
  }
  return {
    for_each: '${local.allowed_group_assignments}',
    app_role_id: role,
    principal_object_id: '${each.value.group}',
    resource_object_id: `\${${servicePrincipal}[each.value.integration].object_id}`,
  };
}

/** KindoSaasConsent's group assignment no longer has the shape the SaaS submodule folds (scripts/module/saas.ts). */
export function moduleGroupAssignmentChanged(body: unknown): ModuleGeneratorError {
  return new ModuleGeneratorError(
    'MODULE_GROUP_ASSIGNMENT_CHANGED',
    `the constructs synthesized a group assignment ${show(body).slice(0, 300)}; expected the default access role (${show('00000000-0000-0000-0000-000000000000')}) for each group (each.value) on the integration's service principal, the shape scripts/module/saas.ts folds into one block over integration-group pairs`,
  );
}
