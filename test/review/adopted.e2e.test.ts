import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarizePlan } from '../../src/review/review';
import { adoptedTeams, firstApplyPlan } from '../support/adopted-plan';
import { hasTerraform, terraform } from '../support/terraform';

type Tf = Record<string, any>;

describe.skipIf(!hasTerraform)('the plan JSON Terraform 1.11 writes for an import', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kindo-adopted-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('carries `importing` where the review reads it, as in the fixture above; imported terraform_data shows in the Adopted section', async () => {
    writeFileSync(
      join(dir, 'main.tf.json'),
      JSON.stringify({
        resource: { terraform_data: { changed: { input: 'x' }, same: {} } },
        import: [
          { to: 'terraform_data.changed', id: 'hand-made-1' },
          { to: 'terraform_data.same', id: 'hand-made-2' },
        ],
      }),
    );
    expect((await terraform(dir, ['init', '-input=false'])).status).toBe(0);
    expect((await terraform(dir, ['plan', '-input=false', '-out=plan.bin'])).status).toBe(0);
    const shown = await terraform(dir, ['show', '-json', 'plan.bin']);
    const plan = JSON.parse(shown.output.slice(shown.output.indexOf('{')));
    const changes: Tf[] = plan.resource_changes;
    expect(changes.map((rc) => [rc.address, rc.mode, rc.change.actions, rc.change.importing])).toEqual([
      ['terraform_data.changed', 'managed', ['update'], { id: 'hand-made-1' }],
      ['terraform_data.same', 'managed', ['no-op'], { id: 'hand-made-2' }],
    ]);
    // The fixture's resource changes have the keys real Terraform writes.
    const fixture = firstApplyPlan(adoptedTeams()[0].config, 'x').resource_changes[1];
    expect(Object.keys(fixture).sort()).toEqual(Object.keys(changes[0]).sort());
    expect(Object.keys(fixture.change).sort()).toEqual(Object.keys(changes[0].change).sort());
    expect(
      summarizePlan(plan, 'real.json').adopted.map((a) => [
        a.address,
        a.action,
        a.importId,
        a.changes.map((c) => c.path),
      ]),
    ).toEqual([
      ['terraform_data.changed', 'update', 'hand-made-1', ['input', 'output']],
      ['terraform_data.same', 'no-op', 'hand-made-2', []],
    ]);
  });
});
