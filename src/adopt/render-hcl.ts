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
 * The HCL module's adoption inputs and the import blocks of the root module that calls it: Terraform
 * allows `import` only in the root module, so the module cannot import by itself.
 * @param moduleName the module block's name, a Terraform identifier (checked by the command)
 */
export function renderHcl(found: readonly FoundApp[], moduleName: string): string {
  const delegated = nangoRegistered(found);
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
    '  # source, integrations, nango_secret_key… as before',
    '  existing_apps = local.kindo_existing_apps',
    ...(delegated.length > 0
      ? [hclComment('  ', TAKE_OVER), `  adopt_existing_nango_integrations = [${delegated.map(hclString).join(', ')}]`]
      : []),
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
