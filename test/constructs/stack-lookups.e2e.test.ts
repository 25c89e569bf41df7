import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalog } from '../../src/catalog/catalog';
import { synthDefenderAndOutlook } from '../support/integration-app';
import { hasTerraform, terraform } from '../support/terraform';

const GRAPH = '00000003-0000-0000-c000-000000000000';
const WDATP = 'fc780465-2017-40d4-a0c5-307022471b92';
const MTP = '8ee8fdad-f234-4243-8f3b-15c294843740';

// The synthesized conditions, evaluated by real Terraform with the tenant's answers as variables:
// the lookups' `self` becomes `var.presence` / `var.<api>`, and their postconditions become
// preconditions of terraform_data, which Terraform checks at plan the same way.
describe.skipIf(!hasTerraform)('tenant preflight under terraform (terraform on the PATH)', () => {
  const tf = synthDefenderAndOutlook();
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

  test('names every scope of an API whose ID differs, one line each, and no scope that matches', async () => {
    const zero = '00000000-0000-0000-0000-000000000000';
    const run = await apply(tenant([GRAPH, MTP, WDATP], { 'Mail.Send': zero, 'User.Read': zero }));
    expect(run.status).toBe(1);
    expect(run.output).toContain(
      `integration 'outlook' requests Microsoft Graph delegated scope Mail.Send with ID e383f46e-2787-4529-855e-0e479a3ffac0, but this tenant's Microsoft Graph publishes Mail.Send with ID ${zero}.`,
    );
    expect(run.output).toContain(
      `integration 'defender', integration 'outlook' request Microsoft Graph delegated scope User.Read with ID e1fe6dd8-ba31-4d61-89e7-88639da4683d, but this tenant's Microsoft Graph publishes User.Read with ID ${zero}.`,
    );
    expect(run.output).not.toContain('delegated scope People.Read');
  }, 60_000);

  test('stops when the API does not publish a requested scope at all', async () => {
    const run = await apply(tenant([GRAPH, MTP, WDATP], { 'Machine.Offboard': null }));
    expect(run.status).toBe(1);
    expect(run.output).toMatch(
      /integration 'defender' requests WindowsDefenderATP delegated scope Machine\.Offboard with ID [0-9a-f-]{36}, but this tenant's WindowsDefenderATP publishes Machine\.Offboard with ID none \(not published\)\./,
    );
  }, 60_000);
});
