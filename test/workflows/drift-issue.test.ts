import { createRequire } from 'node:module';

// .ci/drift-issue.cjs, which drift.yml loads to keep one issue about drift.
const drift = createRequire(__filename)('../../.ci/drift-issue.cjs');

const RUN = 'https://github.com/o/r/actions/runs/1';
const stack = (over: object = {}) => ({ stack: 'kindo', plan: 'clean', verify: 'agrees', verifyText: '', ...over });

describe('drift report', () => {
  test('is clean when every stack plans no change and agrees with Nango', () => {
    expect(drift.driftReport([stack()], undefined, RUN).state).toBe('clean');
  });

  test('is drift when Entra or Nango differs, with the verify output fenced so that it cannot end the block', () => {
    const report = drift.driftReport([stack({ verify: 'differs', verifyText: 'a ```` b' })], '## review', RUN);
    expect(report.state).toBe('drift');
    expect(report.body).toContain('`````text\na ```` b\n`````');
    expect(report.body.startsWith(drift.MARKER)).toBe(true);
    expect(drift.driftReport([stack({ plan: 'drift' })], '', RUN).state).toBe('drift');
  });

  test('is failed when a plan or verify failed, or no stack was checked', () => {
    expect(drift.driftReport([stack({ plan: 'error' })], '', RUN).state).toBe('failed');
    expect(drift.driftReport([], '', RUN).state).toBe('failed');
  });
});

describe('drift issue', () => {
  function github(open: object[]) {
    const calls: [string, unknown][] = [];
    const record = (name: string) => async (args: unknown) => {
      calls.push([name, args]);
      return { data: { number: 9 } };
    };
    return {
      calls,
      paginate: async () => open,
      rest: {
        issues: {
          listForRepo: {},
          create: record('create'),
          update: record('update'),
          createComment: record('comment'),
        },
      },
    };
  }
  const mine = { number: 3, user: { type: 'Bot' }, body: `${drift.MARKER}\nold` };

  test('opens one labelled issue on drift, and updates it (with a comment) while drift lasts', async () => {
    const report = drift.driftReport([stack({ plan: 'drift' })], '', RUN);
    const none = github([]);
    expect(await drift.syncDriftIssue(none, 'o', 'r', report, RUN)).toBe('opened #9');
    expect(none.calls[0]).toEqual(['create', expect.objectContaining({ labels: ['entra-drift'], body: report.body })]);
    const existing = github([{ number: 5, user: { type: 'User' }, body: 'someone else’s' }, mine]);
    expect(await drift.syncDriftIssue(existing, 'o', 'r', report, RUN)).toBe('updated #3');
    expect(existing.calls.map(([name]) => name)).toEqual(['update', 'comment']);
  });

  test('comments on and closes the issue once clean, and does nothing without one', async () => {
    const clean = drift.driftReport([stack()], '', RUN);
    const existing = github([mine]);
    expect(await drift.syncDriftIssue(existing, 'o', 'r', clean, RUN)).toBe('closed #3');
    expect(existing.calls).toEqual([
      ['comment', expect.objectContaining({ issue_number: 3 })],
      ['update', expect.objectContaining({ issue_number: 3, state: 'closed' })],
    ]);
    expect(await drift.syncDriftIssue(github([]), 'o', 'r', clean, RUN)).toBe('nothing to do');
  });
});
