import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { reviewPlanInvalid } from '../review/plan';
import type { Command } from './command';
import { withSynthesizedRevision } from '../review/git';
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

const USAGE = `Usage: kindo-microsoft-integrations review [options]

Writes a reviewer-facing report of the synthesized Entra ID apps: permissions by API, consent,
redirect URIs, Nango registrations and client secret lifetimes, plus a risk section.

Options:
  --synth DIR      cdktf output to review (default: ./cdktf.out; run \`npx cdktf synth\` first)
  --base DIR|REF   compare with an earlier synth: its cdktf output directory, or a git ref
                   (e.g. origin/main) synthesized in a temporary git worktree
  --plan FILE      \`terraform show -json\` output of a plan; repeat for several stacks
  --out FILE       Markdown report (default: <synth>/review.md)
  --json FILE      the same data as JSON (default: the Markdown path with .json)
  -h, --help       show this text

Exit status: 0 report written and the access surface does not grow (or no --base);
3 report written and the access surface grows; 1 bad input; 2 wrong command line.`;

interface Options {
  synth: string;
  base?: string;
  plans: string[];
  out?: string;
  json?: string;
}

function readPlan(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw reviewPlanInvalid(file, (e as Error).message);
  }
}

function review(options: Options, cwd: string): number {
  const synthDir = resolve(cwd, options.synth);
  const stacks = loadSynthesizedStacks(synthDir);
  const head = reviewStacks(stacks);

  let base: ReviewedIntegration[] | undefined;
  if (options.base !== undefined) {
    const baseDir = resolve(cwd, options.base);
    base =
      existsSync(baseDir) && statSync(baseDir).isDirectory()
        ? reviewStacks(loadSynthesizedStacks(baseDir))
        : withSynthesizedRevision(options.base, cwd, (out) => reviewStacks(loadSynthesizedStacks(out)));
  }

  const report = buildReviewReport(options.synth, stacks, head, {
    diff: base ? diffReviews(base, head, options.base!) : undefined,
    plans: options.plans.map((file) => summarizePlan(readPlan(resolve(cwd, file)), file, head)),
  });
  const out = resolve(cwd, options.out ?? join(options.synth, 'review.md'));
  const json = resolve(cwd, options.json ?? out.replace(/(\.md)?$/, '.json'));
  for (const [file, content] of [
    [out, renderReviewMarkdown(report)],
    [json, `${JSON.stringify(report, null, 2)}\n`],
  ] as const) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  const code = reviewExitCode(report);
  const verdict = report.diff
    ? code === REVIEW_EXIT.GREW
      ? `the access surface grows against ${options.base}`
      : `the access surface does not grow against ${options.base}`
    : 'no --base given';
  process.stdout.write(`Review of ${head.length} app registration(s) written to ${out} and ${json}; ${verdict}.\n`);
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
  },
  run: (values, cwd) =>
    review(
      {
        synth: values.synth as string,
        base: values.base as string | undefined,
        plans: values.plan as string[],
        out: values.out as string | undefined,
        json: values.json as string | undefined,
      },
      cwd,
    ),
};
