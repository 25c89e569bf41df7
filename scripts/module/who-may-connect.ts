import { Fn, type TerraformStack, TerraformVariable, Token } from 'cdktf';
import { INTEGRATION_IDS } from '../../src/catalog/catalog';
import type { WhoMayConnectOptions } from '../../src/constructs/who-may-connect';
import { GUID, hcl, onlyEnabledEntries, rule } from './validation';

// Who may connect, as Terraform variables: the same inputs and checks in the main module and the
// Kindo SaaS submodule, with the constructs' rules and messages (src/constructs/who-may-connect.ts).

/**
 * Declares `require_assignment` and `allowed_groups` (a map per integration id) and returns them as
 * the constructs' options, the groups looked up per integration.
 * @param where what users are assigned to, e.g. `the enterprise application`
 */
export function whoMayConnectInputs(
  stack: TerraformStack,
  where: string,
): Required<Pick<WhoMayConnectOptions, 'requireAssignment' | 'allowedGroups'>> {
  const requireAssignment = new TerraformVariable(stack, 'require_assignment', {
    type: 'bool',
    nullable: false,
    default: false,
    description: `Require users to be assigned to ${where} before Entra ID issues it a token (app_role_assignment_required). Users are assigned through allowed_groups, or by an administrator under Enterprise applications.`,
  });
  const allowedGroups = new TerraformVariable(stack, 'allowed_groups', {
    type: 'map(list(string))',
    nullable: false,
    default: {},
    description:
      'Per integration id, object IDs of the groups whose direct members may connect it, each assigned the default access role, e.g. { defender = ["<security team>"] }. Only with require_assignment = true; integrations left out get no group.',
    validation: [
      onlyEnabledEntries('allowed_groups'),
      rule(
        `alltrue(flatten([for id, groups in var.allowed_groups : [for g in groups : can(regex(${hcl(GUID)}, g))]]))`,
        `\${join("; ", flatten([for id, groups in var.allowed_groups : [for i, g in groups : "allowed_groups[\\"\${id}\\"][\${i}] is \${jsonencode(g)}" if !can(regex(${hcl(GUID)}, g))]]))}; expected a GUID such as "00000000-0000-0000-0000-000000000000".`,
      ),
      rule(
        'var.require_assignment || alltrue([for groups in values(var.allowed_groups) : length(groups) == 0])',
        '${join("; ", [for id, groups in var.allowed_groups : "allowed_groups[\\"${id}\\"] is ${jsonencode(groups)}" if length(groups) > 0])} but require_assignment is not true, so every user of the tenant may connect and the list restricts nobody; expected require_assignment = true with the groups, or no allowed_groups.',
      ),
    ],
  });

  return {
    requireAssignment: requireAssignment.value as boolean,
    allowedGroups: Object.fromEntries(
      INTEGRATION_IDS.map((i) => [i, Token.asList(Fn.lookup(allowedGroups.value, i, []))]),
    ),
  };
}
