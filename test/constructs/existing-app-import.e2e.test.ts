import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasTerraform, terraform } from '../support/terraform';

const OBJECT_ID = '0f8e2c6d-1b2a-4c3d-9e8f-7a6b5c4d3e2f';

describe.skipIf(!hasTerraform)('Terraform 1.11 on import blocks like these (no provider needed)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kindo-import-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('refuses an import block in a child module, which is why the HCL module leaves its imports to the root module', async () => {
    mkdirSync(join(dir, 'child'));
    writeFileSync(
      join(dir, 'child', 'main.tf'),
      'resource "terraform_data" "app" {}\nimport {\n  to = terraform_data.app\n  id = "/applications/x"\n}\n',
    );
    writeFileSync(join(dir, 'main.tf'), 'module "kindo" {\n  source = "./child"\n}\n');
    const init = await terraform(dir, ['init', '-input=false']);
    const plan = init.status === 0 ? await terraform(dir, ['plan', '-input=false']) : init;
    expect(plan.status).not.toBe(0);
    expect(plan.output.replace(/[│╷╵]/g, '').replace(/\s+/g, ' ')).toContain(
      'An import block was detected in "module.kindo". Import blocks are only allowed in the root module.',
    );
  });

  test('accepts an import ID read from a data source at plan, and plans an import rather than a create', async () => {
    // terraform_remote_state is the built-in data source: it stands in for azuread_application's lookup by client ID.
    writeFileSync(
      join(dir, 'lookup.tfstate'),
      JSON.stringify({
        version: 4,
        terraform_version: '1.11.4',
        serial: 1,
        lineage: 'l',
        outputs: { id: { value: `/applications/${OBJECT_ID}`, type: 'string' } },
        resources: [],
      }),
    );
    writeFileSync(
      join(dir, 'main.tf.json'),
      JSON.stringify({
        data: { terraform_remote_state: { lookup: { backend: 'local', config: { path: 'lookup.tfstate' } } } },
        resource: { terraform_data: { app: { input: 'x' } } },
        import: [{ to: 'terraform_data.app', id: '${data.terraform_remote_state.lookup.outputs.id}' }],
      }),
    );
    expect((await terraform(dir, ['init', '-input=false'])).status).toBe(0);
    const plan = await terraform(dir, ['plan', '-input=false']);
    expect(plan.output).toContain(`# (imported from "/applications/${OBJECT_ID}")`);
    expect(plan.output).toContain('Plan: 1 to import, 0 to add, 1 to change, 0 to destroy.');
  });

  test('refuses an import ID known only at apply, which is why a client ID is looked up with a data source', async () => {
    writeFileSync(
      join(dir, 'main.tf.json'),
      JSON.stringify({
        resource: { terraform_data: { other: {}, app: {} } },
        import: [{ to: 'terraform_data.app', id: '${terraform_data.other.id}' }],
      }),
    );
    expect((await terraform(dir, ['init', '-input=false'])).status).toBe(0);
    const plan = await terraform(dir, ['plan', '-input=false']);
    expect(plan.status).not.toBe(0);
    expect(plan.output).toContain('The import block "id" argument depends on resource attributes that cannot be');
  });

  test('imports with for_each over a map, as the HCL module’s existing_apps variable does (Terraform ≥ 1.7)', async () => {
    writeFileSync(
      join(dir, 'main.tf'),
      `variable "existing_apps" {
  type    = map(object({ application_object_id = string }))
  default = { teams = { application_object_id = "${OBJECT_ID}" } }
}
resource "terraform_data" "app" {
  for_each = toset(["teams", "outlook"])
  input    = each.key
}
import {
  for_each = var.existing_apps
  to       = terraform_data.app[each.key]
  id       = "/applications/\${each.value.application_object_id}"
}
`,
    );
    expect((await terraform(dir, ['init', '-input=false'])).status).toBe(0);
    const plan = await terraform(dir, ['plan', '-input=false']);
    expect(plan.output).toContain(
      `terraform_data.app["teams"] will be updated in-place\n  # (imported from "/applications/${OBJECT_ID}")`,
    );
    expect(plan.output).toContain('terraform_data.app["outlook"] will be created');
    expect(plan.output).toContain('Plan: 1 to import, 1 to add, 1 to change, 0 to destroy.');
  });
});
