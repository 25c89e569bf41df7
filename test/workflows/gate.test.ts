import { createRequire } from 'node:module';

// .ci/access-surface-gate.cjs, which review-plan.yml and review-gate.yml load from the default branch.
const gate = createRequire(__filename)('../../.ci/access-surface-gate.cjs');

const SHA = 'a'.repeat(40);
const verdict = (over: object = {}) => ({ pr: 7, headSha: SHA, grows: false, status: 'reviewed', ...over });

describe('access-surface gate: the decision', () => {
  test('passes a head whose access surface does not grow', () => {
    expect(gate.decide(verdict(), SHA, [])).toMatchObject({ state: 'success' });
  });

  test('fails a head whose access surface grows, until the approval label is on the pull request', () => {
    expect(gate.decide(verdict({ grows: true }), SHA, ['other'])).toMatchObject({ state: 'failure' });
    expect(gate.decide(verdict({ grows: true }), SHA, ['access-surface-approved'])).toMatchObject({ state: 'success' });
  });

  test('waits without a verdict for this very head commit, and fails when the plan or review failed', () => {
    expect(gate.decide(null, SHA, ['access-surface-approved'])).toMatchObject({ state: 'pending' });
    expect(gate.decide(verdict({ headSha: 'b'.repeat(40) }), SHA, [])).toMatchObject({ state: 'pending' });
    expect(gate.decide(verdict({ status: 'failed' }), SHA, ['access-surface-approved'])).toMatchObject({
      state: 'failure',
    });
  });
});

describe('access-surface gate: where the verdict comes from', () => {
  /** A stand-in for the GitHub API: artifacts named like the verdict, each made by one run. */
  function github(runs: { id: number; path: string; event: string; created: string; expired?: boolean }[]) {
    const calls: unknown[] = [];
    return {
      calls,
      rest: {
        actions: {
          listArtifactsForRepo: async ({ name }: { name: string }) => ({
            data: {
              artifacts: runs.map((r) => ({
                name,
                expired: r.expired ?? false,
                created_at: r.created,
                workflow_run: { id: r.id },
              })),
            },
          }),
          getWorkflowRun: async ({ run_id }: { run_id: number }) => {
            const run = runs.find((r) => r.id === run_id)!;
            return { data: { id: run.id, path: run.path, event: run.event, html_url: `https://runs/${run.id}` } };
          },
        },
        repos: { createCommitStatus: async (status: unknown) => calls.push(status) },
      },
    };
  }
  const trusted = { path: '.github/workflows/review-plan.yml', event: 'workflow_run' };

  test('takes the newest verdict a workflow_run run of review-plan.yml made', async () => {
    const api = github([
      { id: 1, ...trusted, created: '2026-01-01T00:00:00Z' },
      { id: 2, ...trusted, created: '2026-01-02T00:00:00Z' },
      { id: 3, ...trusted, created: '2026-01-03T00:00:00Z', expired: true },
    ]);
    expect(await gate.verdictRun(api, 'o', 'r', SHA)).toEqual({ runId: 2, url: 'https://runs/2' });
  });

  test('ignores an artifact of the same name from a run a pull request can change or trigger', async () => {
    const api = github([
      { id: 4, path: '.github/workflows/review-plan.yml', event: 'pull_request', created: '2026-01-05T00:00:00Z' },
      { id: 5, path: '.github/workflows/review-synth.yml', event: 'workflow_run', created: '2026-01-04T00:00:00Z' },
    ]);
    expect(await gate.verdictRun(api, 'o', 'r', SHA)).toBeNull();
  });

  test('sets the status kindo/access-surface on the head commit, within GitHub’s 140 characters', async () => {
    const api = github([]);
    await gate.setGate(api, 'o', 'r', SHA, { state: 'failure', description: 'x'.repeat(200) }, 'https://run');
    expect(api.calls).toEqual([
      {
        owner: 'o',
        repo: 'r',
        sha: SHA,
        state: 'failure',
        context: 'kindo/access-surface',
        description: 'x'.repeat(140),
        target_url: 'https://run',
      },
    ]);
  });
});
