import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { EXAMPLE_DIR, MODULE_DIR, renderModule } from '../scripts/generate-module';
import { INTEGRATION_IDS, catalog, type IntegrationId } from '../src/catalog/catalog';
import { KindoMicrosoftIntegrations, type KindoMicrosoftIntegrationsProps } from '../src/constructs/kindo-microsoft-integrations';
import { FakeNango } from './support/fake-nango';
import { hasTerraform, terraform } from './support/terraform';

type Body = Record<string, any>;
const ROOT = join(__dirname, '..');
const read = (file: string): Body => JSON.parse(readFileSync(join(MODULE_DIR, file), 'utf8'));
const variables: Record<string, Body> = read('variables.tf.json').variable;
const outputs: Record<string, Body> = read('outputs.tf.json').output;
const main = read('main.tf.json') as { resource: Record<string, Record<string, Body>>; data: Record<string, Record<string, Body>> };
const requiredInputs = Object.keys(variables).filter((name) => !('default' in variables[name]));
const filesUnder = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(ROOT, join(e.parentPath, e.name))) : [];

/** Arguments set in the `module "…"` block of an HCL snippet. */
function moduleArguments(hcl: string): string[] {
  const block = /module "[^"]+" \{\n([\s\S]*?)\n\}/.exec(hcl)![1];
  return [...block.matchAll(/^\s+([a-z_]+)\s+=/gm)].map((m) => m[1]).filter((a) => a !== 'source');
}

/** Instances Terraform's own synth of the constructs holds, by resource type, for a selection. */
function constructInstances(integrations: readonly IntegrationId[], props: Partial<KindoMicrosoftIntegrationsProps> = {}): Record<string, number> {
  const stack = new TerraformStack(Testing.app(), 'constructs');
  const secretKey = new TerraformVariable(stack, 'nango_secret_key', { type: 'string', sensitive: true }).stringValue;
  new KindoMicrosoftIntegrations(stack, 'Kindo', { integrations, nango: { secretKey }, ...props });
  const config = stack.toTerraform() as { resource: Record<string, Body>; data: Record<string, Body> };
  const counts: Record<string, number> = {};
  for (const [kind, prefix] of [['resource', ''], ['data', 'data.']] as const) {
    for (const [type, blocks] of Object.entries(config[kind] ?? {})) counts[`${prefix}${type}`] = Object.keys(blocks).length;
  }
  return counts;
}

const unwrap = (template: string) => /^\$\{([\s\S]*)\}$/.exec(template)![1];

/** What an integration's app requests, by API application ID, as constructs or module state it. */
interface Requested {
  /** required_resource_access: scope IDs by API. */
  readonly access: Record<string, string[]>;
  /** Admin-consent grants that exist: scope names by API. */
  readonly grants: Record<string, string[]>;
  /** The scopes registered with Nango. */
  readonly scopes: string;
  readonly notes: string;
}

/** Per integration, what Terraform's synth of the constructs requests for a selection. */
function constructRequests(integrations: readonly IntegrationId[], props: Partial<KindoMicrosoftIntegrationsProps>): Record<string, Requested> {
  const stack = new TerraformStack(Testing.app(), 'constructs');
  const secretKey = new TerraformVariable(stack, 'nango_secret_key', { type: 'string', sensitive: true }).stringValue;
  new KindoMicrosoftIntegrations(stack, 'Kindo', { integrations, nango: { secretKey }, ...props });
  const config = stack.toTerraform() as { resource: Record<string, Record<string, Body>>; data: Record<string, Record<string, Body>> };
  // Construct paths are constructs/Kindo/<integration id>/…
  const of = (type: string, id: string) => Object.values(config.resource[type] ?? {}).filter((b) => b['//'].metadata.path.split('/')[2] === id);
  return Object.fromEntries(
    integrations.map((id) => {
      const [app] = of('azuread_application', id);
      const apiOf = (grant: Body) => config.data.azuread_service_principal[/data\.azuread_service_principal\.(\w+)[.[]/.exec(grant.resource_service_principal_object_id)![1]].client_id;
      const requested: Requested = {
        access: Object.fromEntries(app.required_resource_access.map((r: Body) => [r.resource_app_id, r.resource_access.map((a: Body) => a.id)])),
        grants: Object.fromEntries(of('azuread_service_principal_delegated_permission_grant', id).map((g) => [apiOf(g), g.claim_values])),
        scopes: of('terraform_data', id).find((d) => d.triggers_replace.scopes)!.triggers_replace.scopes,
        notes: app.notes,
      };
      return [id, requested];
    }),
  );
}

/** The module's variables for a selection and the constructs' props. */
function moduleVars(integrations: readonly IntegrationId[], props: Partial<KindoMicrosoftIntegrationsProps>): Record<string, string> {
  const vars: Record<string, string> = { integrations: JSON.stringify(integrations) };
  if (props.adminConsent === false) vars.admin_consent = 'false';
  // JSON is valid HCL for the map inputs; the module spells one attribute of an addition in snake case.
  if (props.removePermissions) vars.remove_permissions = JSON.stringify(props.removePermissions);
  if (props.addPermissions) vars.add_permissions = JSON.stringify(props.addPermissions).replace(/"adminConsentRequired"/g, '"admin_consent_required"');
  return vars;
}

const OUTLOOK_WITHOUT_MAIL_SEND: Partial<KindoMicrosoftIntegrationsProps> = { removePermissions: { outlook: ['Mail.Send'] } };
const TEAMS_WITH_MAIL_READ: Partial<KindoMicrosoftIntegrationsProps> = {
  addPermissions: {
    teams: [{ api: 'Microsoft Graph', name: 'Mail.Read', id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca', justification: 'Kindo summarizes mail about the channels it reads' }],
  },
};
// Every WindowsDefenderATP scope of defender's guide list, so that its grant and lookup go away.
const DEFENDER_WITHOUT_WDATP: Partial<KindoMicrosoftIntegrationsProps> = {
  removePermissions: { defender: catalog().defender.apis.find((a) => a.name === 'WindowsDefenderATP')!.permissions.map((p) => `WindowsDefenderATP/${p.name}`) },
};
const TF_ENV = { ...process.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' };

describe('Terraform module (module/)', () => {
  let generated: Record<string, string>;
  beforeAll(() => {
    generated = renderModule();
  }, 60_000);

  test('is up to date with the constructs (run `npm run module` when this fails)', () => {
    expect([...filesUnder(MODULE_DIR), ...filesUnder(EXAMPLE_DIR)].sort()).toEqual(Object.keys(generated).sort());
    for (const [path, content] of Object.entries(generated)) expect(readFileSync(join(ROOT, path), 'utf8'), path).toBe(content);
  });

  test('README lists exactly the inputs and outputs the module declares', () => {
    const readme = readFileSync(join(MODULE_DIR, 'README.md'), 'utf8');
    const section = (title: string) => readme.split(`## ${title}\n`)[1].split('\n## ')[0];
    const names = (text: string) => [...text.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]).sort();
    expect(names(section('Inputs'))).toEqual(Object.keys(variables).sort());
    expect(names(section('Outputs'))).toEqual(Object.keys(outputs).sort());
    for (const name of requiredInputs) expect(section('Inputs')).toMatch(new RegExp(`^\\| \`${name}\` \\| [^|]+ \\| required \\|`, 'm'));
  });

  test('README starts with an HCL example; it and examples/basic set every required input and no unknown one', () => {
    const readme = readFileSync(join(MODULE_DIR, 'README.md'), 'utf8');
    const first = /```hcl\n([\s\S]*?)```/.exec(readme)!;
    expect(readme.slice(0, first.index)).not.toContain('```');
    const example = readFileSync(join(EXAMPLE_DIR, 'main.tf'), 'utf8');
    expect(example).toMatch(/source = "\.\.\/\.\.\/module"/);
    expect(example).toMatch(/^provider "azuread" \{\}$/m);
    for (const hcl of [first[1], example]) {
      const args = moduleArguments(hcl);
      expect(args.filter((a) => !(a in variables))).toEqual([]);
      expect(requiredInputs.filter((r) => !args.includes(r))).toEqual([]);
    }
  });

  test('requires its providers with version constraints and configures none, with no backend', () => {
    expect(read('versions.tf.json')).toEqual({
      terraform: { required_version: '>= 1.9', required_providers: { azuread: { source: 'hashicorp/azuread', version: '~> 3.7' } } },
    });
    for (const file of readdirSync(MODULE_DIR).filter((f) => f.endsWith('.tf.json'))) {
      const config = read(file);
      expect(config.provider, file).toBeUndefined();
      expect(config.terraform?.backend, file).toBeUndefined();
    }
  });

  test('keeps no drift check and none of the constructs\' metadata', () => {
    expect(Object.keys(main).sort()).toEqual(['data', 'resource']);
    expect(JSON.stringify(main)).not.toContain('"//"');
    expect(JSON.stringify(main)).not.toContain('data.http');
  });

  test("holds Kindo's guide list of each delegated integration as locals, and no permission of theirs elsewhere", () => {
    const permissions = read('permissions.tf.json');
    expect(Object.keys(permissions)).toEqual(['locals']);
    const delegated = INTEGRATION_IDS.filter((id) => catalog()[id].authFlow === 'delegated');
    expect(permissions.locals.guide_permissions).toEqual(
      Object.fromEntries(delegated.map((id) => [id, catalog()[id].apis.flatMap((a) => a.permissions.map((p) => ({ api: a.name, resource_app_id: a.resourceAppId, name: p.name, id: p.id })))])),
    );
    // Each app's required_resource_access is one block per key of its for_each (API application ID => scope IDs).
    for (const id of delegated) {
      expect(main.resource.azuread_application[`${id}_application`].dynamic).toEqual({
        required_resource_access: {
          for_each: `\${local.resource_access["${id}"]}`,
          content: {
            resource_app_id: '${required_resource_access.key}',
            dynamic: { resource_access: { for_each: '${required_resource_access.value}', content: { id: '${resource_access.value}', type: 'Scope' } } },
          },
        },
      });
    }
    const text = JSON.stringify(main);
    // Fabric's app keeps its literal list: it signs in with client credentials and takes no overrides.
    const fabricScopeIds = catalog().fabric.apis.flatMap((a) => a.permissions.map((p) => p.id));
    for (const id of delegated) {
      for (const p of catalog()[id].apis.flatMap((a) => a.permissions)) {
        expect(text.match(new RegExp(`"${p.id}"`, 'g'))?.length ?? 0, `${id} ${p.name}`).toBe(fabricScopeIds.includes(p.id) ? 1 : 0);
      }
    }
  });

  test('keys every resource by its integration id and indexes every reference to it', () => {
    for (const [type, blocks] of Object.entries(main.resource)) {
      for (const [name, body] of Object.entries(blocks)) {
        const id = INTEGRATION_IDS.find((i) => name.startsWith(`${i}_`) && !INTEGRATION_IDS.some((j) => j.length > i.length && name.startsWith(`${j}_`)))!;
        // Consent grants also need their API to have scopes left after remove_permissions.
        const grant = ` && var\\.admin_consent && length\\(lookup\\(local\\.claim_values\\["${id}"\\], "[^"]+", \\[\\]\\)\\) > 0`;
        expect(body.for_each, `${type}.${name}`).toMatch(new RegExp(`^\\$\\{contains\\(var\\.integrations, "${id}"\\)(${grant})? \\? toset\\(\\["${id}"\\]\\) : toset\\(\\[\\]\\)\\}$`));
      }
    }
    const text = JSON.stringify([main, outputs]).replace(/"depends_on":\[[^\]]*\]/g, '');
    const addresses = Object.entries({ ...main.resource, ...Object.fromEntries(Object.entries(main.data).map(([t, b]) => [`data.${t}`, b])) }).flatMap(([type, blocks]) =>
      Object.keys(blocks).map((name) => `${type}.${name}`),
    );
    for (const address of addresses) {
      const uses = [...text.matchAll(new RegExp(`(?<![\\w.-])${address.replace(/\./g, '\\.')}(?![\\w-])(.)`, 'g'))].map((m) => m[1]);
      // `[` for an instance; ` ` only where outputs iterate over the instances (`for k, _ in <address> :`).
      expect(uses.filter((c) => c !== '[' && c !== ' '), address).toEqual([]);
    }
  });

  test("copies the constructs' Nango registration script and calls it from the module's own directory", () => {
    expect(readFileSync(join(MODULE_DIR, 'nango-registration.sh'), 'utf8')).toBe(readFileSync(join(ROOT, 'assets', 'nango-registration.sh'), 'utf8'));
    const commands = Object.values(main.resource.terraform_data).map((r) => r.provisioner[0]['local-exec'].command);
    expect(commands.length).toBeGreaterThan(0);
    for (const c of commands) expect(c).toMatch(/^sh "\$\{path\.module\}\/nango-registration\.sh" (upsert|delete)$/);
  });
});

describe.skipIf(!hasTerraform)('Terraform module evaluated by terraform (terraform on the PATH)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kindo-module-vars-'));
    // Only the module's inputs and the locals they and the permission overrides read: validation runs
    // at plan, with no provider to download.
    for (const file of ['variables.tf.json', 'permissions.tf.json']) cpSync(join(MODULE_DIR, file), join(dir, file));
    const input = Object.fromEntries(Object.keys(variables).map((name) => [name, `\${var.${name}}`]));
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ resource: { terraform_data: { inputs: { input } } } }));
    const init = await terraform(dir, ['init', '-input=false']);
    expect(init.status, init.output).toBe(0);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Instances the module would hold, by resource type: each count and for_each evaluated by `terraform console`. */
  function moduleInstances(vars: Record<string, string>): Record<string, number> {
    const blocks = { ...main.resource, ...Object.fromEntries(Object.entries(main.data).map(([t, b]) => [`data.${t}`, b])) };
    const types = Object.entries(blocks).flatMap(([type, byName]) => Object.values(byName).map((b) => [type, b.for_each ? `length(${unwrap(b.for_each)})` : unwrap(b.count)]));
    const env: NodeJS.ProcessEnv = { ...TF_ENV };
    for (const [k, v] of Object.entries({ nango_secret_key: 'k', ...vars })) env[`TF_VAR_${k}`] = v;
    const input = `jsonencode([${types.map(([, n]) => n).join(', ')}])\n`;
    const run = spawnSync('terraform', ['console', '-no-color'], { cwd: dir, env, input, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const counts = JSON.parse(JSON.parse(run.stdout.trim().split('\n').pop()!)) as number[];
    const byType: Record<string, number> = {};
    types.forEach(([type], i) => {
      if (counts[i] > 0) byType[type] = (byType[type] ?? 0) + counts[i];
    });
    return byType;
  }

  /** Per integration, what the module requests: its expressions evaluated by `terraform console`. */
  function moduleRequests(vars: Record<string, string>, integrations: readonly IntegrationId[]): Record<string, Requested> {
    const grants = Object.entries(main.resource.azuread_service_principal_delegated_permission_grant);
    const apiOf = (grant: Body) => main.data.azuread_service_principal[/data\.azuread_service_principal\.(\w+)\[/.exec(grant.resource_service_principal_object_id)![1]].client_id;
    const expressions = integrations.map((id) => {
      const app = main.resource.azuread_application[`${id}_application`];
      const own = grants.filter(([name]) => name.startsWith(`${id}_admin_consent_`)).map(([, g]) => `${JSON.stringify(apiOf(g))} = { count = length(${unwrap(g.for_each)}), claims = ${unwrap(g.claim_values)} }`);
      const scopes = main.resource.terraform_data[`${id}_nango_sync`].triggers_replace.scopes;
      return `${JSON.stringify(id)} = { access = ${unwrap(app.dynamic.required_resource_access.for_each)}, grants = { ${own.join(', ')} }, scopes = ${unwrap(scopes)}, notes = ${unwrap(app.notes)} }`;
    });
    const env: NodeJS.ProcessEnv = { ...TF_ENV };
    for (const [k, v] of Object.entries({ nango_secret_key: 'k', ...vars })) env[`TF_VAR_${k}`] = v;
    const run = spawnSync('terraform', ['console', '-no-color'], { cwd: dir, env, input: `jsonencode({ ${expressions.join(', ')} })\n`, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const evaluated = JSON.parse(JSON.parse(run.stdout.trim().split('\n').pop()!)) as Record<string, { grants: Record<string, { count: number; claims: string[] }> } & Omit<Requested, 'grants'>>;
    return Object.fromEntries(
      Object.entries(evaluated).map(([id, r]) => [id, { ...r, grants: Object.fromEntries(Object.entries(r.grants).flatMap(([api, g]) => (g.count > 0 ? [[api, g.claims]] : []))) }]),
    );
  }

  test.each<[string, readonly IntegrationId[], Partial<KindoMicrosoftIntegrationsProps>]>([
    ['one delegated integration', ['teams'], {}],
    ['Fabric alone, without Nango or grants', ['fabric'], {}],
    ['an integration with three APIs and one with two', ['defender', 'purview-data-governance', 'outlook'], {}],
    ['all 14', INTEGRATION_IDS, {}],
    ['a subset without admin consent', ['defender', 'sharepoint-online'], { adminConsent: false }],
    ['defender without any WindowsDefenderATP scope', ['defender', 'outlook'], DEFENDER_WITHOUT_WDATP],
    ['a subset with a permission removed and one added', ['outlook', 'teams'], { ...OUTLOOK_WITHOUT_MAIL_SEND, ...TEAMS_WITH_MAIL_READ }],
  ])('enabling %s yields exactly the objects the constructs create for it', (_, integrations, props) => {
    expect(moduleInstances(moduleVars(integrations, props))).toEqual(constructInstances(integrations, props));
  });

  test('removing Mail.Send from outlook and adding Mail.Read to teams changes their required permissions, consent and Nango scopes', () => {
    const props = { ...OUTLOOK_WITHOUT_MAIL_SEND, ...TEAMS_WITH_MAIL_READ };
    const requested = moduleRequests(moduleVars(['outlook', 'teams'], props), ['outlook', 'teams']);
    const graph = '00000003-0000-0000-c000-000000000000';
    const [mailSend, mailRead] = ['e383f46e-2787-4529-855e-0e479a3ffac0', '570282fd-fa5c-430d-a7fd-fc8dc98a9dca'];
    const guide = moduleRequests(moduleVars(['outlook', 'teams'], {}), ['outlook', 'teams']);
    expect(guide.outlook.access[graph]).toContain(mailSend);
    expect(guide.outlook.grants[graph]).toContain('Mail.Send');
    expect(guide.outlook.scopes.split(',')).toContain('Mail.Send');

    expect(requested.outlook.access[graph]).toEqual(guide.outlook.access[graph].filter((id) => id !== mailSend));
    expect(requested.outlook.grants[graph]).toEqual(guide.outlook.grants[graph].filter((n) => n !== 'Mail.Send'));
    expect(requested.outlook.scopes).toBe(guide.outlook.scopes.replace(',Mail.Send', ''));
    expect(requested.outlook.notes).toMatch(/ Deviates from Kindo's guide: -Mail\.Send$/);
    expect(requested.teams.access[graph]).toEqual([...guide.teams.access[graph], mailRead]);
    expect(requested.teams.grants[graph]).toEqual([...guide.teams.grants[graph], 'Mail.Read']);
    expect(requested.teams.scopes).toBe(`${guide.teams.scopes},Mail.Read`);
    expect(requested.teams.notes).toMatch(/ Deviates from Kindo's guide: \+Mail\.Read$/);
    expect(requested).toEqual(constructRequests(['outlook', 'teams'], props));
  });

  test.each<[string, readonly IntegrationId[], Partial<KindoMicrosoftIntegrationsProps>]>([
    ["Kindo's guide", ['defender', 'outlook', 'purview-data-governance'], {}],
    ['removals by name and by "<API>/<name>", with a whole API gone', ['defender', 'outlook'], { removePermissions: { ...DEFENDER_WITHOUT_WDATP.removePermissions, outlook: ['Microsoft Graph/Mail.Send', 'People.Read'] } }],
    [
      'additions to a second API and to Graph, with one scope removed and added back',
      ['defender', 'purview-data-governance'],
      {
        removePermissions: { defender: ['Incident.Read'] },
        addPermissions: {
          defender: [{ api: 'Microsoft Threat Protection', name: 'Incident.Read', id: '12c153a4-4204-4224-aa3c-4626e2f47c2b', justification: 'read back to test the round trip of a removed scope' }],
          'purview-data-governance': [
            { api: 'Microsoft Graph', name: 'Mail.Read', id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca', justification: 'Kindo links governance findings to the mail that caused them', access: 'read', adminConsentRequired: false },
          ],
        },
      },
    ],
    ['overrides without admin consent', ['outlook', 'teams'], { ...OUTLOOK_WITHOUT_MAIL_SEND, ...TEAMS_WITH_MAIL_READ, adminConsent: false }],
  ])('with %s, the module requests what the constructs request', (_, integrations, props) => {
    expect(moduleRequests(moduleVars(integrations, props), integrations)).toEqual(constructRequests(integrations, props));
  });

  const base = { integrations: '["teams","outlook","fabric"]', nango_secret_key: 'k' };
  /** add_permissions with one entry for teams: Graph Mail.Read, with fields replaced. */
  const added = (fields: Record<string, string> = {}) =>
    JSON.stringify({ teams: [{ api: 'Microsoft Graph', name: 'Mail.Read', id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca', justification: 'Kindo summarizes mail about the channels it reads', ...fields }] });
  test.concurrent.each<[string, Record<string, string>, string]>([
    ['integrations', { integrations: '["teams","skype"]' }, 'integrations has unknown ids: skype; expected ids from: defender,'],
    ['integrations', { integrations: '[]' }, 'integrations is empty; expected at least one integration id'],
    ['nango_server_url', { nango_server_url: 'http://nango.example.com' }, 'nango_server_url must be an https:// URL'],
    ['nango_server_url', { nango_server_url: 'https://user:pw@nango.example.com' }, 'nango_server_url must be an https:// URL without credentials'],
    ['nango_callback_url', { nango_callback_url: 'https://nango.example.com/oauth/callback?x=1' }, 'nango_callback_url must be an https:// URL'],
    ['nango_secret_key', { nango_secret_key: '' }, 'nango_secret_key is empty'],
    ['name_prefix', { name_prefix: 'x'.repeat(61) }, 'name_prefix is "xxx'],
    ['secret_lifetime_days', { secret_lifetime_days: '731' }, 'secret_lifetime_days is 731; expected a whole number of days from 1 to 730'],
    ['secret_lifetime_days', { secret_lifetime_days: '1.5' }, 'secret_lifetime_days is 1.5; expected a whole number of days'],
    ['owners', { owners: '["8f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b","alice"]' }, 'owners has alice; expected object IDs (GUIDs)'],
    ['tenant_id', { tenant_id: 'contoso.onmicrosoft.com' }, 'tenant_id is "contoso.onmicrosoft.com"; expected a GUID'],
    ['nango_unique_keys', { nango_unique_keys: '{teams="kindo/teams"}' }, 'nango_unique_keys has {"teams":"kindo/teams"}; expected keys of 1 to 255 letters'],
    ['nango_unique_keys', { nango_unique_keys: '{fabric="kindo-fabric"}' }, 'nango_unique_keys has entries for fabric; expected unique keys only for integrations registered with Nango'],
    ['nango_unique_keys', { nango_unique_keys: '{intune="kindo-intune"}' }, 'nango_unique_keys has entries for intune, which are not in integrations'],
    ['nango_unique_keys', { nango_unique_keys: '{teams="kindo-outlook"}' }, 'nango_unique_keys gives two enabled integrations the same Nango unique key'],
    ['nango_providers', { nango_providers: '{teams="microsoft"}' }, 'nango_providers has {"teams":"microsoft"}; expected OAUTH2 providers'],
    ['nango_providers', { nango_providers: '{teams="no-such-provider"}' }, 'nango_providers has {"teams":"no-such-provider"}; expected OAUTH2 providers'],
    ['nango_providers', { nango_providers: '{outlook="github-app"}' }, 'nango_providers has {"outlook":"github-app"}; expected OAUTH2 providers'],
    ['fabric_sql_endpoint_host', { fabric_sql_endpoint_host: 'foo.datawarehouse.fabric.microsoft.com' }, 'fabric_sql_endpoint_host is "foo.datawarehouse.fabric.microsoft.com"; expected host,port'],
    ['fabric_sql_endpoint_host', { fabric_sql_endpoint_host: 'foo.example.com,65536' }, 'fabric_sql_endpoint_host is "foo.example.com,65536"; expected host,port'],
    ['fabric_sql_endpoint_host', { integrations: '["teams"]', fabric_sql_endpoint_host: 'foo.example.com,1433' }, 'fabric_sql_endpoint_host is set, but fabric is not in integrations'],
    ['fabric_lakehouse_database', { fabric_lakehouse_database: 'db];drop' }, 'fabric_lakehouse_database is "db];drop"; expected a database name'],
    ['remove_permissions', { remove_permissions: '{fabric=["User.Read"]}' }, 'remove_permissions has entries for fabric; expected removals only for delegated integrations'],
    ['remove_permissions', { remove_permissions: '{intune=["User.Read"]}' }, 'remove_permissions has entries for intune, which are not in integrations'],
    [
      'remove_permissions',
      { remove_permissions: '{outlook=["Mail.Send","Mail.Read"]}' },
      'remove_permissions["outlook"][1] is "Mail.Read", which does not name exactly one permission of outlook; expected one of its guide list: Contacts.Read, Mail.Send, People.Read, User.Read.',
    ],
    ['remove_permissions', { remove_permissions: '{outlook=["WindowsDefenderATP/Mail.Send"]}' }, 'remove_permissions["outlook"][0] is "WindowsDefenderATP/Mail.Send", which does not name exactly one permission of outlook'],
    ['add_permissions', { add_permissions: added().replace('teams', 'fabric') }, 'add_permissions has entries for fabric; expected additions only for delegated integrations'],
    ['add_permissions', { add_permissions: added().replace('teams', 'intune') }, 'add_permissions has entries for intune, which are not in integrations'],
    ['add_permissions', { add_permissions: added({ api: 'Graph' }) }, 'add_permissions["teams"][0].api is "Graph"; expected one of the APIs the catalog knows: Microsoft Graph, Microsoft Threat Protection, WindowsDefenderATP, Microsoft Purview.'],
    [
      'add_permissions',
      { add_permissions: added({ api: 'WindowsDefenderATP', name: 'Alert.Read.All' }) },
      'add_permissions["teams"][0].api is "WindowsDefenderATP", which the guide list of teams does not use; expected one of its APIs, Microsoft Graph, since the module grants admin consent only to those.',
    ],
    ['add_permissions', { add_permissions: added({ name: 'Mail Read' }) }, 'add_permissions["teams"][0].name is "Mail Read"; expected a delegated scope name such as "Mail.Read".'],
    ['add_permissions', { add_permissions: added({ id: 'mail-read' }) }, 'add_permissions["teams"][0].id is "mail-read"; expected a GUID such as "00000000-0000-0000-0000-000000000000".'],
    ['add_permissions', { add_permissions: added({ justification: '  needed for mail   ' }) }, 'add_permissions["teams"][0].justification is " needed for mail "; expected a justification of at least 20 characters'],
    ['add_permissions', { add_permissions: added({ access: 'admin' }) }, 'add_permissions["teams"][0].access is "admin"; expected "read" or "write".'],
    [
      'add_permissions',
      { add_permissions: added({ name: 'Mail.Send' }) },
      'add_permissions["teams"][0].id is "570282fd-fa5c-430d-a7fd-fc8dc98a9dca", but the catalog gives Microsoft Graph Mail.Send the scope ID e383f46e-2787-4529-855e-0e479a3ffac0; expected that ID.',
    ],
    [
      'add_permissions',
      { add_permissions: added({ name: 'Mail.SendAs', id: 'e383f46e-2787-4529-855e-0e479a3ffac0' }) },
      'add_permissions["teams"][0].name is "Mail.SendAs", but e383f46e-2787-4529-855e-0e479a3ffac0 is Microsoft Graph Mail.Send in the catalog; expected that name.',
    ],
    [
      'add_permissions',
      { add_permissions: added({ name: 'User.Read', id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d' }) },
      'add_permissions["teams"][0].name is "User.Read", which teams already requests; expected a permission beyond its list.',
    ],
    [
      'add_permissions',
      { add_permissions: added().replace(/\[(.*)\]/, '[$1,$1]') },
      'add_permissions["teams"][1].name is "Mail.Read", which teams already requests; expected a permission beyond its list.',
    ],
  ])('fails if %s is invalid (%j), naming the input', async (_, vars, message) => {
    const result = await terraform(dir, ['plan', '-input=false', '-lock=false'], { ...base, ...vars });
    expect(result.status).toBe(1);
    expect(result.output.replace(/[│╷╵]/g, '').replace(/\s+/g, ' ')).toContain(message);
  }, 60_000);

  test('accepts every input set to a valid value', async () => {
    const result = await terraform(dir, ['plan', '-input=false', '-lock=false'], {
      ...base,
      nango_server_url: 'https://nango.example.com/',
      nango_callback_url: 'https://nango.example.com/oauth/callback',
      name_prefix: 'Contoso Kindo - ',
      secret_lifetime_days: '730',
      secret_rotation: '2026-11',
      owners: '["8f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b"]',
      admin_consent: 'false',
      tenant_id: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      nango_unique_keys: '{teams="teams-prod",outlook="kindo outlook@contoso"}',
      nango_providers: '{teams="microsoft-teams-bot",outlook="microsoft-tenant-specific"}',
      fabric_sql_endpoint_host: 'foo.datawarehouse.fabric.microsoft.com,1433',
      fabric_lakehouse_database: 'Sales Lakehouse',
      // A removed permission may come back as an addition, as the constructs allow.
      remove_permissions: '{outlook=["Microsoft Graph/Mail.Send"],teams=["User.Read"]}',
      add_permissions: added({ name: 'User.Read', id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', access: 'read', admin_consent_required: 'false' }).replace('"false"', 'false'),
    });
    expect(result.status, result.output).toBe(0);
  }, 60_000);
});

// The module through its HCL interface, with the Nango stand-in of test/support. The azuread provider
// cannot be downloaded here, so a copy of the module swaps each azuread resource and data source for a
// terraform_data with the same for_each or count; the Nango resources, their provisioners and the
// outputs are the module's own.
describe.skipIf(!hasTerraform)('Terraform module lifecycle with a Nango stand-in (terraform on the PATH)', () => {
  const nango = new FakeNango(randomUUID());
  let root: string;
  let vars: Record<string, string>;
  // Teams and Outlook with the overrides: each test first converges on the state it starts from, so
  // that it passes alone and in any order.
  let initial: Record<string, string>;
  const guideLists = () => ({ ...initial, remove_permissions: '{}', add_permissions: '{}' });
  const run = (...args: string[]) => terraform(root, args, vars);
  const sinceLast = async (fn: () => Promise<unknown>) => {
    const before = nango.requests.length;
    await fn();
    return nango.requests.slice(before).map((r) => `${r.method} ${r.path} ${r.status}`);
  };
  const applied = async () => {
    const result = await run('apply', '-auto-approve', '-input=false');
    expect(result.status, result.output).toBe(0);
  };
  // stdout only: Terraform writes warnings about its CLI configuration to stderr. A null output is not stored.
  const output = (name: string) => {
    const result = spawnSync('terraform', ['output', '-json'], { cwd: root, env: TF_ENV, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    return (JSON.parse(result.stdout) as Record<string, { value: any }>)[name]?.value ?? null;
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'kindo-module-e2e-'));
    const copy = join(root, 'module');
    mkdirSync(copy);
    for (const file of ['variables.tf.json', 'permissions.tf.json', 'outputs.tf.json', 'nango-registration.sh']) cpSync(join(MODULE_DIR, file), join(copy, file));
    const standIn = (kind: 'resource' | 'data', type: string, name: string) => `${kind === 'data' ? 'data_' : ''}${type}__${name}`;
    const swap = (text: string) =>
      text.replace(/(?<![\w.-])(data\.)?(azuread_[a-z_]+)\.([\w-]+)(?:(\[[^\]]+\])\.(\w+))?/g, (_, data: string | undefined, type: string, name: string, index?: string, attr?: string) =>
        `terraform_data.${standIn(data ? 'data' : 'resource', type, name)}${index ? `${index}.output.${attr}` : ''}`,
      );
    const resources: Record<string, Body> = {};
    for (const [kind, blocks] of [['resource', main.resource], ['data', main.data]] as const) {
      for (const [type, byName] of Object.entries(blocks)) {
        for (const [name, body] of Object.entries(byName)) {
          if (type === 'terraform_data') continue;
          const key = body.for_each ? '${each.key}' : '${count.index}';
          const attrs = ['id', 'client_id', 'object_id', 'tenant_id', 'display_name', 'key_id', 'value', 'end_date'];
          resources[standIn(kind, type, name)] = {
            ...(body.for_each ? { for_each: body.for_each } : { count: body.count }),
            ...(body.lifecycle ? { lifecycle: { create_before_destroy: body.lifecycle.create_before_destroy ?? false } } : {}),
            input: Object.fromEntries(attrs.map((a) => [a, `${type}-${name}-${key}-${a}`])),
          };
        }
      }
    }
    for (const [name, body] of Object.entries(main.resource.terraform_data)) resources[name] = JSON.parse(swap(JSON.stringify(body)));
    writeFileSync(join(copy, 'main.tf.json'), JSON.stringify({ resource: { terraform_data: resources } }, null, 2));
    writeFileSync(join(copy, 'outputs.tf.json'), swap(readFileSync(join(copy, 'outputs.tf.json'), 'utf8')));
    writeFileSync(
      join(root, 'main.tf.json'),
      JSON.stringify({
        variable: {
          integrations: { type: 'set(string)' },
          nango_server_url: { type: 'string' },
          nango_secret_key: { type: 'string', sensitive: true },
          remove_permissions: { type: 'map(list(string))' },
          add_permissions: { type: 'any' },
        },
        module: {
          kindo: {
            source: './module',
            integrations: '${var.integrations}',
            nango_server_url: '${var.nango_server_url}',
            nango_secret_key: '${var.nango_secret_key}',
            nango_unique_keys: { teams: 'teams-prod' },
            remove_permissions: '${var.remove_permissions}',
            add_permissions: '${var.add_permissions}',
          },
        },
        output: {
          integrations: { value: '${module.kindo.integrations}' },
          fabric_connection: { value: '${module.kindo.fabric_connection}' },
          client_secrets: { value: '${module.kindo.client_secrets}', sensitive: true },
        },
      }),
    );
    initial = {
      ...moduleVars(['teams', 'outlook'], { ...OUTLOOK_WITHOUT_MAIL_SEND, ...TEAMS_WITH_MAIL_READ }),
      nango_server_url: await nango.start(),
      nango_secret_key: nango.secretKey,
    };
    vars = initial;
    const init = await run('init', '-input=false');
    expect(init.status, init.output).toBe(0);
  }, 60_000);

  afterAll(async () => {
    await nango.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const startFrom = async (state: Record<string, string>) => {
    vars = state;
    await applied();
  };

  test('apply registers each enabled integration with Nango under its unique key; outputs are keyed by integration id', async () => {
    vars = initial;
    const destroyed = await run('destroy', '-auto-approve', '-input=false');
    expect(destroyed.status, destroyed.output).toBe(0);
    const requests = await sinceLast(applied);
    expect(requests.sort()).toEqual(['GET /integrations/kindo-outlook 404', 'GET /integrations/teams-prod 404', 'POST /integrations 200', 'POST /integrations 200']);
    expect([...nango.integrations.keys()].sort()).toEqual(['kindo-outlook', 'teams-prod']);
    const integrations = output('integrations');
    expect(Object.keys(integrations).sort()).toEqual(['outlook', 'teams']);
    expect(integrations.teams).toMatchObject({ nango_unique_key: 'teams-prod', nango_provider: 'microsoft-tenant-specific', redirect_uri: `${vars.nango_server_url}/oauth/callback` });
    expect(nango.integrations.get('teams-prod')!.credentials.client_id).toBe(integrations.teams.client_id);
    expect(Object.keys(output('client_secrets')).sort()).toEqual(['outlook', 'teams']);
    expect(output('fabric_connection')).toBeNull();
  }, 120_000);

  test('POST and PATCH bodies carry the scopes after remove_permissions and add_permissions', async () => {
    await startFrom(initial);
    const scopes = () => ({ outlook: nango.integrations.get('kindo-outlook')!.credentials.scopes, teams: nango.integrations.get('teams-prod')!.credentials.scopes });
    const overridden = constructRequests(['outlook', 'teams'], { ...OUTLOOK_WITHOUT_MAIL_SEND, ...TEAMS_WITH_MAIL_READ });
    expect(scopes()).toEqual({ outlook: overridden.outlook.scopes, teams: overridden.teams.scopes });
    expect(scopes().outlook).not.toContain('Mail.Send');
    expect(scopes().teams).toMatch(/,Mail\.Read$/);

    // Back to the guide's lists: the scopes change, so each registration is replaced and PATCHed.
    vars = { ...vars, remove_permissions: '{}', add_permissions: '{}' };
    const requests = await sinceLast(applied);
    expect(requests.sort()).toEqual(['GET /integrations/kindo-outlook 200', 'GET /integrations/teams-prod 200', 'PATCH /integrations/kindo-outlook 200', 'PATCH /integrations/teams-prod 200']);
    const guide = constructRequests(['outlook', 'teams'], {});
    expect(scopes()).toEqual({ outlook: guide.outlook.scopes, teams: guide.teams.scopes });
  }, 120_000);

  test("turning an integration off plans the removal of that integration's objects only, and deletes it from Nango", async () => {
    await startFrom(guideLists());
    vars = { ...vars, integrations: '["teams","fabric"]' };
    const plan = await run('plan', '-input=false');
    const changes = [...plan.output.matchAll(/# (module\.kindo\.\S+) (will be \w+|must be \w+)/g)].map((m) => [m[1], m[2]]);
    const destroyed = changes.filter(([, what]) => what === 'will be destroyed').map(([a]) => a);
    expect(destroyed.length).toBeGreaterThan(0);
    expect(destroyed.filter((a) => !a.endsWith('["outlook"]'))).toEqual([]);
    expect(changes.filter(([a, what]) => what !== 'will be destroyed' && !a.endsWith('["fabric"]'))).toEqual([]);
    expect(await sinceLast(applied)).toEqual(['DELETE /integrations/kindo-outlook 200']);
    expect(Object.keys(output('integrations')).sort()).toEqual(['fabric', 'teams']);
    expect(output('fabric_connection')).toMatchObject({ client_id: expect.stringContaining('fabric') });
  }, 120_000);

  test('destroy deletes the remaining Nango integrations', async () => {
    await startFrom({ ...guideLists(), integrations: '["teams","fabric"]' });
    const result = await sinceLast(() => run('destroy', '-auto-approve', '-input=false'));
    expect(result).toEqual(['DELETE /integrations/teams-prod 200']);
    expect(nango.integrations.size).toBe(0);
  }, 120_000);
});
