import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ADOPT_EXAMPLE_DIR, EXAMPLE_DIR, MODULE_DIR, SAAS_EXAMPLE_DIR } from '../../scripts/generate-module';
import v010 from '../../scripts/module/v0.1.0-addresses.json';
import { INTEGRATION_IDS, catalog } from '../../src/catalog/catalog';
import { nangoFieldsValidation } from '../../src/nango/nango-fields';
import { type Body, ROOT, blocks, built } from '../support/module';

const filesUnder = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => relative(ROOT, join(e.parentPath, e.name)))
    : [];
const readme = () => readFileSync(join(MODULE_DIR, 'README.md'), 'utf8');
const requiredInputs = () => Object.keys(built().variable).filter((name) => !('default' in built().variable[name]));
/** Arguments set in the `module "…"` block of an HCL snippet. */
function moduleArguments(hcl: string): string[] {
  const block = /module "[^"]+" \{\n([\s\S]*?)\n\}/.exec(hcl)![1];
  return [...block.matchAll(/^\s+([a-z_]+)\s+=/gm)].map((m) => m[1]).filter((a) => a !== 'source');
}

describe('Terraform module (module/)', () => {
  beforeAll(() => void built(), 60_000);

  test('is up to date with the constructs and the catalog (run `npm run module` when this fails)', () => {
    const { files } = built();
    expect(
      [
        ...filesUnder(MODULE_DIR),
        ...filesUnder(EXAMPLE_DIR),
        ...filesUnder(ADOPT_EXAMPLE_DIR),
        ...filesUnder(SAAS_EXAMPLE_DIR),
      ].sort(),
    ).toEqual(Object.keys(files).sort());
    for (const [path, content] of Object.entries(files))
      expect(readFileSync(join(ROOT, path), 'utf8'), path).toBe(content);
  });

  test('holds no unresolved cdktf token: every construct input the generator passes resolves to HCL', () => {
    for (const [path, content] of Object.entries(built().files))
      expect(content, path).not.toMatch(/tftoken|TfToken|\$\{Token\[/);
  });

  test('is HCL in the standard module layout: versions, variables, main, outputs, the catalog as locals, checks and moved blocks; nested modules under modules/', () => {
    expect(
      filesUnder(MODULE_DIR)
        .map((f) => relative('module', f))
        .filter((f) => !f.startsWith('modules/'))
        .sort(),
    ).toEqual(
      [
        'README.md',
        'catalog.tf',
        'checks.tf',
        'locals.tf',
        'main.tf',
        'moved.tf',
        'nango-registration.sh',
        'outputs.tf',
        'variables.tf',
        'versions.tf',
      ].sort(),
    );
    expect(readFileSync(join(MODULE_DIR, 'main.tf'), 'utf8')).toMatch(
      /^resource "azuread_application" "this" \{\n {2}for_each += local\.integrations$/m,
    );
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
    expect(section('Outputs')).toContain('| Name | Description |\n|------|-------------|\n');
    const inputs = rows(section('Inputs'), 'input');
    expect(inputs.map((m) => m[1])).toEqual(Object.keys(built().variable).sort());
    expect(rows(section('Outputs'), 'output').map((m) => m[1])).toEqual(Object.keys(built().output).sort());
    for (const [, name, cells] of inputs)
      expect(cells.trim().endsWith(requiredInputs().includes(name) ? '| n/a | yes' : '| no'), name).toBe(true);
    for (const title of ['Requirements', 'Providers', 'Modules', 'Resources'])
      expect(readme()).toContain(`## ${title}\n`);
    for (const { address } of blocks())
      expect(section('Resources')).toContain(
        `${address.replace(/^data\./, '')}${address.startsWith('terraform_data') ? '' : ']('}`,
      );
  });

  test('README starts with an HCL example; it and examples/basic set every required input and no unknown one', () => {
    const first = /```hcl\n([\s\S]*?)```/.exec(readme())!;
    expect(readme().slice(0, first.index)).not.toContain('```');
    const example = readFileSync(join(EXAMPLE_DIR, 'main.tf'), 'utf8');
    expect(example).toMatch(/source = "\.\.\/\.\.\/module"/);
    expect(example).toMatch(/^provider "azuread" \{\}$/m);
    for (const hcl of [first[1], example]) {
      const args = moduleArguments(hcl);
      expect(args.filter((a) => !(a in built().variable))).toEqual([]);
      expect(requiredInputs().filter((r) => !args.includes(r))).toEqual([]);
    }
  });

  test('requires its providers with version constraints and configures none, with no backend', () => {
    expect(built().terraform).toEqual({
      required_version: '>= 1.10',
      required_providers: { azuread: { source: 'hashicorp/azuread', version: '~> 3.7' } },
    });
    for (const file of filesUnder(MODULE_DIR).filter((f) => f.endsWith('.tf'))) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      expect(text, file).not.toMatch(/^provider "/m);
      expect(text, file).not.toMatch(/backend "/);
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
        'data.azuread_service_principal.api',
        'data.azuread_service_principals.api_presence',
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
    expect(forEach['azuread_service_principal_delegated_permission_grant.this']).toBe('${local.admin_consents}');
    expect(forEach['data.azuread_client_config.client_config']).toBeUndefined();
    // No integration id is written into a block: each reads its own through each.key.
    const text = JSON.stringify(blocks().map((b) => b.body));
    for (const id of INTEGRATION_IDS) expect(text, id).not.toContain(`"${id}"`);
  });

  test('holds the catalog as data in catalog.tf, and no permission outside it', () => {
    expect(built().locals.catalog).toEqual(
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
    const outside = ['main.tf', 'variables.tf', 'locals.tf', 'outputs.tf', 'checks.tf']
      .map((f) => readFileSync(join(MODULE_DIR, f), 'utf8'))
      .join('\n');
    for (const p of Object.values(catalog()).flatMap((d) => d.apis.flatMap((a) => a.permissions)))
      expect(outside, p.name).not.toContain(p.id);
  });

  test("has the stack's secret-expiry warning as one check block asserting over every client secret and naming the failing ones", () => {
    expect(Object.keys(built().check)).toEqual(['secret_expiry']);
    const [assertion] = built().check.secret_expiry.assert;
    expect(assertion.condition).toMatch(/^\$\{alltrue\(\[for id in keys\(azuread_application_password\.this\) : /);
    expect(assertion.error_message).toMatch(
      /^\$\{join\("\\n", \[for id in keys\(azuread_application_password\.this\) : "The client secret of Kindo integration '\$\{id\}' expires at /,
    );
  });

  test('restricts who may connect per integration: require_assignment on every service principal, one assignment per integration and group', () => {
    expect(built().resource.azuread_service_principal.this.app_role_assignment_required).toBe(
      '${var.require_assignment}',
    );
    expect(built().resource.azuread_app_role_assignment.allowed_groups).toEqual({
      for_each: '${local.allowed_group_assignments}',
      app_role_id: '00000000-0000-0000-0000-000000000000',
      principal_object_id: '${each.value.group}',
      resource_object_id: '${azuread_service_principal.this[each.value.integration].object_id}',
    });
  });

  test('moves every address of v0.1.0 to a block the module declares', () => {
    const { moved } = built();
    expect(moved.map((m) => m.from).sort()).toEqual([...v010.addresses].sort());
    expect(new Set(moved.map((m) => m.to)).size).toBe(moved.length);
    const declared = blocks()
      .filter((b) => !b.data)
      .map((b) => b.address);
    for (const { to } of moved) expect(declared).toContain(to.replace(/\[.*$/, ''));
    expect(moved).toContainEqual({
      from: 'azuread_application.teams_application["teams"]',
      to: 'azuread_application.this["teams"]',
    });
    expect(moved).toContainEqual({
      from: 'azuread_service_principal_delegated_permission_grant.defender_admin_consent_windows_defender_atp["defender"]',
      to: 'azuread_service_principal_delegated_permission_grant.this["defender/WindowsDefenderATP"]',
    });
  });

  test("checks nango_fields with the constructs' rules and messages, and sends them over the tenant_id default in both Nango bodies and the Sync trigger", () => {
    const variable = built().variable.nango_fields;
    expect(variable).toMatchObject({ type: 'map(map(string))', default: {}, nullable: false });
    expect(variable.validation).toEqual(
      expect.arrayContaining(
        nangoFieldsValidation('nango_fields').map((r) => ({ condition: r.condition, error_message: r.errorMessage })),
      ),
    );
    const fields =
      'merge({"tenant_id" = lower(coalesce(var.tenant_id, data.azuread_client_config.client_config.tenant_id))}, lookup(var.nango_fields, each.key, {}))';
    const { nango_registration: registration, nango_sync: sync } = built().resource.terraform_data;
    expect(registration.provisioner[0]['local-exec'].environment.NANGO_POST_BODY).toContain(`"custom" = ${fields}}`);
    expect(sync.provisioner[0]['local-exec'].environment.NANGO_PATCH_BODY).toContain(
      `"custom" = merge({"tenant_id" = "", "purview_endpoint" = "", "subscription_id" = "", "target_user_id" = ""}, ${fields})}`,
    );
    expect(sync.triggers_replace.fields).toBe(`\${jsonencode(${fields})}`);
    expect(built().output.integrations.value).toContain(
      'nango_fields = local.catalog[id].auth_flow == "delegated" ? merge({ "tenant_id" = lower(coalesce(var.tenant_id, data.azuread_client_config.client_config.tenant_id)) }, lookup(var.nango_fields, id, {})) : null',
    );
  });

  test('README usage and examples/basic show nango_fields and the adoption path before prevent_duplicate_names', () => {
    for (const text of [readme().split('## Usage')[1].split('```')[1], built().files['examples/basic/main.tf']]) {
      expect(text).toContain(
        '# nango_fields = { "purview-data-governance" = { purview_endpoint = "https://<account>.purview.azure.com" } }',
      );
      expect(text).toMatch(/adopt them \(docs\/adopting\.md\)\n\s+# rather than set prevent_duplicate_names = false\./);
    }
  });

  test('stops at duplicate display names unless prevent_duplicate_names is false, whose description points at adoption', () => {
    expect(built().variable.prevent_duplicate_names).toMatchObject({
      type: 'bool',
      default: true,
      nullable: false,
      description: expect.stringContaining(
        "was found and `prevent_duplicate_names` was specified', adopt those apps instead (docs/adopting.md)",
      ),
    });
    expect(built().resource.azuread_application.this.prevent_duplicate_names).toBe('${var.prevent_duplicate_names}');
  });

  test("copies the constructs' Nango registration script and calls it from the module's own directory", () => {
    expect(readFileSync(join(MODULE_DIR, 'nango-registration.sh'), 'utf8')).toBe(
      readFileSync(join(ROOT, 'assets', 'nango-registration.sh'), 'utf8'),
    );
    const provisioners = Object.values(built().resource.terraform_data).flatMap((r) =>
      (r.provisioner ?? []).map((p: Body) => p['local-exec']),
    );
    expect(provisioners.length).toBeGreaterThan(1);
    // The path reaches sh through the environment, so that no character of it is shell syntax.
    for (const p of provisioners) {
      expect(p.command).toMatch(/^sh "\$KINDO_NANGO_SCRIPT" [a-z]+$/);
      expect(p.environment.KINDO_NANGO_SCRIPT).toBe('${path.module}/nango-registration.sh');
    }
  });
});
