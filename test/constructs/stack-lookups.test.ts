import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraformOutput, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { catalog } from '../../src/catalog/catalog';
import { MicrosoftIntegrationApp } from '../../src/constructs/microsoft-integration-app';
import { requireDelegatedScopes } from '../../src/constructs/stack-lookups';
import { hasTerraform, terraform } from '../support/terraform';

type Synth = Record<string, any>;

const GRAPH = '00000003-0000-0000-c000-000000000000';
const WDATP = 'fc780465-2017-40d4-a0c5-307022471b92';
const MTP = '8ee8fdad-f234-4243-8f3b-15c294843740';

/** defender (Graph, Threat Protection, WindowsDefenderATP) and outlook (Graph) in one stack. */
function synthStack(build?: (stack: TerraformStack) => void): Synth {
  const stack = new TerraformStack(Testing.app(), 'test');
  const secretKey = new TerraformVariable(stack, 'nango_secret_key', { type: 'string', sensitive: true }).stringValue;
  for (const integration of ['defender', 'outlook'] as const)
    new MicrosoftIntegrationApp(stack, integration, { integration, nango: { secretKey } });
  build?.(stack);
  return JSON.parse(Testing.synth(stack));
}

describe('tenant preflight (requireDelegatedScopes)', () => {
  const tf = synthStack();
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
      error_message: `Microsoft API WindowsDefenderATP (app ID ${WDATP}) has no service principal in this tenant, and integration 'defender' requests its delegated permissions, so it could not be consented. Nothing was changed. Expected the API's service principal: have an administrator create it once with \`az ad sp create --id ${WDATP}\` (or POST https://graph.microsoft.com/v1.0/servicePrincipals with body {"appId": "${WDATP}"}), then plan again; or leave out what needs it. See docs/troubleshooting.md.`,
    });
    expect(conditions[0].error_message).toContain(
      "and integration 'defender', integration 'outlook' request its delegated permissions",
    );
  });

  test('checks every requested scope ID against the API once, naming everyone who requests it', () => {
    const graph = lookups.KindoApiMicrosoftGraph.lifecycle.postcondition;
    const names = new Set(
      [...catalog().defender.apis[0].permissions, ...catalog().outlook.apis[0].permissions].map((p) => p.name),
    );
    expect(graph).toHaveLength(names.size);
    const userRead = graph.find((c: any) => c.condition.includes('"User.Read"'));
    expect(userRead.condition).toBe(
      '${lookup(self.oauth2_permission_scope_ids, "User.Read", "") == "e1fe6dd8-ba31-4d61-89e7-88639da4683d"}',
    );
    expect(userRead.error_message).toBe(
      "integration 'defender', integration 'outlook' request Microsoft Graph delegated scope User.Read with ID e1fe6dd8-ba31-4d61-89e7-88639da4683d, but this tenant's Microsoft Graph publishes User.Read with ID ${lookup(self.oauth2_permission_scope_ids, \"User.Read\", \"none (not published)\")}. Nothing was changed. Expected the published ID: correct it where the scope is requested (permissions/*.json, or addPermissions), or remove the scope (removePermissions), then plan again. See docs/troubleshooting.md.",
    );
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
    const shared = synthStack((stack) => {
      const ids = requireDelegatedScopes(stack, 'Kindo SaaS consent', [extra]);
      new TerraformOutput(stack, 'graph', { value: ids.get('Microsoft Graph') });
    });
    expect(Object.keys(shared.data.azuread_service_principal)).toHaveLength(3);
    expect(
      shared.data.azuread_service_principal.KindoApiMicrosoftGraph.lifecycle.postcondition
        .map((c: any) => c.error_message)
        .join('\n'),
    ).toContain('Kindo SaaS consent requests Microsoft Graph delegated scope Mail.Read');
    expect(shared.data.azuread_service_principals.KindoApiPresence.lifecycle.postcondition[0].error_message).toContain(
      "Kindo SaaS consent, integration 'defender', integration 'outlook' request its",
    );
    expect(shared.output.graph.value).toBe('${data.azuread_service_principal.KindoApiMicrosoftGraph[0].object_id}');
  });
});

// The synthesized conditions, evaluated by real Terraform with the tenant's answers as variables:
// the lookups' `self` becomes `var.presence` / `var.<api>`, and their postconditions become
// preconditions of terraform_data, which Terraform checks at plan the same way.
describe.skipIf(!hasTerraform)('tenant preflight under terraform (terraform on the PATH)', () => {
  const tf = synthStack();
  const presence = tf.data.azuread_service_principals.KindoApiPresence;
  const lookups: Record<string, any> = tf.data.azuread_service_principal;
  let dir: string;

  const rules = (conditions: any[], self: string) =>
    conditions.map((c) => ({
      condition: c.condition.replaceAll('self.', `${self}.`),
      error_message: c.error_message.replaceAll('self.', `${self}.`),
    }));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kindo-preflight-'));
    const variable: Record<string, unknown> = { presence: { type: 'any' } };
    const resource: Record<string, unknown> = {
      presence: { lifecycle: { precondition: rules(presence.lifecycle.postcondition, 'var.presence') } },
    };
    for (const [name, lookup] of Object.entries(lookups)) {
      variable[name] = { type: 'any' };
      resource[name] = {
        count: lookup.count.replace('data.azuread_service_principals.KindoApiPresence', 'var.presence'),
        lifecycle: { precondition: rules(lookup.lifecycle.postcondition, `var.${name}`) },
      };
    }
    const output = Object.fromEntries(
      Object.keys(lookups).map((name) => [name, { value: `\${length(terraform_data.${name})}` }]),
    );
    writeFileSync(
      join(dir, 'main.tf.json'),
      JSON.stringify({ variable, resource: { terraform_data: resource }, output }, null, 2),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The tenant: which APIs have a service principal, and the scope IDs each publishes (the catalog's unless changed). */
  const tenant = (present: string[], change: Record<string, string | null> = {}) => {
    const published = (api: string) => {
      const ids: Record<string, string> = {};
      for (const d of Object.values(catalog()))
        for (const a of d.apis) if (a.name === api) for (const p of a.permissions) ids[p.name] = p.id;
      for (const [name, id] of Object.entries(change))
        if (id === null) delete ids[name];
        else ids[name] = id;
      return { oauth2_permission_scope_ids: ids };
    };
    return {
      presence: JSON.stringify({ service_principals: present.map((client_id) => ({ client_id })) }),
      KindoApiMicrosoftGraph: JSON.stringify(published('Microsoft Graph')),
      KindoApiMicrosoftThreatProtection: JSON.stringify(published('Microsoft Threat Protection')),
      KindoApiWindowsDefenderATP: JSON.stringify(published('WindowsDefenderATP')),
    };
  };
  const apply = async (vars: Record<string, string>) => {
    const run = await terraform(
      dir,
      ['apply', '-auto-approve', '-input=false', `-state=${join(dir, `${Math.random()}.tfstate`)}`],
      vars,
    );
    return { status: run.status, output: run.output.replace(/\s+/g, ' ').replace(/│ /g, '') };
  };

  test('passes when every API exists and publishes the requested IDs, reading each API once', async () => {
    const run = await apply(tenant([GRAPH, MTP, WDATP]));
    expect(run.status, run.output).toBe(0);
    expect(run.output).toMatch(
      /KindoApiMicrosoftGraph = 1 KindoApiMicrosoftThreatProtection = 1 KindoApiWindowsDefenderATP = 1/,
    );
  }, 60_000);

  test('stops when an API has no service principal, naming the API, its app ID, who needs it and the fix', async () => {
    const run = await apply(tenant([GRAPH, MTP]));
    expect(run.status).toBe(1);
    expect(run.output).toContain(
      `Microsoft API WindowsDefenderATP (app ID ${WDATP}) has no service principal in this tenant, and integration 'defender' requests its delegated permissions`,
    );
    expect(run.output).toContain(`az ad sp create --id ${WDATP}`);
    expect(run.output).not.toContain('Microsoft API Microsoft Threat Protection');
  }, 60_000);

  test('does not read a missing API (count 0), so its scope checks never run', async () => {
    const dirOutputs = await apply({ ...tenant([GRAPH]), KindoApiWindowsDefenderATP: '{}' });
    // The presence check stops the plan; the missing API's lookup, with no attributes at all, raised nothing.
    expect(dirOutputs.output).not.toContain('Unsupported attribute');
    expect(dirOutputs.output).toContain('Microsoft API WindowsDefenderATP');
    expect(dirOutputs.output).toContain('Microsoft API Microsoft Threat Protection');
  }, 60_000);

  test('stops when a scope ID differs from the published one, naming integration, API, scope, expected and found ID', async () => {
    const run = await apply(tenant([GRAPH, MTP, WDATP], { 'Mail.Send': '00000000-0000-0000-0000-000000000000' }));
    expect(run.status).toBe(1);
    expect(run.output).toContain(
      "integration 'outlook' requests Microsoft Graph delegated scope Mail.Send with ID e383f46e-2787-4529-855e-0e479a3ffac0, but this tenant's Microsoft Graph publishes Mail.Send with ID 00000000-0000-0000-0000-000000000000.",
    );
  }, 60_000);

  test('stops when the API does not publish a requested scope at all', async () => {
    const run = await apply(tenant([GRAPH, MTP, WDATP], { 'Machine.Offboard': null }));
    expect(run.status).toBe(1);
    expect(run.output).toMatch(
      /integration 'defender' requests WindowsDefenderATP delegated scope Machine\.Offboard with ID [0-9a-f-]{36}, but this tenant's WindowsDefenderATP publishes Machine\.Offboard with ID none \(not published\)\./,
    );
  }, 60_000);
});
