import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAAS_MODULE_PATH } from '../../scripts/module/saas';
import { ROOT, built, saas } from '../support/module';

const DIR = join(ROOT, SAAS_MODULE_PATH);

describe('Kindo SaaS submodule (module/modules/kindo-saas-consent)', () => {
  beforeAll(() => void built(), 120_000);

  test("is a self-contained module in HashiCorp's layout, generated and committed", () => {
    const files = Object.keys(built().files)
      .filter((f) => f.startsWith(`${SAAS_MODULE_PATH}/`))
      .map((f) => f.slice(SAAS_MODULE_PATH.length + 1));
    expect(files).toEqual(
      expect.arrayContaining([
        'versions.tf',
        'variables.tf',
        'main.tf',
        'outputs.tf',
        'README.md',
        'catalog.tf',
        'locals.tf',
      ]),
    );
    for (const file of files)
      expect(readFileSync(join(DIR, file), 'utf8'), file).toBe(built().files[`${SAAS_MODULE_PATH}/${file}`]);
    // Every local it reads is its own: a module sourced with //module/modules/kindo-saas-consent reads nothing outside its directory.
    const hcl = files
      .filter((f) => f.endsWith('.tf'))
      .map((f) => built().files[`${SAAS_MODULE_PATH}/${f}`])
      .join('\n');
    const defined = new Set(Object.keys(saas().locals));
    for (const [, name] of hcl.matchAll(/\blocal\.(\w+)/g)) expect(defined, `local.${name}`).toContain(name);
    expect(hcl).not.toMatch(/\.\.\/|path\.module/);
  });

  test("README's Inputs and Outputs follow terraform-docs' layout and list exactly the module's variables and outputs; it says what removal and destroy revoke", () => {
    const readme = readFileSync(join(DIR, 'README.md'), 'utf8');
    const section = (title: string) => readme.split(`## ${title}\n`)[1].split('\n## ')[0];
    const names = (title: string, kind: string) =>
      [...section(title).matchAll(new RegExp(`<a name="${kind}_([a-z_]+)"></a>`, 'g'))].map((m) => m[1]);
    expect(names('Inputs', 'input')).toEqual(Object.keys(saas().variable).sort());
    expect(names('Outputs', 'output')).toEqual(Object.keys(saas().output).sort());
    expect(readme).toContain("deletes the integration's service principal, also one adopted with `use_existing`");
    expect(readme).toContain('revokes every consent grant and user or group assignment it holds');
  });

  test('requires saas_client_ids, with no default, and integrations; everything else has a default', () => {
    expect(
      Object.keys(saas().variable)
        .filter((n) => !('default' in saas().variable[n]))
        .sort(),
    ).toEqual(['integrations', 'saas_client_ids']);
  });

  test("one block per kind of object: Kindo's service principal per integration, adopted if present, one grant per integration and API, one assignment per integration and group", () => {
    const sp = saas().resource.azuread_service_principal.this;
    expect(sp).toMatchObject({
      for_each: '${local.integrations}',
      client_id: '${var.saas_client_ids[each.key]}',
      use_existing: true,
      app_role_assignment_required: '${var.require_assignment}',
    });
    expect(sp.tags).toEqual([
      'WindowsAzureActiveDirectoryIntegratedApp',
      'kindo-microsoft-integrations:saas',
      'kindo-integration:${each.key}',
    ]);
    expect(saas().resource.azuread_service_principal_delegated_permission_grant.this.service_principal_object_id).toBe(
      '${azuread_service_principal.this[each.value.integration].object_id}',
    );
    expect(saas().resource.azuread_app_role_assignment.allowed_groups).toEqual({
      for_each: '${local.allowed_group_assignments}',
      app_role_id: '00000000-0000-0000-0000-000000000000',
      principal_object_id: '${each.value.group}',
      resource_object_id: '${azuread_service_principal.this[each.value.integration].object_id}',
    });
    expect(Object.keys(saas().output).sort()).toEqual(['service_principal_object_ids', 'service_principals']);
  });

  test('examples/saas uses the submodule and sets every required input', () => {
    const example = readFileSync(join(ROOT, 'examples', 'saas', 'main.tf'), 'utf8');
    expect(example).toContain(`source = "../../${SAAS_MODULE_PATH}"`);
    for (const input of ['integrations', 'saas_client_ids'])
      expect(example).toMatch(new RegExp(`^\\s+${input}\\s+=`, 'm'));
  });
});
