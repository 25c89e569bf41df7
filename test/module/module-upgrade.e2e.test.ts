import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INTEGRATION_IDS, catalog } from '../../src/catalog/catalog';
import { blocks, built, loadModule } from '../support/module';
import { inputsDir } from '../support/module-terraform';
import { hasTerraform, terraform, terraformEnv } from '../support/terraform';
import unreleased from './unreleased-addresses.json';
import v010 from '../../scripts/module/v0.1.0-addresses.json';

/** A stand-in address for `terraform_data`: the type goes into the name, `azuread_application.this` → `terraform_data.azuread_application__this`. */
const standInAddress = (address: string) =>
  address.replace(
    /^(data\.)?([a-z_]+)\.([\w-]+)/,
    (_, data: string | undefined, type: string, name: string) =>
      `terraform_data.${data ? 'data_' : ''}${type}__${name}`,
  );
const standIns = (entries: [string, string][]) =>
  Object.fromEntries(
    entries.map(([block, forEach]) => [
      block.replace(/^terraform_data\./, ''),
      { for_each: forEach, input: 'stand-in' },
    ]),
  );
/** Stand-ins for a state's addresses: per block, a terraform_data over the keys the state holds. */
function oldStandIns(addresses: readonly string[]) {
  const keysByBlock = new Map<string, string[]>();
  for (const address of addresses) {
    const [, block, key] = /^(.+)\["(.+)"\]$/.exec(standInAddress(address))!;
    keysByBlock.set(block, [...(keysByBlock.get(block) ?? []), key]);
  }
  return standIns([...keysByBlock].map(([b, keys]) => [b, `\${toset(${JSON.stringify(keys)})}`]));
}
/** Records v0.1.0 did not have: the Nango environment each delegated integration is registered in. */
const environments = INTEGRATION_IDS.filter((id) => catalog()[id].authFlow === 'delegated').map((id) =>
  standInAddress(`terraform_data.nango_environment["${id}"]`),
);
/** Records neither v0.1.0 nor the unreleased layout had: the identity that first applied each integration (its owner). */
const firstAppliers = INTEGRATION_IDS.map((id) => standInAddress(`terraform_data.first_applier["${id}"]`));

// Anyone who applied an earlier layout upgrades with no change but what the layout adds: its addresses are
// applied in a stand-in configuration (terraform_data with the same names and keys) beside the module's
// inputs, then the module's blocks replace them with the module's own for_each expressions and moved
// blocks, and the plan must move every object and change none.
describe.skipIf(!hasTerraform)('upgrading the module (terraform on the PATH)', () => {
  const dirs: string[] = [];
  beforeAll(() => loadModule(), 120_000);
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** Applies `addresses` as stand-ins, then plans the module's blocks (and `moved`) over them. */
  async function upgrade(addresses: readonly string[], moved: readonly { from: string; to: string }[]) {
    const dir = await inputsDir('main');
    dirs.push(dir);
    const vars = {
      integrations: JSON.stringify(Object.fromEntries(INTEGRATION_IDS.map((id) => [id, {}]))),
      nango_secret_key: randomUUID(),
    };
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ resource: { terraform_data: oldStandIns(addresses) } }));
    const old = await terraform(dir, ['apply', '-auto-approve', '-input=false'], vars);
    expect(old.output).toContain(`Apply complete! Resources: ${addresses.length} added, 0 changed, 0 destroyed.`);
    const moduleBlocks = blocks().filter((b) => !b.data);
    writeFileSync(
      join(dir, 'main.tf.json'),
      JSON.stringify({
        resource: { terraform_data: standIns(moduleBlocks.map((b) => [standInAddress(b.address), b.body.for_each])) },
        ...(moved.length > 0
          ? { moved: moved.map(({ from, to }) => ({ from: standInAddress(from), to: standInAddress(to) })) }
          : {}),
      }),
    );
    const plan = await terraform(dir, ['plan', '-input=false'], vars);
    return { dir, vars, plan };
  }

  test("plans only the new records (Nango environment, first applier) after v0.1.0 was applied: every other object moves to the module's address for it", async () => {
    const moves = built().migrations.flatMap((m) => m.moves);
    const records = [...environments, ...firstAppliers];
    const { dir, vars, plan } = await upgrade(v010.addresses, moves);
    expect(plan.output).toContain(`Plan: ${records.length} to add, 0 to change, 0 to destroy.`);
    expect(plan.output.match(/ has moved to /g)?.length).toBe(v010.addresses.length);
    expect((await terraform(dir, ['apply', '-auto-approve', '-input=false'], vars)).status).toBe(0);
    const state = spawnSync('terraform', ['state', 'list'], { cwd: dir, env: terraformEnv(), encoding: 'utf8' });
    expect(state.stdout.trim().split('\n').sort()).toEqual(
      [...moves.map((m) => standInAddress(m.to)), ...records].sort(),
    );
  }, 240_000);

  test('plans only the first-applier records after the unreleased layout between v0.1.0 and v0.2.0 was applied: its other addresses are the module’s', async () => {
    const { dir, vars, plan } = await upgrade(unreleased.addresses, []);
    expect(plan.output, plan.output).toContain(`Plan: ${firstAppliers.length} to add, 0 to change, 0 to destroy.`);
    expect(plan.output).not.toContain(' has moved to ');
    expect((await terraform(dir, ['apply', '-auto-approve', '-input=false'], vars)).status).toBe(0);
    const state = spawnSync('terraform', ['state', 'list'], { cwd: dir, env: terraformEnv(), encoding: 'utf8' });
    expect(state.stdout.trim().split('\n').sort()).toEqual(
      [...unreleased.addresses.map(standInAddress), ...firstAppliers].sort(),
    );
  }, 240_000);
});
