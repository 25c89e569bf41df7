import type { IntegrationId } from '../catalog/catalog';
import { hclString, tsString } from './escape';
import { IMPORT_IDS } from './import-ids';
import { ARGUMENTS_AS_BEFORE, hclComment, hclMapEntries, importBlock } from './render-hcl';
import { tsComment } from './render-typescript';
import type { FoundSaasConsent } from './saas-match';

// Kindo SaaS consent found in the tenant, as KindoSaasConsent's `existing` prop and as the root
// module's import blocks into module/modules/kindo-saas-consent.

/** The objects of the Kindo SaaS module an import can address. */
export type SaasModuleObject = 'servicePrincipal' | 'permissionGrant' | 'groupAssignment';

/**
 * The address of one object of module/modules/kindo-saas-consent called as `module.<moduleName>`:
 * its service principals are keyed by integration id, grants by `<id>/<API>`, group assignments by
 * `<id>/<group object id>` in lower case (its main.entra.tf and locals.tf). The one place these addresses are written.
 */
export function saasModuleAddress(
  moduleName: string,
  object: SaasModuleObject,
  integration: IntegrationId,
  key?: string,
): string {
  const resource = {
    servicePrincipal: 'azuread_service_principal.this',
    permissionGrant: 'azuread_service_principal_delegated_permission_grant.this',
    groupAssignment: 'azuread_app_role_assignment.allowed_groups',
  }[object];
  return `module.${moduleName}.${resource}[${hclString(key === undefined ? integration : `${integration}/${key}`)}]`;
}

/** What the first apply does to one integration's existing consent, as comment text lines. */
export const saasChangeLines = (name: string, notes: readonly string[]): string[] => [
  `${name}: the first apply sets its notes, tags and owners${notes.length > 0 ? ', and:' : ', nothing else.'}`,
  ...notes.map((n) => `  - ${n}`),
];
const changeLines = (f: FoundSaasConsent) => saasChangeLines(f.displayName ?? f.clientId, f.notes);

const GROUPS_NOTE = 'Each group here must be in allowedGroups (with requireAssignment: true), or drop it.';
const GROUPS_NOTE_HCL = [
  'The groups assigned by hand are kept as allowed_groups, which needs require_assignment = true (then only',
  "they may connect). To let everyone connect, drop them, require_assignment and the groups' import blocks.",
];

function consentLines(f: FoundSaasConsent): string[] {
  const map = (entries: Readonly<Record<string, string>>) =>
    `{ ${Object.entries(entries)
      .map(([k, v]) => `${tsString(k)}: ${tsString(v)}`)
      .join(', ')} }`;
  return [
    ...changeLines(f).map((line) => tsComment('  ', line)),
    `  ${tsString(f.integration)}: {`,
    `    servicePrincipalObjectId: ${tsString(f.servicePrincipalObjectId)},`,
    ...(Object.keys(f.grantIds).length > 0 ? [`    permissionGrantIds: ${map(f.grantIds)},`] : []),
    ...(Object.keys(f.groupAssignmentIds).length > 0
      ? [tsComment('    ', GROUPS_NOTE), `    groupAssignmentIds: ${map(f.groupAssignmentIds)},`]
      : []),
    '  },',
  ];
}

/** The `existing` prop of KindoSaasConsent. */
export function renderSaasTypeScript(found: readonly FoundSaasConsent[]): string {
  return ['existing: {', ...found.flatMap(consentLines), '},'].join('\n');
}

function importLines(f: FoundSaasConsent, moduleName: string): string[] {
  const sp = f.servicePrincipalObjectId;
  const address = (object: SaasModuleObject, key?: string) => saasModuleAddress(moduleName, object, f.integration, key);
  return [
    ...changeLines(f).map((line) => hclComment('', line)),
    ...importBlock(address('servicePrincipal'), hclString(IMPORT_IDS.servicePrincipal(sp))),
    ...Object.entries(f.grantIds).flatMap(([api, id]) =>
      importBlock(address('permissionGrant', api), hclString(IMPORT_IDS.permissionGrant(id))),
    ),
    ...Object.entries(f.groupAssignmentIds).flatMap(([group, id]) =>
      importBlock(address('groupAssignment', group), hclString(IMPORT_IDS.appRoleAssignment(sp, id))),
    ),
  ];
}

/** The module's `integrations`: each found consent's client ID and the groups assigned to it. */
function saasModuleLines(found: readonly FoundSaasConsent[], moduleName: string): string[] {
  const entries = found.map((f) => {
    const groups = Object.keys(f.groupAssignmentIds);
    const allowed = groups.length > 0 ? `, allowed_groups = [${groups.map(hclString).join(', ')}]` : '';
    return [f.integration, `{ client_id = ${hclString(f.clientId)}${allowed} }`] as const;
  });
  const grouped = found.some((f) => Object.keys(f.groupAssignmentIds).length > 0);
  return [
    `module ${hclString(moduleName)} {`,
    ARGUMENTS_AS_BEFORE,
    '  integrations = {',
    ...hclMapEntries('    ', entries),
    '  }',
    ...(grouped ? [...GROUPS_NOTE_HCL.map((line) => hclComment('  ', line)), '  require_assignment = true'] : []),
    '}',
  ];
}

/** The module block's inputs and the root module's import blocks into module/modules/kindo-saas-consent called as `moduleName`. */
export function renderSaasHcl(found: readonly FoundSaasConsent[], moduleName: string): string {
  return [
    hclComment(
      '',
      `Kindo SaaS consent made before Terraform, imported into module.${moduleName} (kindo-saas-consent).`,
    ),
    ...saasModuleLines(found, moduleName),
    '',
    hclComment('', 'Import blocks belong in the root module; they are spent after the first apply. With'),
    hclComment('', "admin_consent = false the module has no grants: leave out the grants' blocks."),
    ...found.flatMap((f) => importLines(f, moduleName)),
  ].join('\n');
}
