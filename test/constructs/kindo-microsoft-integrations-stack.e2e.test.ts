import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { KindoMicrosoftIntegrationsStack } from '../../src/constructs/kindo-microsoft-integrations-stack';
import { checkNangoFields } from '../../src/nango/nango-fields';
import { hasTerraform, terraform } from '../support/terraform';

// The default stack's variables, validated by real Terraform: a plan of a configuration that holds
// only them (the providers cannot be installed here) runs their validation blocks.
describe.skipIf(!hasTerraform)('KindoMicrosoftIntegrationsStack variables (terraform on the PATH)', () => {
  let dir: string;
  beforeAll(async () => {
    const tf = JSON.parse(
      Testing.synth(new KindoMicrosoftIntegrationsStack(Testing.app(), 'kindo-microsoft-integrations')),
    );
    dir = mkdtempSync(join(tmpdir(), 'kindo-vars-'));
    // A resource may not reference an ephemeral variable; Terraform validates those without it.
    const uses = Object.keys(tf.variable)
      .filter((name) => !tf.variable[name].ephemeral)
      .map((name) => `\${var.${name}}`);
    writeFileSync(
      join(dir, 'main.tf.json'),
      JSON.stringify({ variable: tf.variable, resource: { terraform_data: { uses: { input: uses } } } }),
    );
    expect((await terraform(dir, ['init', '-input=false'])).status).toBe(0);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const plan = async (vars: Record<string, string>) => {
    const run = await terraform(dir, ['plan', '-input=false'], { nango_secret_key: randomUUID(), ...vars });
    return { status: run.status, output: run.output.replace(/\s+/g, ' ') };
  };

  test('accept the defaults and well-formed values', async () => {
    expect((await plan({})).status).toBe(0);
    expect(
      (
        await plan({
          nango_server_url: 'http://127.0.0.1:3003',
          fabric_sql_endpoint_host: 'foo.datawarehouse.fabric.microsoft.com,1433',
          fabric_lakehouse_database: 'Sales Lakehouse',
        })
      ).status,
    ).toBe(0);
  }, 60_000);

  test('accept nango_fields of the guide in their form, other names, blanks, and prevent_duplicate_names = false', async () => {
    const fields =
      '{"purview-data-governance"={purview_endpoint="https://contoso.purview.azure.com",subscription_id="00000000-0000-0000-0000-000000000001"},"outlook-calendar"={target_user_id="alex@contoso.com"},teams={region_hint="west",tenant_id=""}}';
    const run = await plan({ nango_fields: fields, prevent_duplicate_names: 'false' });
    expect(run.status, run.output).toBe(0);
  }, 60_000);

  /** The constructs' message for the same fields, with the variable's entry in place of the prop's name. */
  const constructMessage = (id: string, fields: Record<string, string>) => {
    try {
      checkNangoFields('nangoFields', fields);
    } catch (e) {
      return (e as Error).message.replace('nangoFields', `nango_fields["${id}"]`);
    }
    throw new Error('the constructs accept these fields');
  };
  const planted = `planted-${randomUUID()}`;
  test.each([
    [
      'an integration not registered with Nango',
      { fabric: { tenant_id: '' } },
      "nango_fields has entries for fabric; expected fields only for this stack's integrations registered with Nango (KINDO_INTEGRATIONS): defender,",
    ],
    [
      'a secret-like name',
      { teams: { client_secret: planted } },
      constructMessage('teams', { client_secret: planted }),
    ],
    [
      'a Purview endpoint of another host',
      { 'purview-data-governance': { purview_endpoint: 'https://contoso.example.com' } },
      constructMessage('purview-data-governance', { purview_endpoint: 'https://contoso.example.com' }),
    ],
    [
      'a target user that is neither GUID nor UPN',
      { 'outlook-calendar': { target_user_id: 'alex' } },
      constructMessage('outlook-calendar', { target_user_id: 'alex' }),
    ],
  ])(
    "fails if nango_fields has %s, with the constructs' message",
    async (_, fields, message) => {
      const run = await plan({ nango_fields: JSON.stringify(fields).replace(/":/g, '"=') });
      expect(run.status).toBe(1);
      expect(run.output.replace(/[│╷╵]/g, '').replace(/\s+/g, ' ')).toContain(message);
      expect(run.output).not.toContain(planted);
    },
    60_000,
  );

  test.each([
    [
      'nango_server_url',
      'http://nango.example.com',
      'nango_server_url must be an https:// URL without credentials, query or fragment',
    ],
    [
      'fabric_sql_endpoint_host',
      'foo.datawarehouse.fabric.microsoft.com',
      'fabric_sql_endpoint_host must be host,port',
    ],
    [
      'fabric_lakehouse_database',
      "sales'; drop",
      'fabric_lakehouse_database must be a database name of 1 to 128 characters without brackets, quotes or semicolons',
    ],
  ])(
    'fails if %s is %j',
    async (name, value, message) => {
      const run = await plan({ [name]: value });
      expect(run.status).toBe(1);
      expect(run.output).toContain(message);
    },
    60_000,
  );
});
