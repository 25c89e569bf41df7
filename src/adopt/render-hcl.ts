import { commentText, hclString } from './escape';
import { IMPORT_IDS } from './import-ids';
import type { FoundApp } from './match';
import { changeLines, nangoRegistered, TAKE_OVER } from './render-typescript';

// The adoption settings as HCL for a root module calling the HCL module. Every value is an HCL string
// (hclString: no template, no escape out of the quotes) and every comment one line (commentText).

/** A `#` comment line. */
export const hclComment = (indent: string, text: string) => `${indent}# ${commentText(text)}`;

/** An `import` block, aligned as `terraform fmt` aligns it; `to` and `id` are expressions this package writes. */
export function importBlock(to: string, id: string, forEach?: string): string[] {
  const args: [string, string][] = [
    ...(forEach ? [['for_each', forEach] as [string, string]] : []),
    ['to', to],
    ['id', id],
  ];
  const width = Math.max(...args.map(([name]) => name.length));
  return ['import {', ...args.map(([name, value]) => `  ${name.padEnd(width)} = ${value}`), '}'];
}

function secretLines(f: FoundApp): string[] {
  if (f.secrets.length === 0) return [];
  const optional = (value: string | undefined) => (value ? hclString(value) : 'null');
  return [
    hclComment('      ', 'Hand-made secrets: left in place; delete them once Kindo works with the new one.'),
    '      client_secrets = [',
    ...f.secrets.map(
      (s) =>
        `        { key_id = ${hclString(s.keyId)}, expires = ${optional(s.expires)}, description = ${optional(s.description)} },`,
    ),
    '      ]',
  ];
}

function appLines(f: FoundApp): string[] {
  const grants = Object.entries(f.grantIds);
  const ids: [string, string][] = [['application_object_id', hclString(f.objectId)]];
  if (f.servicePrincipalObjectId) ids.push(['service_principal_object_id', hclString(f.servicePrincipalObjectId)]);
  if (grants.length > 0)
    ids.push([
      'permission_grant_ids',
      `{ ${grants.map(([api, id]) => `${hclString(api)} = ${hclString(id)}`).join(', ')} }`,
    ]);
  // Aligned as `terraform fmt` aligns consecutive arguments.
  const width = Math.max(...ids.map(([name]) => name.length));
  return [
    ...changeLines(f).map((line) => hclComment('    ', line)),
    `    ${hclString(f.integration)} = {`,
    ...ids.map(([name, value]) => `      ${name.padEnd(width)} = ${value}`),
    ...secretLines(f),
    '    }',
  ];
}

/**
 * The line a printed module block holds in place of the arguments adopt does not know (`source`, the
 * Nango secret key…): the reader keeps theirs.
 */
export const ARGUMENTS_AS_BEFORE = '  # source and the other arguments, as before';

/**
 * `map` as `terraform fmt` writes a map of one-line values: one entry a line, `=` aligned, keys as HCL strings.
 * @param indent the indentation of the entries
 */
export function hclMapEntries(indent: string, map: readonly (readonly [string, string])[]): string[] {
  const keys = map.map(([key]) => hclString(key));
  const width = Math.max(...keys.map((k) => k.length));
  return map.map(([, value], i) => `${indent}${keys[i].padEnd(width)} = ${value}`);
}

/** Each app's entry of the module's `integrations`: the app to take over and, when registered with Nango, its Nango integration. */
function integrationEntries(found: readonly FoundApp[]): string[] {
  const delegated = new Set(nangoRegistered(found));
  const entries = found.map(
    (f) =>
      [
        f.integration,
        `{ existing_app = local.kindo_existing_apps[${hclString(f.integration)}]${delegated.has(f.integration) ? ', nango = { adopt_existing = true }' : ''} }`,
      ] as const,
  );
  return [
    ...(delegated.size > 0 ? [hclComment('    ', TAKE_OVER)] : []),
    ...hclMapEntries('    ', entries),
    hclComment('    ', 'and the integrations you do not adopt, as before'),
  ];
}

/**
 * The HCL module's adoption inputs and the import blocks of the root module that calls it: Terraform
 * allows `import` only in the root module, so the module cannot import by itself.
 * @param moduleName the module block's name, a Terraform identifier (checked by the command)
 */
export function renderHcl(found: readonly FoundApp[], moduleName: string): string {
  // Entries of a local are not typed by the module's variable: absent attributes are read with lookup.
  const target = (type: string) => `module.${moduleName}.${type}.this[each.key]`;
  return [
    'locals {',
    '  kindo_existing_apps = {',
    ...found.flatMap(appLines),
    '  }',
    '}',
    '',
    `module ${hclString(moduleName)} {`,
    ARGUMENTS_AS_BEFORE,
    '  integrations = {',
    ...integrationEntries(found),
    '  }',
    '}',
    '',
    '# Import blocks belong in the root module (Terraform >= 1.7 for for_each); they are spent after the first apply.',
    ...importBlock(
      target('azuread_application'),
      `"${IMPORT_IDS.application('${each.value.application_object_id}')}"`,
      'local.kindo_existing_apps',
    ),
    ...importBlock(
      target('azuread_service_principal'),
      `"${IMPORT_IDS.servicePrincipal('${each.value}')}"`,
      '{ for id, app in local.kindo_existing_apps : id => app.service_principal_object_id if lookup(app, "service_principal_object_id", null) != null }',
    ),
    ...importBlock(
      target('azuread_service_principal_delegated_permission_grant'),
      `"${IMPORT_IDS.permissionGrant('${each.value}')}"`,
      'merge([for id, app in local.kindo_existing_apps : { for api, grant in lookup(app, "permission_grant_ids", {}) : "${id}/${api}" => grant }]...)',
    ),
  ].join('\n');
}
