import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { KindoConfigError, show } from '../core/errors';

// Synth output can be long; the tail holds the error.
const OUTPUT_TAIL = 4000;

function run(command: string, args: string[], cwd: string): { status: number | null; output: string } {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1', CI: process.env.CI ?? '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    status: result.error ? null : result.status,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}`.slice(-OUTPUT_TAIL),
  };
}

/** Whether `ref` names a commit of the repository around `projectDir`. */
function isGitRevision(ref: string, projectDir: string): boolean {
  return run('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], projectDir).status === 0;
}

/**
 * Synthesizes the project as it is at `ref`, in a temporary `git worktree` whose node_modules is a
 * symlink to this checkout's (no install), and hands the output directory to `use` before removing
 * the worktree again.
 */
export function withSynthesizedRevision<T>(ref: string, projectDir: string, use: (cdktfOut: string) => T): T {
  const top = run('git', ['rev-parse', '--show-toplevel'], projectDir);
  if (top.status !== 0 || !isGitRevision(ref, projectDir)) throw reviewBaseNotFound(ref, projectDir);
  const worktree = mkdtempSync(join(tmpdir(), 'kindo-review-base-'));
  const add = run('git', ['worktree', 'add', '--detach', worktree, `${ref}^{commit}`], projectDir);
  if (add.status !== 0) {
    rmSync(worktree, { recursive: true, force: true });
    throw reviewBaseSynthFailed(ref, `git worktree add --detach ${worktree} ${ref}`, add.status, add.output);
  }
  try {
    // The package may sit below the repository root.
    const baseProject = join(worktree, relative(top.output.trim(), projectDir));
    const modules = join(baseProject, 'node_modules');
    if (!existsSync(modules)) symlinkSync(join(projectDir, 'node_modules'), modules, 'junction');
    const out = join(worktree, '.kindo-review-cdktf.out');
    const synth = run('npx', ['cdktf', 'synth', '--output', out], baseProject);
    if (synth.status !== 0) throw reviewBaseSynthFailed(ref, 'npx cdktf synth', synth.status, synth.output);
    return use(out);
  } finally {
    run('git', ['worktree', 'remove', '--force', worktree], projectDir);
    rmSync(worktree, { recursive: true, force: true });
    run('git', ['worktree', 'prune'], projectDir);
  }
}

/** A --base that is neither a directory nor a git revision. */
export function reviewBaseNotFound(value: string, repo: string): KindoConfigError {
  return new KindoConfigError(
    'REVIEW_BASE_NOT_FOUND',
    `--base is ${show(value)}, which is neither a directory nor a commit known to the git repository at ${show(repo)}; expected the cdktf output directory of an earlier synth, or a git ref such as 'origin/main' (in CI, check out with fetch-depth: 0)`,
  );
}

/** Synthesizing the --base revision failed. */
export function reviewBaseSynthFailed(
  ref: string,
  step: string,
  status: number | null,
  output: string,
): KindoConfigError {
  return new KindoConfigError(
    'REVIEW_BASE_SYNTH_FAILED',
    `cannot synthesize --base ${show(ref)}: \`${step}\` exited with ${status ?? 'a signal'}${output ? `:\n${output}` : ''}\nexpected the revision to synthesize with this checkout's node_modules; synthesize it yourself and pass the output directory as --base`,
  );
}
