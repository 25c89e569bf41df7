import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { catalog as packageCatalog, type Catalog } from '../catalog/catalog';
import { diffIntegrations, hostOf } from './diff';
import { code } from './escape';
import { MARKER, renderMarkdown } from './markdown';
import { summarizePlanJson } from './plan';
import { apiLookups, reviewStack } from './synth';
import type {
  PlannedRedirection,
  PlanSummary,
  ReviewDiff,
  ReviewedIntegration,
  ReviewedPermission,
  ReviewReport,
  ReviewRisks,
  ReviewVerdict,
  RiskEntry,
  SynthesizedStack,
} from './types';
import { KindoConfigError, show } from '../core/errors';
import { parseJsonText } from '../core/json-text';
import { visible } from '../core/visible';

/** Exit statuses of the `review` command. */
export const REVIEW_EXIT = {
  /** Report written; no base given, or nothing widens the access surface. */
  NO_GROWTH: 0,
  /** Bad input: no synth output, an unreadable plan, a base that cannot be synthesized. */
  ERROR: 1,
  /** Wrong command line. */
  USAGE: 2,
  /** Report written; the head grants more than the base (see `ReviewChange.grows`). */
  GREW: 3,
} as const;

/** First line of the Markdown report; CI finds the pull request comment to update by it. */
export const REVIEW_MARKER = MARKER;

const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON object read from `file`; anything else is refused, naming the file. */
function readObject(file: string): Record<string, any> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw reviewInputUnreadable(file, visible((e as Error).message));
  }
  const read = parseJsonText(text);
  if (!read.ok) throw reviewInputUnreadable(file, read.problem);
  const parsed = read.value;
  if (!isObject(parsed)) throw reviewInputInvalid(file, 'it is not a JSON object');
  return parsed;
}

/** The stacks a cdktf `manifest.json` lists: each a name and a `cdk.tf.json` inside `dir`. */
function manifestStacks(dir: string, manifest: string): SynthesizedStack[] {
  const stacks: unknown = readObject(manifest).stacks;
  if (!isObject(stacks)) throw reviewInputInvalid(manifest, '`stacks` is not an object');
  return Object.values(stacks).map((s) => {
    if (!isObject(s) || typeof s.name !== 'string' || typeof s.synthesizedStackPath !== 'string')
      throw reviewInputInvalid(manifest, 'a stack has no `name` or `synthesizedStackPath`');
    const file = resolve(dir, s.synthesizedStackPath);
    // A manifest names files of its own output directory only.
    if (relative(resolve(dir), file).startsWith('..') || isAbsolute(relative(resolve(dir), file)))
      throw reviewInputInvalid(manifest, `${show(s.synthesizedStackPath)} is outside the directory`);
    return { name: s.name, config: readObject(file) };
  });
}

/**
 * Reads the synthesized stacks of a cdktf output directory (`manifest.json` lists them), or of one
 * stack directory holding `cdk.tf.json`.
 */
export function loadSynthesizedStacks(dir: string): SynthesizedStack[] {
  const manifest = join(dir, 'manifest.json');
  if (existsSync(manifest)) return manifestStacks(dir, manifest);
  const single = join(dir, 'cdk.tf.json');
  if (existsSync(single)) {
    const config = readObject(single);
    const name = config['//']?.metadata?.stackName;
    return [{ name: typeof name === 'string' ? name : resolve(dir).split(/[\\/]/).at(-1)!, config }];
  }
  throw reviewInputNotFound(dir, existsSync(dir) && statSync(dir).isDirectory());
}

/**
 * Lists every app registration of the stacks with its permissions (GUIDs named through the
 * catalog), consent grants, redirect URIs, client secrets and Nango registration.
 *
 * @param catalog names the permission GUIDs; the package's own catalog when omitted.
 */
export function reviewStacks(
  stacks: readonly SynthesizedStack[],
  catalog: Catalog = packageCatalog(),
): ReviewedIntegration[] {
  return stacks.flatMap((s) => {
    // Reading tolerates any JSON; what still fails is named by stack instead of ending in a stack trace.
    try {
      return reviewStack(s, catalog);
    } catch (e) {
      if (e instanceof KindoConfigError) throw e;
      throw reviewInputInvalid(`stack ${s.name}`, (e as Error).message);
    }
  });
}

/** The changes from `base` to `head`, ordered by risk (see {@link ReviewChange.rank}). */
export function diffReviews(
  base: readonly ReviewedIntegration[],
  head: readonly ReviewedIntegration[],
  baseLabel: string,
): ReviewDiff {
  const changes = diffIntegrations(base, head);
  return { base: baseLabel, grew: changes.some((c) => c.grows), changes };
}

/**
 * Summarizes a `terraform show -json` plan: the planned create/update/replace/delete of app
 * registrations, service principals, client secrets, consent grants and Nango registrations. No
 * value marked sensitive, and no value of an attribute named like a secret, key, value or password,
 * is ever part of the summary.
 *
 * @param integrations labels resources by integration when their addresses match the synth.
 * @param catalog names permission GUIDs in `required_resource_access` changes.
 */
export function summarizePlan(
  plan: unknown,
  label: string,
  integrations: readonly ReviewedIntegration[] = [],
  catalog: Catalog = packageCatalog(),
): PlanSummary {
  // The plan's shape is checked before it is read (plan-shape.ts): anything else thrown is a bug to see.
  return summarizePlanJson(plan, label, integrations, apiLookups(catalog));
}

/** The risk section's entries. */
export function reviewRisks(integrations: readonly ReviewedIntegration[]): ReviewRisks {
  const list = (keep: (p: ReviewedPermission) => boolean): RiskEntry[] =>
    integrations.flatMap((i) =>
      i.apis.flatMap((api) =>
        api.permissions.filter(keep).map((p) => ({ integration: i.key, api: api.name, permission: p.name })),
      ),
    );
  return {
    writeScopes: list((p) => p.access === 'write'),
    adminConsentScopes: list((p) => p.adminConsentRequired === true),
    tenantWideGrants: integrations.flatMap((i) =>
      i.apis
        .filter((api) => api.consent === 'tenant-wide')
        .map((api) => ({
          integration: i.key,
          api: api.name,
          scopes: api.permissions.filter((p) => p.consent === 'tenant-wide').map((p) => p.name),
        })),
    ),
    unknownPermissions: list((p) => !p.known && !p.declared),
    guideDeviations: integrations.flatMap((i) => i.deviations.map((d) => ({ ...d, integration: i.key }))),
    guideDirected: integrations.flatMap((i) =>
      i.apis.flatMap((api) =>
        api.permissions.flatMap((p) =>
          p.directedBy ? [{ integration: i.key, api: api.name, permission: p.name, directedBy: p.directedBy }] : [],
        ),
      ),
    ),
  };
}

/** Assembles the report's data. */
export function buildReviewReport(
  source: string,
  stacks: readonly SynthesizedStack[],
  integrations: readonly ReviewedIntegration[],
  options: { readonly diff?: ReviewDiff; readonly plans?: readonly PlanSummary[] } = {},
): ReviewReport {
  const plans = options.plans ?? [];
  return {
    source,
    stacks: stacks.map((s) => s.name),
    integrations,
    risks: reviewRisks(integrations),
    diff: options.diff,
    plans,
    verdict: reviewVerdict(options.diff, plans),
  };
}

/**
 * The gate's reading: the access surface grows when the diff against the base grows it, or when a
 * plan moves where secrets or authorization codes go (the Nango server URL, redirect URIs) — which a
 * plan shows against the applied state even where no base synth is given.
 */
export function reviewVerdict(diff: ReviewDiff | undefined, plans: readonly PlanSummary[]): ReviewVerdict {
  const fromDiff = (diff?.changes ?? []).filter((c) => c.grows);
  const fromPlans = plans.flatMap((p) =>
    p.redirections.map(
      (r) =>
        `**High risk: planned ${r.action} of the ${r.what} of ${code(r.label)}** (${code(r.address)}), ${hostChange(r)}`,
    ),
  );
  const reasons = [
    ...fromDiff.filter((c) => c.highRisk).map((c) => c.summary),
    ...fromPlans,
    ...fromDiff.filter((c) => !c.highRisk).map((c) => c.summary),
  ];
  return { grows: reasons.length > 0, reasons: [...new Set(reasons)] };
}

const hostChange = (r: PlannedRedirection): string => {
  const list = (urls: readonly string[]) => urls.map((u) => code(hostOf(u))).join(', ') || 'none';
  return `host ${list(r.before)} → ${list(r.after)}`;
};

/** The report as Markdown, starting with {@link REVIEW_MARKER}. */
export function renderReviewMarkdown(report: ReviewReport): string {
  return renderMarkdown(report);
}

/** The exit status for a report: {@link REVIEW_EXIT.GREW} when its verdict is that the access surface grows. */
export function reviewExitCode(report: ReviewReport): number {
  return report.verdict.grows ? REVIEW_EXIT.GREW : REVIEW_EXIT.NO_GROWTH;
}

/** The review command found no synthesized stack where it was pointed. */
export function reviewInputNotFound(dir: string, isDirectory: boolean): KindoConfigError {
  return new KindoConfigError(
    'REVIEW_INPUT_NOT_FOUND',
    `--synth ${show(dir)}: ${isDirectory ? 'neither manifest.json nor cdk.tf.json in it' : 'no such directory'}; expected a cdktf output directory (default ./cdktf.out) or one stack directory: synthesize first`,
    'docs/review.md#options',
  );
}

/** A synthesized file that is not JSON. */
export function reviewInputUnreadable(file: string, reason: string): KindoConfigError {
  return new KindoConfigError(
    'REVIEW_INPUT_UNREADABLE',
    `cannot read ${show(file)}: ${reason}; expected JSON written by a synth: synthesize again`,
  );
}

/** Synthesized JSON that is not shaped as a synth writes it. */
export function reviewInputInvalid(what: string, reason: string): KindoConfigError {
  return new KindoConfigError(
    'REVIEW_INPUT_INVALID',
    `${what.startsWith('stack ') ? what : show(what)} is not a synthesized cdktf stack: ${reason}; synthesize again`,
  );
}
