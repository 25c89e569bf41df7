import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { type App, Fn, TerraformOutput, TerraformStack, TerraformVariable, Token } from 'cdktf';
import { INTEGRATION_IDS, type IntegrationId } from '../../src/catalog/catalog';
import { KindoSaasConsent } from '../../src/constructs/kindo-saas-consent';
import { DEFAULT_ACCESS_APP_ROLE_ID } from '../../src/constructs/who-may-connect';
import { GUID, hcl, onlyEnabledEntries, rule } from './validation';
import { whoMayConnectInputs } from './who-may-connect';
import type { Element } from './fold';
import { deviationNotes } from './permissions';
import { rootConfigurationHeader, terraformDocs, type ModuleDoc } from './readme';
import { show } from '../../src/core/errors';
import { ModuleGeneratorError } from './generator-error';

// The Kindo SaaS submodule (module/modules/kindo-saas-consent): KindoSaasConsent synthesized with a
// Terraform variable for every input, folded as the main module is (scripts/generate-module.ts).
// Inputs the main module has too (integrations, owners, admin_consent, remove_permissions,
// add_permissions) take the main module's validation blocks, so both modules check them alike.

/** Construct id of KindoSaasConsent in the submodule's stack. */
export const SAAS_CONSTRUCT_ID = 'KindoSaas';
/** The submodule's directory, relative to the repository root; `source = "<repo>//module/modules/kindo-saas-consent"`. */
export const SAAS_MODULE_PATH = 'module/modules/kindo-saas-consent';
/** The requester the construct names in its preflight messages. */
export const SAAS_REQUESTER = 'Kindo SaaS integration';
/** Inputs whose validation blocks come from the main module's variables of the same name. */
export const SHARED_VALIDATIONS = ['integrations', 'owners', 'remove_permissions', 'add_permissions'] as const;

/** The type of the construct's group assignments, which the submodule writes as one block over integration-group pairs. */
export const GROUP_ASSIGNMENT = 'azuread_app_role_assignment';
type Body = Record<string, unknown>;

/** Declares the submodule's inputs and builds every integration's consent from them; returns the stack. */
export function saasModuleStack(app: App, id: string): TerraformStack {
  const stack = new TerraformStack(app, id);
  // Only for cdktf's synth-time checks; the provider block is not part of the module.
  new AzureadProvider(stack, 'azuread', {});
  const variable = (name: string, config: ConstructorParameters<typeof TerraformVariable>[2]) =>
    new TerraformVariable(stack, name, config);

  variable('integrations', {
    type: 'set(string)',
    nullable: false,
    description: `Kindo Microsoft integrations to prepare in this tenant for Kindo SaaS, by id; each gets the service principal of Kindo's app for it. Any of: ${INTEGRATION_IDS.join(', ')}.`,
  });
  const clientIds = variable('saas_client_ids', {
    type: 'map(string)',
    nullable: false,
    description:
      'Application (client) ID of Kindo\'s app per enabled integration id, as Kindo publishes them for Kindo SaaS, e.g. { teams = "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b" }. No defaults: ask Kindo for the IDs of your region.',
    validation: [
      rule(
        'length(setsubtract(var.integrations, keys(var.saas_client_ids))) == 0',
        'saas_client_ids has no client ID for ${join(", ", setsubtract(var.integrations, keys(var.saas_client_ids)))}; expected Kindo\'s published application (client) ID for every enabled integration.',
      ),
      onlyEnabledEntries('saas_client_ids'),
      rule(
        `alltrue([for id, c in var.saas_client_ids : can(regex(${hcl(GUID)}, c))])`,
        `\${join("; ", [for id, c in var.saas_client_ids : "saas_client_ids[\\"\${id}\\"] is \${jsonencode(c)}" if !can(regex(${hcl(GUID)}, c))])}; expected a GUID such as "00000000-0000-0000-0000-000000000000".`,
      ),
      rule(
        'length(distinct([for c in values(var.saas_client_ids) : lower(c)])) == length(var.saas_client_ids)',
        '${join("; ", [for v in distinct([for c in values(var.saas_client_ids) : lower(c)]) : "saas_client_ids gives integrations ${join(" and ", [for id, c in var.saas_client_ids : id if lower(c) == v])} the same client ID ${v}" if length([for c in values(var.saas_client_ids) : c if lower(c) == v]) > 1])}; expected each integration\'s own client ID as Kindo publishes it (one service principal, and one set of grants, per integration).',
      ),
    ],
  });
  const owners = variable('owners', {
    type: 'list(string)',
    nullable: false,
    default: [],
    description:
      'Object IDs of the users or service principals that own the service principals. The identity Terraform runs as is always added: without it, azuread removes it after creating, and under Application.ReadWrite.OwnedBy every later step fails with 403.',
  });
  variable('admin_consent', {
    type: 'bool',
    nullable: false,
    default: true,
    description:
      "Consent tenant-wide, for every user, to each integration's delegated permissions (one grant per API). With false, the service principals are created with no grant, and each user (or an admin, in Entra) consents at first sign-in.",
  });
  const who = whoMayConnectInputs(stack, 'the enterprise application');

  const consent = new KindoSaasConsent(stack, SAAS_CONSTRUCT_ID, {
    clientIds: Object.fromEntries(INTEGRATION_IDS.map((i) => [i, Token.asString(Fn.lookup(clientIds.value, i))])),
    owners: owners.listValue,
    ...who,
  });

  // cdktf writes a lookup with an identifier key as `var.saas_client_ids.teams`, where the fold
  // recognizes an integration id only in quotes; the index form is the same value.
  for (const i of consent.integrations)
    i.servicePrincipal.addOverride('client_id', `\${var.saas_client_ids[${hcl(i.definition.id)}]}`);

  const output = (name: string, config: ConstructorParameters<typeof TerraformOutput>[2]) =>
    new TerraformOutput(stack, `output_${name}`, config).overrideLogicalId(name);
  const byId = <T>(value: (id: IntegrationId) => T) =>
    Object.fromEntries(consent.integrations.map((i) => [i.definition.id, value(i.definition.id)]));
  output('service_principal_object_ids', {
    description:
      "Object ID of the service principal (enterprise application) of Kindo's app, per enabled integration id.",
    value: byId((id) => consent.integration(id)!.servicePrincipal.objectId),
  });
  output('service_principals', {
    description:
      "Per enabled integration id: Kindo's client ID, the service principal's object ID and display name (Kindo's app's), and whether users must be assigned, for the admin's Enterprise applications, Conditional Access and sign-in logs.",
    value: byId((id) => {
      const sp = consent.integration(id)!.servicePrincipal;
      return {
        client_id: sp.clientId,
        object_id: sp.objectId,
        display_name: sp.displayName,
        app_role_assignment_required: sp.appRoleAssignmentRequired,
      };
    }),
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
 * `"<integration>/<group object ID>"`, so that adding or removing a group touches no other.
 * `servicePrincipal` is the folded service principal's block address.
 */
export function groupAssignments(
  synthesized: readonly Body[],
  servicePrincipal: string,
): { resource: Body; locals: Body } {
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
    locals: {
      allowed_group_assignments:
        '${{ for pair in flatten([for id, groups in var.allowed_groups : [for g in groups : { integration = id, group = g }] if contains(var.integrations, id)]) : "${pair.integration}/${pair.group}" => pair }}',
    },
    resource: {
      for_each: '${local.allowed_group_assignments}',
      app_role_id: role,
      principal_object_id: '${each.value.group}',
      resource_object_id: `\${${servicePrincipal}[each.value.integration].object_id}`,
    },
  };
}

/** The `module` block of the README's usage and of examples/saas. */
function saasModuleBlock(source: string): string[] {
  return [
    'module "kindo_saas_consent" {',
    `  source = "${source}"`,
    '',
    '  integrations = ["teams", "defender"]',
    "  # Kindo publishes its apps' client IDs; these are placeholders for them.",
    '  saas_client_ids = {',
    '    teams    = "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b"',
    '    defender = "4a3b2c1d-6e5f-4a70-9b8c-1d0e2f3a4b5c"',
    '  }',
    '',
    '  # Only the security team may connect Defender; Teams is left to assignments made in Entra.',
    '  require_assignment = true',
    '  allowed_groups     = { defender = ["5b1c7e4a-9d2f-4e8b-a1c3-6f7d8e9a0b1c"] }',
    '}',
  ];
}

/** The submodule's README: what it creates, what removal and destroy do, then terraform-docs' tables. */
export function renderSaasReadme(doc: ModuleDoc, source: string): string {
  return `${[
    '# Kindo SaaS consent: Terraform module',
    '',
    "<!-- Generated by `npm run module` from the module's own files; do not edit by hand. -->",
    '',
    "For Kindo SaaS, whose app registrations live in Kindo's tenant: per enabled integration the service principal (enterprise application) of Kindo's app in your tenant, created before anyone connects, with the integration's delegated permissions consented tenant-wide, who may connect, and notes and tags naming the integration it serves. It is `KindoSaasConsent` of the package's cdktf constructs, generated by `npm run module`.",
    '',
    '## Usage',
    '',
    '```hcl',
    ...saasModuleBlock(source),
    '```',
    '',
    'A complete root configuration is in [`examples/saas`](../../../examples/saas).',
    '',
    '- `azuread_service_principal.this["<integration>"]`: `use_existing = true`, so a service principal that a user\'s first connection created is adopted rather than failing the apply. Adopting re-enables it if an administrator disabled it, sets `app_role_assignment_required` to `require_assignment`, and replaces its tags and owners; grants and assignments it already holds stay.',
    '- `azuread_service_principal_delegated_permission_grant.this["<integration>/<API>"]`: one tenant-wide grant per API with the catalog\'s scopes after `remove_permissions` and `add_permissions` (including `offline_access` where the guide has it); none for Microsoft Fabric, which signs in with client credentials.',
    '- `azuread_app_role_assignment.allowed_groups["<integration>/<group>"]`: each group of `allowed_groups` gets the default access role of its integration\'s service principal.',
    '- The tenant preflight of the constructs: the plan stops, before any change, when a Microsoft API the enabled integrations request has no service principal in the tenant, or publishes a requested scope under another ID, naming the Kindo SaaS integrations that request it.',
    '',
    '## Removing an integration, or destroying',
    '',
    "Removing an id from `integrations`, or `terraform destroy`, **deletes the integration's service principal, also one adopted with `use_existing`** (azuread 3.7 ignores only a failed deletion, the case of Microsoft's first-party apps). Deleting it revokes every consent grant and user or group assignment it holds, including those given before Terraform adopted it: the integration's users are disconnected, and the next person to connect creates a new service principal holding only what that person (or an admin) consents to. To stop managing an integration without deleting its service principal, `terraform state rm` its service principal, grants and assignments first. The plan shows each deletion; the package's `review` command says what it revokes. Details and sources: docs/kindo-saas.md.",
    '',
    ...terraformDocs(doc),
  ].join('\n')}\n`;
}

/** examples/saas/main.tf: a complete root configuration using the submodule by relative path. */
export function renderSaasExample(doc: ModuleDoc, source: string): string {
  return [
    ...rootConfigurationHeader(
      doc,
      "Kindo SaaS: consent to Kindo's apps in your tenant before anyone connects. terraform init && terraform plan",
    ),
    ...saasModuleBlock(source),
    '',
    'output "service_principal_object_ids" {',
    '  value = module.kindo_saas_consent.service_principal_object_ids',
    '}',
    '',
  ].join('\n');
}

/** KindoSaasConsent's group assignment no longer has the shape the SaaS submodule folds (scripts/module/saas.ts). */
export function moduleGroupAssignmentChanged(body: unknown): ModuleGeneratorError {
  return new ModuleGeneratorError(
    'MODULE_GROUP_ASSIGNMENT_CHANGED',
    `the constructs synthesized a group assignment ${show(body).slice(0, 300)}; expected the default access role (${show('00000000-0000-0000-0000-000000000000')}) for each group (each.value) on the integration's service principal, the shape scripts/module/saas.ts folds into one block over integration-group pairs`,
  );
}
