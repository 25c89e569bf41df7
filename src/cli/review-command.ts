import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { KindoConfigError, show } from '../core/errors';
import { parseJsonText } from '../core/json-text';
import { visible } from '../core/visible';
import { withSynthesizedRevision } from '../review/git';
import { reviewPlanInvalid } from '../review/plan';
import { preparePlanInput } from '../review/plan-input';
import {
  REVIEW_EXIT,
  buildReviewReport,
  diffReviews,
  loadSynthesizedStacks,
  renderReviewMarkdown,
  reviewExitCode,
  reviewStacks,
  summarizePlan,
} from '../review/review';
import type { ReviewedIntegration } from '../review/types';
import type { Command } from './command';

const USAGE = `Usage: kindo-microsoft-integrations review [options]

Writes a reviewer-facing report of the synthesized Entra ID apps: permissions by API, consent,
redirect URIs, Nango registrations and client secret lifetimes, plus a risk section.

Options:
  --synth DIR      synthesized output to review (default: ./cdktf.out; synthesize first)
  --base DIR|REF   compare with an earlier synth: its output directory, or a git ref
                   (e.g. origin/main) synthesized in a temporary git worktree
  --plan FILE      \`terraform show -json\` output of a plan; repeat for several stacks
  --out FILE       Markdown report (default: <synth>/review.md)
  --json FILE      the same data as JSON (default: the Markdown path with .json)
  --prepare-plan DIR
                   write no report: check that the synth uses only what may be planned with
                   the plan identity, and copy its stacks' cdk.tf.json alone into DIR (CI)
  -h, --help       show this text

Exit status: 0 report written and the access surface does not grow (or no --base and no
planned move of a Nango server URL or redirect URI); 3 report written and the access surface
grows; 1 bad input; 2 wrong command line. See docs/review.md.`;

interface Options {
  synth: string;
  base?: string;
  plans: string[];
  out?: string;
  json?: string;
  preparePlan?: string;
}

function readPlan(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw reviewPlanInvalid(file, visible((e as Error).message));
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) throw reviewPlanInvalid(file, parsed.problem);
  return parsed.value;
}

type Output = readonly [option: '--out' | '--json', file: string];

const outputInvalid = (option: string, file: string, problem: string) =>
  new KindoConfigError('REVIEW_OUTPUT_INVALID', `${option} ${show(file)} ${problem}`);

/** The nearest part of `file`'s path that exists: it must be a directory for `file` to be written. */
function existingAncestor(file: string): string {
  let dir = dirname(file);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** The report's files: each a path that can be written, not an existing directory, checked before either is written. */
function outputFiles(options: Options, cwd: string): Output[] {
  const out = resolve(cwd, options.out ?? join(options.synth, 'review.md'));
  const json = resolve(cwd, options.json ?? out.replace(/(\.md)?$/, '.json'));
  if (out === json)
    throw new KindoConfigError('REVIEW_OUTPUT_INVALID', `--out and --json are both ${show(out)}; expected two files`);
  const files: Output[] = [
    ['--out', out],
    ['--json', json],
  ];
  for (const [option, file] of files) {
    if (existsSync(file) && statSync(file).isDirectory())
      throw outputInvalid(
        option,
        file,
        `is a directory; expected the path of a file to write, e.g. ${show(join(file, 'review.md'))}`,
      );
    const ancestor = existingAncestor(file);
    if (!statSync(ancestor).isDirectory())
      throw outputInvalid(
        option,
        file,
        `cannot be written: ${show(ancestor)} is not a directory; expected a path inside a directory`,
      );
  }
  return files;
}

/**
 * Writes every file or none: each to a temporary file beside it, renamed over it once all are
 * written, so that a failing write leaves no half-written report.
 */
function writeAll(files: readonly (readonly [option: string, file: string, content: string])[]): void {
  const temps: string[] = [];
  const fail = (option: string, file: string, e: unknown) => {
    for (const temp of temps) {
      try {
        rmSync(temp, { force: true });
      } catch {
        // a temporary file that could not be named was never made
      }
    }
    return outputInvalid(
      option,
      file,
      `cannot be written (${(e as NodeJS.ErrnoException).code ?? 'error'}); expected a path this user may write`,
    );
  };
  for (const [option, file, content] of files) {
    const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    try {
      mkdirSync(dirname(file), { recursive: true });
      temps.push(temp);
      writeFileSync(temp, content, { flag: 'wx' });
    } catch (e) {
      throw fail(option, file, e);
    }
  }
  files.forEach(([option, file], n) => {
    try {
      renameSync(temps[n], file);
    } catch (e) {
      throw fail(option, file, e);
    }
  });
}

function baseIntegrations(base: string, cwd: string): ReviewedIntegration[] {
  const baseDir = resolve(cwd, base);
  return existsSync(baseDir) && statSync(baseDir).isDirectory()
    ? reviewStacks(loadSynthesizedStacks(baseDir))
    : withSynthesizedRevision(base, cwd, (out) => reviewStacks(loadSynthesizedStacks(out)));
}

function review(options: Options, cwd: string): number {
  const stacks = loadSynthesizedStacks(resolve(cwd, options.synth));
  if (options.preparePlan !== undefined) {
    const names = preparePlanInput(stacks, resolve(cwd, options.preparePlan));
    process.stdout.write(`${visible(`May be planned: ${names.join(', ')}; copied to ${options.preparePlan}.`)}\n`);
    return REVIEW_EXIT.NO_GROWTH;
  }
  const [[, out], [, json]] = outputFiles(options, cwd);
  const head = reviewStacks(stacks);
  const base = options.base === undefined ? undefined : baseIntegrations(options.base, cwd);
  const report = buildReviewReport(options.synth, stacks, head, {
    diff: base ? diffReviews(base, head, options.base!) : undefined,
    plans: options.plans.map((file) => summarizePlan(readPlan(resolve(cwd, file)), file, head)),
  });
  writeAll([
    ['--out', out, renderReviewMarkdown(report)],
    ['--json', json, `${JSON.stringify(report, null, 2)}\n`],
  ]);
  const code = reviewExitCode(report);
  const verdict =
    code === REVIEW_EXIT.GREW
      ? `the access surface grows (${report.verdict.reasons.length} reason(s) in the report's verdict)`
      : report.diff
        ? `the access surface does not grow against ${options.base}`
        : 'no --base given, and no plan moves a Nango server URL or redirect URI';
  process.stdout.write(
    `${visible(`Review of ${head.length} app registration(s) written to ${out} and ${json}; ${verdict}.`)}\n`,
  );
  return code;
}

/** `review`: the reviewer's report of a synth, a diff against a base, planned actions. */
export const reviewCommand: Command = {
  name: 'review',
  summary: 'write a reviewer-facing report of the synthesized apps, diffed against a base',
  usage: USAGE,
  options: {
    synth: { type: 'string', default: 'cdktf.out' },
    base: { type: 'string' },
    plan: { type: 'string', multiple: true, default: [] },
    out: { type: 'string' },
    json: { type: 'string' },
    'prepare-plan': { type: 'string' },
  },
  run: (values, cwd) =>
    review(
      {
        synth: values.synth as string,
        base: values.base as string | undefined,
        plans: values.plan as string[],
        out: values.out as string | undefined,
        json: values.json as string | undefined,
        preparePlan: values['prepare-plan'] as string | undefined,
      },
      cwd,
    ),
};
