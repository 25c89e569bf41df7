import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthBothModes } from '../support/both-modes';
import type { Synth } from '../support/integration-app';
import { hasTerraform, terraform } from '../support/terraform';

const CALLER = 'data.azuread_client_config.KindoClientConfig.object_id';
const LAPTOP = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const CI = '00000000-0000-0000-0000-000000000001';
const OWNER = '8f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';

/**
 * The owners of every app registration and service principal of both modes as synthesized, each on a
 * terraform_data standing in for its object, with the records as synthesized and the identity
 * running the plan (azuread_client_config) a variable. `owners` rewrites each owners expression.
 */
function standIn(tf: Synth, owners: (expression: unknown) => unknown = (e) => e): object {
  const swap = (value: unknown) => JSON.parse(JSON.stringify(value).replaceAll(CALLER, 'var.caller'));
  const records = Object.entries<any>(tf.resource.terraform_data).filter(([name]) => name.includes('FirstApplier'));
  const objects = ['azuread_application', 'azuread_service_principal'].flatMap((type) =>
    Object.entries<any>(tf.resource[type]).map(([name, o]) => [`${type}_${name}`, { input: owners(o.owners) }]),
  );
  return {
    variable: { caller: { type: 'string' } },
    resource: { terraform_data: { ...swap(Object.fromEntries(records)), ...Object.fromEntries(objects) } },
  };
}

describe.skipIf(!hasTerraform)('ownership under terraform (terraform on the PATH)', () => {
  const tf = synthBothModes([OWNER.toUpperCase()]);
  // Each run applies as one identity, then plans as another.
  const run = async (config: object) => {
    const dir = mkdtempSync(join(tmpdir(), 'kindo-owners-'));
    try {
      writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(config));
      const apply = await terraform(dir, ['apply', '-auto-approve', '-input=false'], { caller: LAPTOP });
      expect(apply.status, apply.output).toBe(0);
      const state = JSON.parse(readFileSync(join(dir, 'terraform.tfstate'), 'utf8'));
      const owners = state.resources
        .filter((r: any) => r.name.startsWith('azuread_'))
        .map((r: any) => r.instances[0].attributes.input.value);
      const next = await terraform(dir, ['plan', '-detailed-exitcode', '-input=false'], { caller: CI });
      return { owners, next };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  test('a second identity plans no change: owners are the given ones and the identity that applied first', async () => {
    const { owners, next } = await run(standIn(tf));
    expect(owners).toHaveLength(6);
    for (const o of owners) expect(o).toEqual([OWNER, LAPTOP]);
    // -detailed-exitcode: 0 is "no changes".
    expect(next.status, next.output).toBe(0);
  }, 60_000);

  test('owners built from the identity running the plan, as before, would change on that plan', async () => {
    const fromCaller = (e: unknown) =>
      JSON.parse(JSON.stringify(e).replace(/terraform_data\.[\w]+\.input\.object_id/g, 'var.caller'));
    const { next } = await run(standIn(tf, fromCaller));
    expect(next.status, next.output).toBe(2);
  }, 60_000);
});
