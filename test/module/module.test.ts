import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ADOPT_EXAMPLE_DIR, EXAMPLE_DIR, MODULE_DIR, SAAS_EXAMPLE_DIR } from '../../scripts/generate-module';
import { GENERATED_HEADER } from '../../scripts/module/declarations';
import { FIELDS_REGION } from '../../scripts/module/rules';
import v010 from '../../scripts/module/v0.1.0-addresses.json';
import { INTEGRATION_IDS, catalog } from '../../src/catalog/catalog';
import { nangoFieldsValidation } from '../../src/nango/nango-fields';
import { type Body, ROOT, blocks, built, loadModule, main } from '../support/module';

const filesUnder = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => relative(ROOT, join(e.parentPath, e.name)))
    : [];
const tfUnder = (dir: string) => filesUnder(dir).filter((f) => f.endsWith('.tf'));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const readme = () => read('module/README.md');
const requiredInputs = () =>
  Object.keys(main().declarations.variable).filter((name) => !('default' in main().declarations.variable[name]));
/** Arguments set in the `module "…"` block of an HCL snippet. */
function moduleArguments(hcl: string): string[] {
  const block = /module "[^"]+" \{\n([\s\S]*?)\n\}/.exec(hcl)![1];
  return [...block.matchAll(/^ {2}([a-z_]+)\s+=/gm)].map((m) => m[1]).filter((a) => a !== 'source');
}
// The files written by hand, which the generator reads and checks but never writes.
const HAND_WRITTEN = [
  'module/locals.tf',
  'module/main.preflight.tf',
  'module/main.tf',
  'module/outputs.tf',
  'module/variables.tf',
  'module/modules/catalog/main.tf',
  'module/modules/catalog/outputs.tf',
  'module/modules/catalog/variables.tf',
  'module/modules/catalog/versions.tf',
  'module/modules/kindo-saas-consent/locals.tf',
  'module/modules/kindo-saas-consent/main.preflight.tf',
  'module/modules/kindo-saas-consent/main.tf',
  'module/modules/kindo-saas-consent/outputs.tf',
  'module/modules/kindo-saas-consent/variables.tf',
  'module/modules/tenant-preflight/locals.tf',
  'module/modules/tenant-preflight/outputs.tf',
  'module/modules/tenant-preflight/variables.tf',
  'module/docs/UPGRADE-0.2.md',
];

describe('Terraform module (module/)', () => {
  beforeAll(() => loadModule(), 120_000);

  test('is up to date with the constructs and the catalog (run `npm run module` when this fails); the other files are written by hand', () => {
    const { files } = built();
    const onDisk = [MODULE_DIR, EXAMPLE_DIR, ADOPT_EXAMPLE_DIR, SAAS_EXAMPLE_DIR].flatMap(filesUnder).sort();
    expect(onDisk).toEqual([...new Set([...Object.keys(files), ...HAND_WRITTEN])].sort());
    for (const [path, content] of Object.entries(files)) expect(read(path), path).toBe(content);
    for (const path of HAND_WRITTEN) expect(read(path), path).not.toContain(GENERATED_HEADER);
  });

  test('holds no unresolved cdktf token: every construct input the generator passes resolves to HCL', () => {
    for (const [path, content] of Object.entries(built().files))
      expect(content, path).not.toMatch(/tftoken|TfToken|\$\{Token\[/);
  });

  test('is laid out as the Azure Verified Modules are: main.*.tf per feature, hand-written inputs, locals and outputs, shared submodules', () => {
    const inModule = filesUnder(MODULE_DIR)
      .map((f) => relative('module', f))
      .filter((f) => !f.startsWith('modules/'));
    expect(inModule.sort()).toEqual(
      [
        'README.md',
        'checks.tf',
        'docs/UPGRADE-0.2.md',
        'locals.tf',
        'main.entra.tf',
        'main.nango.tf',
        'main.preflight.tf',
        'main.tf',
        'moved.tf',
        'nango-registration.sh',
        'outputs.tf',
        'variables.tf',
        'versions.tf',
      ].sort(),
    );
    expect(Object.fromEntries(Object.entries(main().declarations.module).map(([n, m]) => [n, m.source]))).toEqual({
      catalog: './modules/catalog',
      tenant_preflight: './modules/tenant-preflight',
    });
    expect(read('module/main.entra.tf')).toMatch(
      /^resource "azuread_application" "this" \{\n {2}for_each += local\.integrations$/m,
    );
    expect(read('module/main.nango.tf')).toMatch(/^resource "terraform_data" "nango_registration" \{$/m);
  });

  test("the integrations' descriptions name every integration id of the catalog", () => {
    for (const m of [main(), built().saas])
      for (const id of INTEGRATION_IDS)
        expect(String(m.declarations.variable.integrations.description), id).toContain(id);
  });

  test('no line of a .tf file is over 200 characters, the catalog data aside', () => {
    for (const path of tfUnder(MODULE_DIR).filter((f) => !f.endsWith('/catalog.tf'))) {
      const long = read(path)
        .split('\n')
        .filter((l) => l.length > 200);
      expect(long, path).toEqual([]);
    }
  });

  test('no .tf file is repeated between the module and its submodules: shared parts are module calls', () => {
    const byContent = new Map<string, string[]>();
    for (const path of tfUnder(MODULE_DIR)) {
      const hash = createHash('sha256').update(read(path)).digest('hex');
      byContent.set(hash, [...(byContent.get(hash) ?? []), path]);
    }
    expect([...byContent.values()].filter((paths) => paths.length > 1)).toEqual([]);
    expect(read('module/modules/kindo-saas-consent/main.tf')).toMatch(/source = "\.\.\/catalog"/);
    expect(read('module/modules/kindo-saas-consent/main.preflight.tf')).toMatch(/source = "\.\.\/tenant-preflight"/);
  });

  test('every local the hand-written files declare is read in its module', () => {
    for (const dir of [
      'module',
      'module/modules/kindo-saas-consent',
      'module/modules/catalog',
      'module/modules/tenant-preflight',
    ]) {
      const text = tfUnder(join(ROOT, dir))
        .filter((f) => relative(dir, f).split('/').length === 1)
        .map(read)
        .join('\n');
      const declared = [...text.matchAll(/^locals \{\n([\s\S]*?)^\}/gm)].flatMap(([, body]) =>
        [...body.matchAll(/^ {2}([a-z_]+)\s+=/gm)].map((m) => m[1]),
      );
      expect(declared.length, dir).toBeGreaterThan(0);
      for (const name of declared) expect(text, `${dir}: local.${name}`).toMatch(new RegExp(`local\\.${name}\\b`));
    }
  });

  test("README's Inputs and Outputs follow terraform-docs' table layout and list exactly the module's variables and outputs", () => {
    const section = (title: string) => readme().split(`## ${title}\n`)[1].split('\n## ')[0];
    const rows = (text: string, kind: string) => [
      ...text.matchAll(
        new RegExp(`^\\| <a name="${kind}_([a-z_]+)"></a> \\[[^\\]]+\\]\\(#${kind}\\\\_[^)]+\\) \\|(.*)\\|$`, 'gm'),
      ),
    ];
    expect(section('Inputs')).toContain(
      '| Name | Description | Type | Default | Required |\n|------|-------------|------|---------|:--------:|\n',
    );
    const inputs = rows(section('Inputs'), 'input');
    expect(inputs.map((m) => m[1])).toEqual(Object.keys(main().declarations.variable).sort());
    expect(rows(section('Outputs'), 'output').map((m) => m[1])).toEqual(Object.keys(main().declarations.output).sort());
    for (const [, name, cells] of inputs)
      expect(cells.trim().endsWith(requiredInputs().includes(name) ? '| n/a | yes' : '| no'), name).toBe(true);
    for (const title of ['Requirements', 'Providers', 'Modules', 'Resources'])
      expect(readme()).toContain(`## ${title}\n`);
    expect(section('Modules')).toContain(
      '| <a name="module_catalog"></a> [catalog](#module\\_catalog) | ./modules/catalog | n/a |',
    );
    for (const { address } of blocks())
      expect(section('Resources')).toContain(
        `${address.replace(/^data\./, '')}${address.startsWith('terraform_data') ? '' : ']('}`,
      );
  });

  test('README starts with an HCL example; it and examples/basic set every required input and no unknown one', () => {
    const first = /```hcl\n([\s\S]*?)```/.exec(readme())!;
    expect(readme().slice(0, first.index)).not.toContain('```');
    const example = read('examples/basic/main.tf');
    expect(example).toMatch(/source = "\.\.\/\.\.\/module"/);
    expect(first[1]).toContain(
      'source = "git::https://github.com/kindo/kindo-microsoft-integrations.git//module?ref=v0.2.0"',
    );
    expect(example).toMatch(/^provider "azuread" \{\}$/m);
    for (const hcl of [first[1], example, read('examples/adopt/main.tf')]) {
      const args = moduleArguments(hcl);
      expect(args.filter((a) => !(a in main().declarations.variable))).toEqual([]);
      expect(requiredInputs().filter((r) => !args.includes(r))).toEqual([]);
    }
  });

  test('requires its providers with version constraints and configures none, with no backend', () => {
    expect(main().terraform).toEqual({
      required_version: '>= 1.10',
      required_providers: { azuread: { source: 'hashicorp/azuread', version: '~> 3.7' } },
    });
    for (const file of tfUnder(MODULE_DIR)) {
      expect(read(file), file).not.toMatch(/^provider "/m);
      expect(read(file), file).not.toMatch(/backend "/);
    }
  });

  test('has one block per kind of object, with for_each over the enabled integrations (or integration and API)', () => {
    expect(
      blocks()
        .map((b) => b.address)
        .sort(),
    ).toEqual(
      [
        'azuread_application.this',
        'azuread_application_password.this',
        'azuread_app_role_assignment.allowed_groups',
        'azuread_service_principal.this',
        'azuread_service_principal_delegated_permission_grant.this',
        'data.azuread_client_config.client_config',
        'terraform_data.first_applier',
        'terraform_data.nango_environment',
        'terraform_data.nango_registration',
        'terraform_data.nango_sync',
      ].sort(),
    );
    const forEach = Object.fromEntries(blocks().map((b) => [b.address, b.body.for_each]));
    expect(forEach['azuread_application.this']).toBe('${local.integrations}');
    expect(forEach['terraform_data.nango_sync']).toBe(
      '${{ for id, integration in local.integrations : id => integration if integration.auth_flow == "delegated" }}',
    );
    expect(forEach['azuread_service_principal_delegated_permission_grant.this']).toBe(
      '${{ for key, pair in module.catalog.integration_apis : key => pair if local.integrations[pair.integration].auth_flow == "delegated" && var.admin_consent }}',
    );
    expect(forEach['data.azuread_client_config.client_config']).toBeUndefined();
    // No integration id is written into a block: each reads its own through each.key.
    const text = JSON.stringify(blocks().map((b) => b.body));
    for (const id of INTEGRATION_IDS) expect(text, id).not.toContain(`"${id}"`);
  });

  test('writes repeated expressions once, as named locals, and no cdktf leftover', () => {
    const text = ['module/main.entra.tf', 'module/main.nango.tf', 'module/checks.tf'].map(read).join('\n');
    for (const repeated of [
      'trimsuffix(var.nango_server_url',
      'coalesce(var.tenant_id',
      'lookup(var.',
      'toset(',
      'for key, val in',
    ])
      expect(text, repeated).not.toContain(repeated);
    expect(text).toContain('local.nango_server_url');
    expect(text).toContain('each.value.nango_unique_key');
    expect(read('module/locals.tf')).toMatch(/^ {2}nango_server_url += trimsuffix\(var\.nango_server_url, "\/"\)$/m);
  });

  test('holds the catalog as data in modules/catalog/catalog.tf, and no permission outside it', () => {
    const locals = built().catalog.declarations.locals;
    expect(JSON.parse(locals.catalog)).toEqual(
      Object.fromEntries(
        INTEGRATION_IDS.map((id) => {
          const d = catalog()[id];
          const permissions = d.apis.flatMap((a) =>
            a.permissions.map((p) => ({ api: a.name, resource_app_id: a.resourceAppId, name: p.name, id: p.id })),
          );
          return [
            id,
            { display_name: d.displayName, auth_flow: d.authFlow, nango_provider: d.nangoProvider, permissions },
          ];
        }),
      ),
    );
    const outside = tfUnder(MODULE_DIR)
      .filter((f) => !f.endsWith('/catalog.tf'))
      .map(read)
      .join('\n');
    for (const p of Object.values(catalog()).flatMap((d) => d.apis.flatMap((a) => a.permissions)))
      expect(outside, p.name).not.toContain(p.id);
  });

  test("has the stack's secret-expiry warning as one check block asserting over every client secret and naming the failing ones in the module's words", () => {
    expect(Object.keys(main().check)).toEqual(['secret_expiry']);
    const [assertion] = main().check.secret_expiry.assert;
    expect(assertion.condition).toMatch(/^\$\{alltrue\(\[for id in keys\(azuread_application_password\.this\) : /);
    expect(assertion.error_message).toMatch(
      /^\$\{join\("\\n", \[for id in keys\(azuread_application_password\.this\) : "The client secret of Kindo integration '\$\{id\}' expires at /,
    );
    expect(assertion.error_message).toContain(
      'rotate it by changing secret_rotation, or with terraform apply -replace=module.<name>.azuread_application_password.this[',
    );
    expect(assertion.error_message).not.toContain('secretRotation');
  });

  test("names the module's inputs, never the constructs' props, in every message it writes", () => {
    const messages = tfUnder(MODULE_DIR)
      .map(read)
      .join('\n')
      .split('\n')
      .filter((l) => /error_message|^\s+"/.test(l));
    for (const prop of ['secretRotation', 'addPermissions', 'removePermissions', 'nangoFields', 'allowedGroups'])
      expect(
        messages.filter((l) => l.includes(prop)),
        prop,
      ).toEqual([]);
  });

  test('restricts who may connect per integration: require_assignment on every service principal, one assignment per integration and group', () => {
    expect(main().resource.azuread_service_principal.this.app_role_assignment_required).toBe(
      '${var.require_assignment}',
    );
    expect(main().resource.azuread_app_role_assignment.allowed_groups).toEqual({
      for_each: '${local.allowed_group_assignments}',
      app_role_id: '00000000-0000-0000-0000-000000000000',
      principal_object_id: '${each.value.group}',
      resource_object_id: '${azuread_service_principal.this[each.value.integration].object_id}',
    });
  });

  test('moves every address of v0.1.0 to a block the module declares, under a banner naming the release it upgrades from', () => {
    const [migration] = built().migrations;
    expect(built().migrations.map((m) => m.from)).toEqual(['0.1.0']);
    const { moves } = migration;
    expect(moves.map((m) => m.from).sort()).toEqual([...v010.addresses].sort());
    expect(new Set(moves.map((m) => m.to)).size).toBe(moves.length);
    const declared = blocks()
      .filter((b) => !b.data)
      .map((b) => b.address);
    for (const { to } of moves) expect(declared).toContain(to.replace(/\[.*$/, ''));
    expect(moves).toContainEqual({
      from: 'azuread_application.teams_application["teams"]',
      to: 'azuread_application.this["teams"]',
    });
    expect(moves).toContainEqual({
      from: 'azuread_service_principal_delegated_permission_grant.defender_admin_consent_windows_defender_atp["defender"]',
      to: 'azuread_service_principal_delegated_permission_grant.this["defender/WindowsDefenderATP"]',
    });
    expect(read('module/moved.tf')).toMatch(/^# Migrations: v0\.1\.0 -> v0\.2\.0$/m);
  });

  test("checks Nango fields with the constructs' rules and messages, in a region of variables.tf, and sends them over the tenant_id default", () => {
    const variables = read('module/variables.tf');
    const region = variables.slice(variables.indexOf(FIELDS_REGION.begin), variables.indexOf(FIELDS_REGION.end));
    expect(region.match(/^ {2}validation \{$/gm)).toHaveLength(nangoFieldsValidation('nango_fields').length);
    expect(region).toContain('`integrations[\\"${id}\\"].nango.fields` has a field named');
    expect(region).not.toContain('nangoFields');
    // Written by hand around it: the region sits in variable "integrations".
    expect(variables.lastIndexOf('variable "', variables.indexOf(FIELDS_REGION.begin))).toBe(
      variables.indexOf('variable "integrations"'),
    );
    const { nango_registration: registration, nango_sync: sync } = main().resource.terraform_data;
    expect(registration.provisioner[0]['local-exec'].environment.NANGO_POST_BODY).toContain(
      ' custom = each.value.nango_fields ',
    );
    expect(sync.provisioner[0]['local-exec'].environment.NANGO_PATCH_BODY).toContain(
      'custom = merge({ tenant_id = "", purview_endpoint = "", subscription_id = "", target_user_id = "" }, each.value.nango_fields)',
    );
    expect(sync.triggers_replace.fields).toBe('${jsonencode(each.value.nango_fields)}');
    expect(read('module/locals.tf')).toMatch(
      /nango_fields += merge\(\{ tenant_id = local\.tenant_id \}, try\(settings\.nango\.fields, \{\}\)\)/,
    );
  });

  test('README usage and examples/basic show Nango fields and the adoption path before prevent_duplicate_names', () => {
    for (const text of [readme().split('## Usage')[1].split('```')[1], built().files['examples/basic/main.tf']]) {
      expect(text).toContain(
        '# "purview-data-governance" = { nango = { fields = { purview_endpoint = "https://<account>.purview.azure.com" } } }',
      );
      expect(text).toMatch(/adopt them \(docs\/adopting\.md\)\n\s+# rather than set prevent_duplicate_names = false\./);
    }
  });

  test("README lists the runner's tools the registration script needs, as the script's header does", () => {
    expect(readme()).toContain('needs a POSIX `sh`, `curl` (7.55 or later), `awk`, `od` and `mktemp`');
    const script = read('module/nango-registration.sh');
    expect(script).toContain('# Needs a POSIX sh, curl (7.55 or later), awk, od and mktemp.');
    for (const tool of ['curl', 'awk', 'od', 'mktemp']) expect(script).toMatch(new RegExp(`\\b${tool}\\b`));
    expect(script).not.toMatch(/\bgrep\b/);
  });

  test("README says, for each of the constructs' features the module does not mirror, why", () => {
    const parity = readme().split('## Compared with the constructs\n')[1].split('\n## ')[0];
    expect(parity).toContain('**Sign-in audience**');
    expect(parity).toContain('**One list of groups for every integration**');
    expect(parity).toContain('**Adoption by client ID: not in the module.**');
    expect(parity).toContain("**The adoption's apply order: not in the module.**");
    expect(main().declarations.variable.sign_in_audience).toMatchObject({ default: 'AzureADMyOrg' });
    expect(main().declarations.variable.allowed_groups).toMatchObject({ type: '${list(string)}', default: [] });
  });

  test('stops at duplicate display names unless prevent_duplicate_names is false, whose description points at adoption', () => {
    expect(main().declarations.variable.prevent_duplicate_names).toMatchObject({
      type: '${bool}',
      default: true,
      nullable: false,
      description: expect.stringContaining('adopt those apps instead (docs/adopting.md)'),
    });
    expect(main().resource.azuread_application.this.prevent_duplicate_names).toBe('${var.prevent_duplicate_names}');
  });

  test("copies the constructs' Nango registration script and calls it from the module's own directory", () => {
    expect(read('module/nango-registration.sh')).toBe(read('assets/nango-registration.sh'));
    const provisioners = Object.values(main().resource.terraform_data).flatMap((r: Body) =>
      (r.provisioner ?? []).map((p: Body) => p['local-exec']),
    );
    expect(provisioners.length).toBeGreaterThan(1);
    // The path reaches sh through the environment, so that no character of it is shell syntax.
    for (const p of provisioners) {
      expect(p.command).toMatch(/^sh "\$KINDO_NANGO_SCRIPT" [a-z]+$/);
      expect(p.environment.KINDO_NANGO_SCRIPT).toBe('${path.module}/nango-registration.sh');
    }
  });

  test('marks each generated file; variables.tf, written by hand, only in its generated region', () => {
    for (const [path, content] of Object.entries(built().files))
      if (path.startsWith('module/') && path.endsWith('.tf') && !HAND_WRITTEN.includes(path))
        expect(content.startsWith(GENERATED_HEADER), path).toBe(true);
    expect(read('module/variables.tf')).toContain(FIELDS_REGION.begin);
  });
});
