import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { KindoConfigError, show } from '../core/errors';

// What a failed step prints can be long; its last part holds the error.
const OUTPUT_TAIL = 4000;
// How much of a failed synth the error repeats: the thrown error's message, not its stack.
const ERROR_LINES = 6;

function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): { status: number | null; output: string } {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...env, CHECKPOINT_DISABLE: '1', CI: env.CI ?? '1' },
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
 * The error a failed synth printed, without its stack trace: from the line naming the error
 * (`KindoConfigError: …`, `Error: …`) to the first stack frame; else the last lines.
 */
export function synthError(output: string): string {
  const lines = output.split(/\r?\n/);
  const start = lines.findIndex((l) => /^[A-Za-z]*(Error|Exception)\b.*?: /.test(l));
  const from = start >= 0 ? lines.slice(start) : lines.filter((l) => l.trim() !== '').slice(-ERROR_LINES);
  const end = from.findIndex((l) => /^\s+at /.test(l));
  return (end >= 0 ? from.slice(0, end) : from).slice(0, ERROR_LINES).join('\n').trim();
}

/** The app command of a cdktf project (`app` in its cdktf.json), which the cdktf and cdktn CLIs run to synthesize. */
function appCommand(projectDir: string): string {
  const file = join(projectDir, 'cdktf.json');
  try {
    const app: unknown = JSON.parse(readFileSync(file, 'utf8')).app;
    if (typeof app === 'string' && app.trim() !== '') return app;
  } catch {
    // Reported below with the file's name.
  }
  throw new KindoConfigError(
    'REVIEW_BASE_SYNTH_FAILED',
    `${show(file)} has no \`app\` command; expected the cdktf.json of a cdktf project, e.g. {"app": "node --import tsx main.ts"}`,
  );
}

/**
 * Synthesizes a cdktf project into `outdir` by running its app command the way `cdktf synth` does
 * (@cdktf/cli-core's SynthStack: a shell in the project directory, `CDKTF_OUTDIR`, the context in
 * `CDKTF_CONTEXT_JSON`, no `TF_VAR_*`), so that neither the cdktf nor the cdktn CLI is needed:
 * cdktf 0.21 and cdktn 0.24 read the same variables, on Node 20 as on 22.
 */
export function synthesizeProject(projectDir: string, outdir: string): void {
  const app = appCommand(projectDir);
  const context: unknown = JSON.parse(readFileSync(join(projectDir, 'cdktf.json'), 'utf8')).context;
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('TF_VAR_')));
  const synth = run('sh', ['-c', app], projectDir, {
    ...env,
    CDKTF_OUTDIR: outdir,
    CDKTF_CONTEXT_JSON: JSON.stringify({ ...(typeof context === 'object' ? context : {}), cdktfRelativeModules: [] }),
    SYNTH_HCL_OUTPUT: 'false',
  });
  if (synth.status !== 0 || !existsSync(join(outdir, 'manifest.json')))
    throw new KindoConfigError(
      'REVIEW_BASE_SYNTH_FAILED',
      `synthesizing ${show(projectDir)} with \`${app}\` failed (exit ${synth.status ?? 'by a signal'}):\n${synthError(synth.output) || '(no output)'}`,
      'docs/review.md#options',
    );
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
    throw reviewBaseSynthFailed(ref, `git worktree add ${worktree}`, add.output);
  }
  try {
    // The package may sit below the repository root.
    const baseProject = join(worktree, relative(top.output.trim(), projectDir));
    const modules = join(baseProject, 'node_modules');
    if (!existsSync(modules)) symlinkSync(join(projectDir, 'node_modules'), modules, 'junction');
    const out = join(worktree, '.kindo-review-cdktf.out');
    try {
      synthesizeProject(baseProject, out);
    } catch (e) {
      throw e instanceof KindoConfigError ? reviewBaseSynthFailed(ref, 'synth', e.message) : e;
    }
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
    `--base is ${show(value)}, which is neither a directory nor a commit known to the git repository at ${show(repo)}; expected an earlier synth's directory or a git ref such as 'origin/main'`,
    'docs/review.md#options',
  );
}

/** Synthesizing the --base revision failed. */
export function reviewBaseSynthFailed(ref: string, step: string, detail: string): KindoConfigError {
  return new KindoConfigError(
    'REVIEW_BASE_SYNTH_FAILED',
    `cannot synthesize --base ${show(ref)} (${step}): ${detail}\nsynthesize that revision yourself and pass its output directory as --base`,
  );
}
