import { KindoConfigError } from '../../src/core/errors';
import { firstInvisible } from '../../src/core/visible';
import { reviewStacks, summarizePlan } from '../../src/review/review';
import { expectKindoError } from '../support/errors';
import { adoptedTeams, firstApplyPlan } from '../support/adopted-plan';

type Tf = Record<string, any>;

describe('a --plan not shaped as terraform show -json writes it', () => {
  const stacks = adoptedTeams();
  const integrations = reviewStacks(stacks);
  const plan = firstApplyPlan(stacks[0].config, 'planted');
  const app = plan.resource_changes.findIndex((rc: Tf) => rc.type === 'azuread_application');
  /** The plan with `value` at `path`, whose last step is set on a copy. */
  const mangled = (path: (string | number)[], value: unknown): Tf => {
    const copy = JSON.parse(JSON.stringify(plan));
    path.slice(0, -1).reduce((o, k) => o[k], copy)[path.at(-1)!] = value;
    return copy;
  };

  test.each<[string, (string | number)[], unknown, string]>([
    ['a change that is null', ['resource_changes', 3], null, '`resource_changes[3]` is null'],
    ['a change that is a number', ['resource_changes', 3], 5, '`resource_changes[3]` is 5'],
    [
      'actions that are not a list',
      ['resource_changes', 3, 'change', 'actions'],
      5,
      '`resource_changes[3].change.actions` is 5',
    ],
    [
      'replace_paths that are a string',
      ['resource_changes', app, 'change', 'replace_paths'],
      'x',
      `\`resource_changes[${app}].change.replace_paths\` is 'x'`,
    ],
    [
      'an address that is an object',
      ['resource_changes', 3, 'address'],
      { toString: 1 },
      '`resource_changes[3].address` is {"toString":1}',
    ],
    ['a missing change', ['resource_changes', 3, 'change'], undefined, '`resource_changes[3].change` is nothing'],
    [
      'a permission list that is null',
      ['resource_changes', app, 'change', 'after', 'required_resource_access'],
      [null],
      `\`resource_changes[${app}].change.after.required_resource_access[0]\` is null`,
    ],
    [
      'resource_access that is a number',
      ['resource_changes', app, 'change', 'after', 'required_resource_access', 0, 'resource_access'],
      5,
      `\`resource_changes[${app}].change.after.required_resource_access[0].resource_access\` is 5`,
    ],
    [
      'a permission ID that is an object',
      ['resource_changes', app, 'change', 'before', 'required_resource_access', 0, 'resource_access', 0, 'id'],
      { toString: 1 },
      '.resource_access[0].id` is {"toString":1}',
    ],
    ['a format version that is a number', ['format_version'], 7, '`format_version` is 7'],
  ])('is refused naming the file, the path and the value: %s', (_, path, value, fragment) => {
    expectKindoError(() => summarizePlan(mangled(path, value), 'plan.json', integrations), 'REVIEW_PLAN_INVALID', [
      "'plan.json'",
      fragment,
    ]);
  });

  test('a value planted with terminal escapes is shown visibly', () => {
    const { message } = expectKindoError(
      () =>
        summarizePlan(
          mangled(['resource_changes', 0, 'change', 'replace_paths'], '\u001b[2J\u202e'),
          'plan.json',
          integrations,
        ),
      'REVIEW_PLAN_INVALID',
      ["`resource_changes[0].change.replace_paths` is '\\u{1B}[2J\\u{202E}'"],
    );
    expect(firstInvisible(message)).toBeUndefined();
  });

  test('any value anywhere in a plan gives a report or REVIEW_PLAN_INVALID, never another failure', () => {
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, path: (string | number)[]) => {
      if (path.length > 0) paths.push(path);
      if (typeof v === 'object' && v !== null)
        for (const [k, child] of Object.entries(v)) walk(child, [...path, Array.isArray(v) ? Number(k) : k]);
    };
    walk(plan, []);
    let refused = 0;
    for (const path of paths)
      for (const replacement of [7, 'x', null, [null], [5], { x: 1 }, { toString: 1 }]) {
        try {
          summarizePlan(mangled(path, replacement), 'plan.json', integrations);
        } catch (e) {
          expect(e, `${path.join('.')} = ${JSON.stringify(replacement)}`).toBeInstanceOf(KindoConfigError);
          expect((e as KindoConfigError).code).toBe('REVIEW_PLAN_INVALID');
          // The field named by its JSON path, never an engine's TypeError text.
          expect((e as Error).message, `${path.join('.')} = ${JSON.stringify(replacement)}`).toMatch(/`[^`]+` is /);
          refused++;
        }
      }
    expect(refused).toBeGreaterThan(0);
  });
});
