import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildReviewReport,
  loadSynthesizedStacks,
  renderReviewMarkdown,
  reviewStacks,
  summarizePlan,
} from '../../src/review/review';
import { nangoStackRuns, synthNangoStack } from '../support/nango-stack';
import { hasTerraform, terraform } from '../support/terraform';

// A real `terraform show -json` plan: the stack holds only terraform_data (NangoRegistration without
// drift check), which needs no provider download, and is applied against a Nango stand-in so that the
// second plan has replacements to summarize.
describe.skipIf(!hasTerraform)('review of a real terraform plan (terraform on the PATH)', () => {
  const clientSecret = `client~${randomUUID()}`;
  const e2e = nangoStackRuns(['offline_access', 'User.Read'], clientSecret);
  const { nango, run, applied } = e2e;
  // Each test first converges on the state it starts from, so that it passes alone and in any order.
  let initial: Record<string, string>;

  const planJson = async (): Promise<unknown> => {
    const plan = await run('plan', '-input=false', '-out=tfplan');
    expect(plan.status, plan.output).toBe(0);
    const show = await run('show', '-json', 'tfplan');
    expect(show.status, show.output).toBe(0);
    return JSON.parse(show.output.slice(show.output.indexOf('{')));
  };

  beforeAll(async () => {
    await e2e.start(false);
    initial = e2e.vars;
  }, 60_000);

  test('lists the Nango registration to create, and no other terraform_data', async () => {
    e2e.vars = initial;
    const destroy = await run('destroy', '-auto-approve', '-input=false');
    expect(destroy.status, destroy.output).toBe(0);
    const plan = await planJson();
    const summary = summarizePlan(plan, 'e2e.json', reviewStacks(loadSynthesizedStacks(e2e.dir)));
    expect(summary.actions.map((a) => [a.action, a.what, a.label])).toEqual([
      ['create', 'Nango registration (deleting it deletes the Nango integration)', 'teams'],
      ['create', 'Nango registration settings (pushed to Nango on apply)', 'Microsoft Teams'],
    ]);
    const md = renderReviewMarkdown(buildReviewReport('x', [], [], { plans: [summary] }));
    expect(md).toContain('2 to create, 0 to update, 0 to replace, 0 to delete.');
    // The plan JSON itself holds both secrets (variables, triggers): the summary must hold neither.
    expect(JSON.stringify(plan)).toContain(clientSecret);
    for (const text of [md, JSON.stringify(summary)]) {
      expect(text).not.toContain(clientSecret);
      expect(text).not.toContain(nango.secretKey);
    }
  }, 60_000);

  test('lists the record of the Nango environment with the registration it guards', async () => {
    const withEnvironment = synthNangoStack(e2e.serverUrl, ['offline_access', 'User.Read'], { environment: true });
    try {
      const recorded = { ...initial, nango_environment: 'prod' };
      expect((await terraform(withEnvironment, ['init', '-input=false'], recorded)).status).toBe(0);
      expect((await terraform(withEnvironment, ['plan', '-input=false', '-out=tfplan'], recorded)).status).toBe(0);
      const show = await terraform(withEnvironment, ['show', '-json', 'tfplan'], recorded);
      const summary = summarizePlan(
        JSON.parse(show.output.slice(show.output.indexOf('{'))),
        'e2e.json',
        reviewStacks(loadSynthesizedStacks(withEnvironment)),
      );
      expect(summary.actions.map((a) => [a.action, a.what, a.label])).toEqual([
        ['create', 'Nango environment record (a plan naming another environment fails)', 'teams'],
        ['create', 'Nango registration (deleting it deletes the Nango integration)', 'teams'],
        ['create', 'Nango registration settings (pushed to Nango on apply)', 'Microsoft Teams'],
      ]);
    } finally {
      rmSync(join(withEnvironment, '..', '..'), { recursive: true, force: true });
    }
  }, 60_000);

  test('shows a replacement with the attribute that forces it, hiding key IDs and sensitive triggers', async () => {
    e2e.vars = initial;
    await applied();
    e2e.vars = { ...e2e.vars, client_id: 'client-2', client_secret_key_id: 'key-2' };
    const plan = await planJson();
    const summary = summarizePlan(plan, 'e2e.json');
    const sync = summary.actions.find((a) => a.what.startsWith('Nango registration settings'))!;
    expect(sync.action).toBe('replace');
    expect(sync.attributes).toEqual([
      { path: 'triggers_replace.client_id', before: 'client-1', after: 'client-2', forcesReplacement: true },
      { path: 'triggers_replace.client_secret_key_id', note: 'hidden', forcesReplacement: true },
    ]);
    const md = renderReviewMarkdown(buildReviewReport('x', [], [], { plans: [summary] }));
    expect(md).toContain('`triggers_replace.client_id`: `client-1` → `client-2` (forces replacement)');
    expect(md).not.toContain('key-2');
    expect(md).not.toContain(clientSecret);
    expect(md).not.toContain(nango.secretKey);
  }, 60_000);
});
