import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAAS_MODULE_PATH } from '../../scripts/module/saas';
import { ROOT, built, loadModule, saas } from '../support/module';

const DIR = join(ROOT, SAAS_MODULE_PATH);
const read = (file: string) => readFileSync(join(DIR, file), 'utf8');

describe('Kindo SaaS submodule (module/modules/kindo-saas-consent)', () => {
  beforeAll(() => loadModule(), 120_000);

  test("is a module in HashiCorp's layout, its shared parts called from the main module's submodules", () => {
    const generated = Object.keys(built().files)
      .filter((f) => f.startsWith(`${SAAS_MODULE_PATH}/`))
      .map((f) => f.slice(SAAS_MODULE_PATH.length + 1))
      .sort();
    expect(generated).toEqual(['README.md', 'main.entra.tf', 'versions.tf']);
    for (const file of generated) expect(read(file), file).toBe(built().files[`${SAAS_MODULE_PATH}/${file}`]);
    expect(Object.fromEntries(Object.entries(saas().declarations.module).map(([name, m]) => [name, m.source]))).toEqual(
      { catalog: '../catalog', tenant_preflight: '../tenant-preflight' },
    );
    // A module sourced with //module/modules/kindo-saas-consent reads its siblings, which the same download holds.
    expect(read('main.entra.tf')).not.toMatch(/\.\.\/|path\.module/);
  });

  test("README's Inputs and Outputs follow terraform-docs' layout and list exactly the module's variables and outputs; it says what removal and destroy revoke", () => {
    const readme = read('README.md');
    const section = (title: string) => readme.split(`## ${title}\n`)[1].split('\n## ')[0];
    const names = (title: string, kind: string) =>
      [...section(title).matchAll(new RegExp(`<a name="${kind}_([a-z_]+)"></a>`, 'g'))].map((m) => m[1]);
    expect(names('Inputs', 'input')).toEqual(Object.keys(saas().declarations.variable).sort());
    expect(names('Outputs', 'output')).toEqual(Object.keys(saas().declarations.output).sort());
    expect(readme).toContain("deletes the integration's service principal, also one adopted with `use_existing`");
    expect(readme).toContain('revokes every consent grant and user or group assignment it holds');
    expect(readme).toContain('?ref=v0.2.0');
  });

  test("requires integrations only, each with the client ID of Kindo's app; everything else has a default", () => {
    expect(
      Object.keys(saas().declarations.variable)
        .filter((n) => !('default' in saas().declarations.variable[n]))
        .sort(),
    ).toEqual(['integrations']);
    expect(saas().declarations.variable.integrations.type).toMatch(/client_id {2,}= string\n/);
  });

  test("one block per kind of object: Kindo's service principal per integration, adopted if present, one grant per integration and API, one assignment per integration and group", () => {
    const sp = saas().resource.azuread_service_principal.this;
    expect(sp).toMatchObject({
      for_each: '${local.integrations}',
      client_id: '${each.value.client_id}',
      use_existing: true,
      app_role_assignment_required: '${var.require_assignment}',
      owners: '${local.integration_owners[each.key]}',
    });
    // A nested block of the service principal, as the construct sets it, written as a block.
    expect(sp.timeouts).toEqual({ create: '3m' });
    expect(read('main.entra.tf')).toContain('\n  timeouts {\n    create = "3m"\n  }\n');
    expect(sp.tags).toEqual([
      'WindowsAzureActiveDirectoryIntegratedApp',
      'kindo-microsoft-integrations:saas',
      'kindo-integration:${each.key}',
    ]);
    const grant = saas().resource.azuread_service_principal_delegated_permission_grant.this;
    expect(grant.service_principal_object_id).toBe(
      '${azuread_service_principal.this[each.value.integration].object_id}',
    );
    expect(grant.resource_service_principal_object_id).toBe(
      '${module.tenant_preflight.service_principal_object_ids[each.value.api]}',
    );
    expect(saas().resource.azuread_app_role_assignment.allowed_groups).toEqual({
      for_each: '${local.allowed_group_assignments}',
      app_role_id: '00000000-0000-0000-0000-000000000000',
      principal_object_id: '${each.value.group}',
      resource_object_id: '${azuread_service_principal.this[each.value.integration].object_id}',
    });
    expect(Object.keys(saas().declarations.output).sort()).toEqual([
      'service_principal_object_ids',
      'service_principals',
    ]);
  });

  test('calls the tenant preflight the main module calls, naming its integrations as KindoSaasConsent does', () => {
    expect(read('main.preflight.tf')).toMatch(/requester += "Kindo SaaS integration"/);
    expect(readFileSync(join(ROOT, 'module/main.preflight.tf'), 'utf8')).toMatch(/requester += "integration"/);
  });

  test('examples/saas uses the submodule and sets every required input', () => {
    const example = readFileSync(join(ROOT, 'examples', 'saas', 'main.tf'), 'utf8');
    expect(example).toContain(`source = "../../${SAAS_MODULE_PATH}"`);
    expect(example).toMatch(/^\s+integrations\s+=/m);
    expect(example).toMatch(/client_id = "/);
  });
});
