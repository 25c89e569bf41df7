import { INTEGRATION_IDS, catalog } from '../../src/catalog/catalog';
import type { Element } from './fold';
import { mapStrings } from './hcl';

// The catalog as Terraform data, and the expressions that apply `remove_permissions` and
// `add_permissions` to it as src/catalog/effective-permissions.ts and
// src/constructs/microsoft-integration-app.ts apply `removePermissions` and `addPermissions`: the
// app's required permissions and notes, its consent grants and its Nango scopes.
// test/module/module.e2e.test.ts evaluates both with the same input and compares.

const GRANT = 'azuread_service_principal_delegated_permission_grant';
const GRAPH = 'Microsoft Graph';
const NANGO_FIRST_SCOPE = 'offline_access';
// The synth has no changes, so its notes end with GUIDE_NOTE.
const GUIDE_NOTE = " Permissions as in Kindo's guide.";
const DEVIATION_NOTE = " Deviates from Kindo's guide: ";
const NOTES_MAX_LENGTH = 1024;

const hcl = (value: unknown): string => JSON.stringify(value);
type Body = Record<string, unknown>;

/** The catalog as locals (catalog.tf): per integration what the module needs of it, and the APIs by name. */
export function catalogLocals(): Body {
  const definitions = catalog();
  return {
    catalog: Object.fromEntries(
      INTEGRATION_IDS.map((id) => {
        const d = definitions[id];
        return [
          id,
          {
            display_name: d.displayName,
            auth_flow: d.authFlow,
            nango_provider: d.nangoProvider,
            permissions: d.apis.flatMap((a) =>
              a.permissions.map((p) => ({ api: a.name, resource_app_id: a.resourceAppId, name: p.name, id: p.id })),
            ),
          },
        ];
      }),
    ),
    apis: Object.fromEntries(
      Object.values(definitions).flatMap((d) => d.apis.map((a) => [a.name, { resource_app_id: a.resourceAppId }])),
    ),
  };
}

/** Locals derived from the catalog and the permission inputs (locals.tf). */
export function permissionLocals(): Body {
  // As the notes name a permission: "<API>/<name>", or just the name for Microsoft Graph.
  const named = `\${p.api == ${hcl(GRAPH)} ? "" : "\${p.api}/"}\${p.name}`;
  return {
    guide_permissions: '${{ for id, integration in local.catalog : id => integration.permissions }}',
    // Every delegated scope the catalog names, for checking added permissions against it.
    catalog_permissions: '${distinct(flatten(values(local.guide_permissions)))}',
    removed_permissions:
      '${{ for id, guide in local.guide_permissions : id => flatten([for r in lookup(var.remove_permissions, id, []) : [for p in guide : p if contains([p.name, "${p.api}/${p.name}"], r)]]) }}',
    // Additions to APIs the integration does not use are refused by add_permissions' validation.
    added_permissions:
      '${{ for id, guide in local.guide_permissions : id => [for a in lookup(var.add_permissions, id, []) : { api = a.api, resource_app_id = one(distinct([for p in guide : p.resource_app_id if p.api == a.api])), name = a.name, id = a.id } if contains(guide[*].api, a.api)] }}',
    permissions:
      '${{ for id, guide in local.guide_permissions : id => concat([for p in guide : p if !contains(local.removed_permissions[id], p)], local.added_permissions[id]) }}',
    resource_access:
      '${{ for id, permissions in local.permissions : id => { for p in permissions : p.resource_app_id => p.id... } }}',
    claim_values:
      '${{ for id, permissions in local.permissions : id => { for p in permissions : p.api => p.name... } }}',
    // Nango signs users in to Microsoft Graph only; the other APIs are reached with the refresh token.
    nango_scopes: `\${{ for id, permissions in local.permissions : id => join(",", concat([${hcl(NANGO_FIRST_SCOPE)}], [for p in permissions : p.name if p.api == ${hcl(GRAPH)} && p.name != ${hcl(NANGO_FIRST_SCOPE)}])) }}`,
    permission_deviations: `\${{ for id, removed in local.removed_permissions : id => concat([for p in removed : "-${named}"], [for p in local.added_permissions[id] : "+${named}"]) }}`,
  };
}

/** Notes synthesized without deviations, as an expression that records the integration's deviations as the constructs do. */
export function deviationNotes(notes: string, integration: string): string {
  const deviations = `local.permission_deviations[${hcl(integration)}]`;
  const deviated = `${hcl(notes.slice(0, -GUIDE_NOTE.length) + DEVIATION_NOTE)}, join(" ", ${deviations})`;
  return `\${length(${deviations}) == 0 ? ${hcl(notes)} : substr(join("", [${deviated}]), 0, ${NOTES_MAX_LENGTH})}`;
}

/**
 * Bodies that read their permissions from the locals instead of the guide lists the constructs
 * synthesized, and per consent grant the condition, for an integration id expression, that its
 * API has scopes left.
 */
export function permissionOverrides(elements: readonly Element[]): {
  bodies: Map<Element, Body>;
  conditions: Map<Element, (integration: string) => string>;
} {
  const bodies = new Map<Element, Body>();
  const conditions = new Map<Element, (integration: string) => string>();
  for (const id of INTEGRATION_IDS) {
    const of = (type: string) =>
      elements.filter((e) => e.kind === 'resource' && e.integration === id && e.type === type);
    const local = (name: string) => `local.${name}[${hcl(id)}]`;
    for (const app of of('azuread_application')) {
      const { required_resource_access: _requested, notes, ...appBody } = app.body;
      bodies.set(app, {
        ...appBody,
        notes: deviationNotes(notes as string, id),
        dynamic: {
          ...(appBody.dynamic as Body | undefined),
          required_resource_access: {
            for_each: `\${${local('resource_access')}}`,
            content: {
              resource_app_id: '${required_resource_access.key}',
              dynamic: {
                resource_access: {
                  for_each: '${required_resource_access.value}',
                  content: { id: '${resource_access.value}', type: 'Scope' },
                },
              },
            },
          },
        },
      });
    }
    for (const grant of of(GRANT)) {
      const claims = (integration: string) => `lookup(local.claim_values[${integration}], ${hcl(grant.api)}, [])`;
      bodies.set(grant, { ...grant.body, claim_values: `\${${claims(hcl(id))}}` });
      conditions.set(grant, (integration) => `length(${claims(integration)}) > 0`);
    }
    // The Nango objects carry the scopes: a plain value in triggers_replace, a quoted string in the request bodies.
    const nango = of('terraform_data');
    const scopes = nango
      .map((d) => (d.body.triggers_replace as Body | undefined)?.scopes)
      .find((v) => typeof v === 'string') as string | undefined;
    for (const d of scopes === undefined ? [] : nango) {
      bodies.set(
        d,
        mapStrings(d.body, (s) =>
          s === scopes ? `\${${local('nango_scopes')}}` : s.replaceAll(hcl(scopes), local('nango_scopes')),
        ) as Body,
      );
    }
  }
  return { bodies, conditions };
}
