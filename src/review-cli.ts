import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { KindoConfigError, reviewPlanInvalid, reviewUsage } from './errors';
import { withSynthesizedRevision } from './private/review-git';
import {
  REVIEW_EXIT,
  buildReviewReport,
  diffReviews,
  loadSynthesizedStacks,
  renderReviewMarkdown,
  reviewExitCode,
  reviewStacks,
  summarizePlan,
  type ReviewedIntegration,
} from './review';

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
  --help           show this text

Exit status: 0 report written and the access surface does not grow (or no --base);
3 report written and the access surface grows; 1 bad input; 2 wrong command line.`;

interface Options {
  synth: string;
  base?: string;
  plans: string[];
  out?: string;
  json?: string;
}

function parse(argv: readonly string[]): Options | 'help' {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h') return 'help';
  if (command !== 'review') throw reviewUsage('unknown command', command ?? '', "the command 'review'");
  const options: Options = { synth: 'cdktf.out', plans: [] };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    if (flag === '--help' || flag === '-h') return 'help';
    const value = rest[i + 1];
    if (!['--synth', '--base', '--plan', '--out', '--json'].includes(flag)) throw reviewUsage('unknown option', flag, 'one of --synth, --base, --plan, --out, --json, --help');
    if (value === undefined || value.startsWith('--')) throw reviewUsage(`option ${flag} needs a value`, value ?? '', `${flag} followed by a path${flag === '--base' ? ' or git ref' : ''}`);
    i++;
    if (flag === '--plan') options.plans.push(value);
    else options[flag.slice(2) as 'synth' | 'base' | 'out' | 'json'] = value;
  }
  return options;
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
  const verdict = report.diff ? (code === REVIEW_EXIT.GREW ? `the access surface grows against ${options.base}` : `the access surface does not grow against ${options.base}`) : 'no --base given';
  process.stdout.write(`Review of ${head.length} app registration(s) written to ${out} and ${json}; ${verdict}.\n`);
  return code;
}

/**
 * Runs the command line; returns the exit status (see {@link REVIEW_EXIT}).
 * @param argv the arguments after the program name, e.g. `['review', '--base', 'origin/main']`.
 */
export function main(argv: readonly string[], cwd: string = process.cwd()): number {
  try {
    const options = parse(argv);
    if (options === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return REVIEW_EXIT.NO_GROWTH;
    }
    return review(options, cwd);
  } catch (e) {
    if (!(e instanceof KindoConfigError)) throw e;
    process.stderr.write(`${e.message}\n`);
    if (e.code !== 'REVIEW_USAGE') return REVIEW_EXIT.ERROR;
    process.stderr.write(`\n${USAGE}\n`);
    return REVIEW_EXIT.USAGE;
  }
}

// `npm run review` runs this file directly with tsx.
if (require.main === module) process.exitCode = main(['review', ...process.argv.slice(2)]);
