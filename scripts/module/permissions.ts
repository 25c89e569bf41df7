import { INTEGRATION_IDS, catalog } from '../../src/catalog/catalog';
import type { Element } from './elements';
import { mapStrings, quote } from './hcl';

// The catalog as Terraform data (modules/catalog/catalog.tf), and the bodies that read what
// modules/catalog makes of it (an integration's effective permissions, Nango scopes and deviations, in
// `local.integrations`) instead of the guide lists the constructs synthesized.
// test/module/module.e2e.test.ts evaluates both with the same input and compares.

const GRANT = 'azuread_service_principal_delegated_permission_grant';
// The synth has no changes, so its notes end with GUIDE_NOTE.
const GUIDE_NOTE = " Permissions as in Kindo's guide.";
const DEVIATION_NOTE = " Deviates from Kindo's guide: ";
const NOTES_MAX_LENGTH = 1024;

const hcl = (value: unknown): string => JSON.stringify(value);
type Body = Record<string, unknown>;
/** An integration's entry of the module's `local.integrations`, as the fold writes `each.value` for it. */
export const integrationEntry = (id: string) => `local.integrations[${hcl(id)}]`;

/** The catalog as locals: per integration what the module needs of it, and the APIs by name. */
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

/** Notes synthesized without deviations, as an expression that records the integration's deviations as the constructs do. */
export function deviationNotes(notes: string, integration: string): string {
  const deviations = `${integrationEntry(integration)}.permission_deviations`;
  const deviated = quote(`${DEVIATION_NOTE}\${join(" ", ${deviations})}`);
  const ending = `length(${deviations}) == 0 ? ${hcl(GUIDE_NOTE)} : ${deviated}`;
  return `\${substr(${quote(`${notes.slice(0, -GUIDE_NOTE.length)}\${${ending}}`)}, 0, ${NOTES_MAX_LENGTH})}`;
}

/** The application's body with its notes and required permissions read from the integration's entry. */
function applicationBody(app: Element, id: string): Body {
  const { required_resource_access: _requested, notes, ...appBody } = app.body;
  return {
    ...appBody,
    notes: deviationNotes(notes as string, id),
    dynamic: {
      ...(appBody.dynamic as Body | undefined),
      required_resource_access: {
        for_each: `\${${integrationEntry(id)}.resource_access}`,
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
  };
}

/**
 * Bodies that read the integration's effective permissions instead of the guide lists the constructs
 * synthesized: the app's required permissions and notes, each consent grant's scopes (the grant's
 * pair of modules/catalog's integration_apis carries them) and the Nango scopes.
 */
export function permissionOverrides(elements: readonly Element[]): Map<Element, Body> {
  const bodies = new Map<Element, Body>();
  for (const id of INTEGRATION_IDS) {
    const of = (type: string) =>
      elements.filter((e) => e.kind === 'resource' && e.integration === id && e.type === type);
    for (const app of of('azuread_application')) bodies.set(app, applicationBody(app, id));
    for (const grant of of(GRANT)) bodies.set(grant, { ...grant.body, claim_values: '${each.value.claim_values}' });
    // The Nango objects carry the scopes: a plain value in triggers_replace, a quoted string in the request bodies.
    const nango = of('terraform_data');
    const scopes = nango
      .map((d) => (d.body.triggers_replace as Body | undefined)?.scopes)
      .find((v) => typeof v === 'string') as string | undefined;
    const local = `${integrationEntry(id)}.nango_scopes`;
    for (const d of scopes === undefined ? [] : nango) {
      bodies.set(
        d,
        mapStrings(d.body, (s) => (s === scopes ? `\${${local}}` : s.replaceAll(hcl(scopes), local))) as Body,
      );
    }
  }
  return bodies;
}
