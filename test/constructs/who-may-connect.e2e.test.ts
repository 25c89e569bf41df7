import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { KindoSaasConsent } from '../../src/constructs/kindo-saas-consent';
import { hasTerraform, terraform } from '../support/terraform';

const GROUP_A = '5b1c7e4a-9d2f-4e8b-a1c3-6f7d8e9a0b1c';
const GROUP_B = '6c2d8f5b-0e3a-4f9c-b2d4-7a8e9f0b1c2d';
const KINDO_TEAMS = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';

describe.skipIf(!hasTerraform)('who may connect under terraform (terraform on the PATH)', () => {
  let dir: string;
  beforeAll(() => {
    // The synthesized precondition on a provider-free resource with the same for_each.
    const stack = new TerraformStack(Testing.app(), 'test');
    new KindoSaasConsent(stack, 'Kindo', {
      clientIds: { teams: KINDO_TEAMS },
      requireAssignment: new TerraformVariable(stack, 'require_assignment', { type: 'bool' }).value as boolean,
      allowedGroups: new TerraformVariable(stack, 'allowed_groups', { type: 'list(string)' }).listValue,
    });
    const tf = JSON.parse(Testing.synth(stack));
    const assignments = Object.values<any>(tf.resource.azuread_app_role_assignment);
    expect(assignments).toHaveLength(1);
    const [assignment] = assignments;
    dir = mkdtempSync(join(tmpdir(), 'kindo-who-'));
    writeFileSync(
      join(dir, 'main.tf.json'),
      JSON.stringify({
        variable: tf.variable,
        resource: {
          terraform_data: {
            assignment: { for_each: assignment.for_each, input: '${each.value}', lifecycle: assignment.lifecycle },
          },
        },
      }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const plan = async (require: boolean, groups: string[]) => {
    const run = await terraform(dir, ['plan', '-input=false', '-lock=false'], {
      require_assignment: String(require),
      allowed_groups: JSON.stringify(groups),
    });
    return { status: run.status, output: run.output.replace(/\s+/g, ' ').replace(/│ /g, '') };
  };

  test('passes with required assignment and groups, or with no groups', async () => {
    expect((await plan(true, [GROUP_A, GROUP_B])).output).toContain('2 to add');
    const none = await plan(false, []);
    expect(none.status, none.output).toBe(0);
  }, 60_000);

  test('stops with groups but no required assignment', async () => {
    const run = await plan(false, [GROUP_A]);
    expect(run.status).toBe(1);
    expect(run.output).toContain(
      "Kindo SaaS integration 'teams': allowed groups are set but assignment is not required",
    );
  }, 60_000);
});
