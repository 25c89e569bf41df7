import { TerraformOutput } from 'cdktf';
import { catalog } from '../../src/catalog/catalog';
import { requireDelegatedScopes } from '../../src/constructs/stack-lookups';
import { synthDefenderAndOutlook } from '../support/integration-app';

const GRAPH = '00000003-0000-0000-c000-000000000000';
const WDATP = 'fc780465-2017-40d4-a0c5-307022471b92';
const MTP = '8ee8fdad-f234-4243-8f3b-15c294843740';

describe('tenant preflight (requireDelegatedScopes)', () => {
  const tf = synthDefenderAndOutlook();
  const presence = tf.data.azuread_service_principals.KindoApiPresence;
  const lookups = tf.data.azuread_service_principal;

  test('reads which APIs exist once, by application ID, without failing on a missing one', () => {
    expect(Object.keys(tf.data.azuread_service_principals)).toEqual(['KindoApiPresence']);
    expect(presence.client_ids).toEqual([GRAPH, MTP, WDATP]);
    expect(presence.ignore_missing).toBe(true);
  });

  test('reads each API in use once, only when the presence lookup found it', () => {
    expect(Object.keys(lookups).sort()).toEqual([
      'KindoApiMicrosoftGraph',
      'KindoApiMicrosoftThreatProtection',
      'KindoApiWindowsDefenderATP',
    ]);
    expect(lookups.KindoApiWindowsDefenderATP).toMatchObject({
      client_id: WDATP,
      count: `\${contains(data.azuread_service_principals.KindoApiPresence.service_principals[*].client_id, "${WDATP}") ? 1 : 0}`,
    });
  });

  test('consent grants take the API from its guarded lookup', () => {
    const grants = Object.values<any>(tf.resource.azuread_service_principal_delegated_permission_grant).map(
      (g) => g.resource_service_principal_object_id,
    );
    expect(grants).toContain('${data.azuread_service_principal.KindoApiWindowsDefenderATP[0].object_id}');
    expect(grants.filter((g) => g.includes('KindoApiMicrosoftGraph[0]'))).toHaveLength(2);
  });

  test('stops the plan for each API that has no service principal, naming who needs it and the fix', () => {
    const conditions = presence.lifecycle.postcondition;
    expect(conditions).toHaveLength(3);
    expect(conditions[2]).toEqual({
      condition: `\${contains(self.service_principals[*].client_id, "${WDATP}")}`,
      error_message: `Microsoft API WindowsDefenderATP (app ID ${WDATP}) has no service principal in this tenant, and integration 'defender' requests its delegated permissions. Nothing was changed. Fix: an administrator runs \`az ad sp create --id ${WDATP}\` once, then plan again; or leave out what needs it (docs/troubleshooting.md#the-plan-stops-an-api-has-no-service-principal).`,
    });
    expect(conditions[0].error_message).toContain(
      "and integration 'defender', integration 'outlook' request its delegated permissions",
    );
  });

  test('checks every requested scope ID against the API in one condition, naming everyone who requests it', () => {
    const graph = lookups.KindoApiMicrosoftGraph.lifecycle.postcondition;
    const permissions = [...catalog().defender.apis[0].permissions, ...catalog().outlook.apis[0].permissions];
    expect(graph).toHaveLength(1);
    const [{ condition, error_message }] = graph;
    expect(condition).toMatch(
      /^\$\{alltrue\(\[for r in \[.*\] : lookup\(self\.oauth2_permission_scope_ids, r\.name, ""\) == r\.id\]\)\}$/,
    );
    for (const p of permissions) expect(condition).toContain(`{name = "${p.name}", id = "${p.id}"}`);
    expect(error_message).toContain(
      '{name = "User.Read", id = "e1fe6dd8-ba31-4d61-89e7-88639da4683d", by = "integration \'defender\', integration \'outlook\' request"}',
    );
    // One line per scope whose ID differs, in the words of the per-scope message (evaluated in stack-lookups.e2e.test.ts).
    expect(error_message).toMatch(
      /^\$\{join\("\\n", \[for r in \[.*\] : "\$\{r\.by\} Microsoft Graph delegated scope /,
    );
    expect(error_message).toContain(
      'publishes ${r.name} with ID ${lookup(self.oauth2_permission_scope_ids, r.name, "none (not published)")}. Nothing was changed.',
    );
    expect(error_message).toMatch(/" if lookup\(self\.oauth2_permission_scope_ids, r\.name, ""\) != r\.id\]\)\}$/);
  });

  test('is shared with other constructs that request delegated scopes: one lookup per API still', () => {
    const graph = catalog().outlook.apis[0];
    const extra = {
      ...graph,
      permissions: [
        {
          name: 'Mail.Read',
          id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca',
          description: 'Read user mail',
          access: 'read' as const,
          adminConsentRequired: false,
        },
      ],
    };
    const shared = synthDefenderAndOutlook((stack) => {
      const ids = requireDelegatedScopes(stack, 'Kindo SaaS consent', [extra]);
      new TerraformOutput(stack, 'graph', { value: ids.get('Microsoft Graph') });
    });
    expect(Object.keys(shared.data.azuread_service_principal)).toHaveLength(3);
    expect(
      shared.data.azuread_service_principal.KindoApiMicrosoftGraph.lifecycle.postcondition
        .map((c: any) => c.error_message)
        .join('\n'),
    ).toContain(
      '{name = "Mail.Read", id = "570282fd-fa5c-430d-a7fd-fc8dc98a9dca", by = "Kindo SaaS consent requests"}',
    );
    expect(shared.data.azuread_service_principals.KindoApiPresence.lifecycle.postcondition[0].error_message).toContain(
      "Kindo SaaS consent, integration 'defender', integration 'outlook' request its",
    );
    expect(shared.output.graph.value).toBe('${data.azuread_service_principal.KindoApiMicrosoftGraph[0].object_id}');
  });
});
