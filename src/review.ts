import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { catalog as packageCatalog, type Catalog } from './catalog';
import { reviewInputNotFound, reviewInputUnreadable } from './errors';
import { diffIntegrations } from './private/review-diff';
import { MARKER, renderMarkdown } from './private/review-markdown';
import { summarizePlanJson } from './private/review-plan';
import { apiLookups, reviewStack } from './private/review-synth';

/** One stack's synthesized Terraform JSON (`cdk.tf.json`), by stack name. */
export interface SynthesizedStack {
  readonly name: string;
  readonly config: Record<string, any>;
}

/** How a permission is consented: tenant-wide (admin consent for all users), for one user, or not at all. */
export type Consent = 'tenant-wide' | 'one user' | 'none';

/** A synthesized value: the text as written, and its value with the variables' defaults when that can be worked out. */
export interface ReviewedValue {
  readonly raw: string;
  /** Set only when it differs from `raw`; never uses a sensitive variable. */
  readonly resolved?: string;
}

/** One entry of an app's `required_resource_access`, or a scope only a consent grant names. */
export interface ReviewedPermission {
  /** Scope (or app role) ID; empty for a consented scope the catalog does not know. */
  readonly id: string;
  /** Scope name from the catalog, or `unknown permission <id>`. */
  readonly name: string;
  /** Whether the catalog knows this delegated scope. */
  readonly known: boolean;
  /** `Scope` (delegated) or `Role` (application permission). */
  readonly type: string;
  readonly access: 'read' | 'write' | 'unknown';
  /** The catalog's "admin consent required"; null when unknown. */
  readonly adminConsentRequired: boolean | null;
  /** False when only a consent grant names it (it is not in `required_resource_access`). */
  readonly requested: boolean;
  readonly consent: Consent;
}

/** The permissions an app holds on one Microsoft API. */
export interface ReviewedApi {
  /** Catalog name, or `unknown API <resource app id>`. */
  readonly name: string;
  readonly resourceAppId: string;
  readonly known: boolean;
  /** The widest consent grant the app has on this API. */
  readonly consent: Consent;
  readonly permissions: readonly ReviewedPermission[];
}

/** A permission the app requests beyond, or leaves out of, its integration's list in Kindo's guide. */
export interface GuideDeviation {
  readonly change: 'added' | 'removed';
  readonly api: string;
  readonly permission: string;
  /** The operator's reason for an addition, as the synth recorded it; null when none was recorded. */
  readonly justification?: string | null;
}

/** One app registration of a synthesized stack and what is linked to it. */
export interface ReviewedIntegration {
  /** `<stack>/<integration id>`: how base and head are matched in a diff. */
  readonly key: string;
  readonly stack: string;
  readonly integrationId: string;
  /** Where the integration id came from: the app's notes, its construct path, or (last resort) its resource name. */
  readonly identifiedBy: 'notes' | 'construct path' | 'resource name';
  /** Terraform address of the app registration. */
  readonly address: string;
  /** Terraform addresses of the app and everything linked to it (service principal, secrets, grants, Nango registration). */
  readonly addresses: readonly string[];
  readonly constructPath?: string;
  readonly displayName: ReviewedValue;
  readonly signInAudience: string;
  readonly redirectUris: readonly ReviewedValue[];
  readonly nango?: { readonly provider: ReviewedValue; readonly uniqueKey: ReviewedValue; readonly scopes: ReviewedValue };
  /** Client secrets; `lifetimeHours` is set when the end date is `timeadd(timestamp(), "<hours>h")`. */
  readonly secrets: readonly { readonly lifetimeHours: number | null; readonly endDate: ReviewedValue }[];
  readonly apis: readonly ReviewedApi[];
  /** Differences from the integration's list in Kindo's guide; empty for an app the catalog does not know. */
  readonly deviations: readonly GuideDeviation[];
}

/** What changed between a base and a head synth. */
export type ReviewChangeKind =
  | 'permission-added'
  | 'permission-removed'
  | 'consent-granted'
  | 'consent-revoked'
  | 'integration-added'
  | 'integration-removed'
  | 'redirect-uri-added'
  | 'redirect-uri-removed'
  | 'sign-in-audience-changed'
  | 'nango-provider-changed'
  | 'nango-unique-key-changed'
  | 'secret-lifetime-changed';

/** One change, in reviewer terms. */
export interface ReviewChange {
  readonly kind: ReviewChangeKind;
  /** Whether the change widens what the apps may access or where tokens go. */
  readonly grows: boolean;
  /** 0 is reviewed first: new write, unknown or application permissions; removals come last. */
  readonly rank: number;
  readonly integration: string;
  readonly api?: string;
  readonly permission?: ReviewedPermission;
  readonly before?: string;
  readonly after?: string;
  /** One line for the reviewer, in Markdown. */
  readonly summary: string;
}

/** The changes from base to head, most risky first. */
export interface ReviewDiff {
  readonly base: string;
  readonly grew: boolean;
  readonly changes: readonly ReviewChange[];
}

/** A Terraform plan action in reviewer terms. */
export type PlannedActionKind = 'create' | 'update' | 'replace' | 'delete';

/** One attribute a planned update or replacement changes; values are left out whenever they could be secret. */
export interface PlannedAttributeChange {
  readonly path: string;
  readonly before?: string;
  readonly after?: string;
  readonly added?: readonly string[];
  readonly removed?: readonly string[];
  /** Why values are not shown: `sensitive`, `hidden` (named like a secret), `known after apply`, or `changed` (not a simple value). */
  readonly note?: 'sensitive' | 'hidden' | 'known after apply' | 'changed';
  /** Whether this attribute forces the replacement. */
  readonly forcesReplacement: boolean;
}

/** A planned action on an app registration, service principal, secret, consent grant or Nango registration. */
export interface PlannedAction {
  readonly address: string;
  readonly what: string;
  readonly label: string;
  readonly action: PlannedActionKind;
  readonly attributes: readonly PlannedAttributeChange[];
}

/** The reviewer-relevant part of one `terraform show -json` plan. */
export interface PlanSummary {
  readonly label: string;
  readonly actions: readonly PlannedAction[];
}

/** Everything the report shows; also written as JSON. */
export interface ReviewReport {
  readonly source: string;
  readonly stacks: readonly string[];
  readonly integrations: readonly ReviewedIntegration[];
  readonly risks: ReviewRisks;
  readonly diff?: ReviewDiff;
  readonly plans: readonly PlanSummary[];
}

/** A permission named in the risk section. */
export interface RiskEntry {
  readonly integration: string;
  readonly api: string;
  readonly permission: string;
}

/** The risk section. */
export interface ReviewRisks {
  readonly writeScopes: readonly RiskEntry[];
  readonly adminConsentScopes: readonly RiskEntry[];
  readonly tenantWideGrants: readonly { readonly integration: string; readonly api: string; readonly scopes: readonly string[] }[];
  /** Permissions the catalog does not know (including application permissions); reviewed by hand. */
  readonly unknownPermissions: readonly RiskEntry[];
  /** Every difference from Kindo's guide, per integration. */
  readonly guideDeviations: readonly (GuideDeviation & { readonly integration: string })[];
}

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

/**
 * Reads the synthesized stacks of a cdktf output directory (`manifest.json` lists them), or of one
 * stack directory holding `cdk.tf.json`.
 */
export function loadSynthesizedStacks(dir: string): SynthesizedStack[] {
  const read = (file: string): Record<string, any> => {
    try {
      return JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw reviewInputUnreadable(file, (e as Error).message);
    }
  };
  const manifest = join(dir, 'manifest.json');
  if (existsSync(manifest)) {
    const stacks = Object.values<{ name: string; synthesizedStackPath: string }>(read(manifest).stacks ?? {});
    return stacks.map((s) => ({ name: s.name, config: read(join(dir, s.synthesizedStackPath)) }));
  }
  const single = join(dir, 'cdk.tf.json');
  if (existsSync(single)) return [{ name: read(single)['//']?.metadata?.stackName ?? resolve(dir).split(/[\\/]/).at(-1)!, config: read(single) }];
  throw reviewInputNotFound(dir, existsSync(dir) && statSync(dir).isDirectory());
}

/**
 * Lists every app registration of the stacks with its permissions (GUIDs named through the
 * catalog), consent grants, redirect URIs, client secrets and Nango registration.
 *
 * @param catalog names the permission GUIDs; the package's own catalog when omitted.
 */
export function reviewStacks(stacks: readonly SynthesizedStack[], catalog: Catalog = packageCatalog()): ReviewedIntegration[] {
  return stacks.flatMap((s) => reviewStack(s, catalog));
}

/** The changes from `base` to `head`, ordered by risk (see {@link ReviewChange.rank}). */
export function diffReviews(base: readonly ReviewedIntegration[], head: readonly ReviewedIntegration[], baseLabel: string): ReviewDiff {
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
  return summarizePlanJson(plan, label, integrations, apiLookups(catalog));
}

/** The risk section's entries. */
export function reviewRisks(integrations: readonly ReviewedIntegration[]): ReviewRisks {
  const list = (keep: (p: ReviewedPermission) => boolean): RiskEntry[] =>
    integrations.flatMap((i) => i.apis.flatMap((api) => api.permissions.filter(keep).map((p) => ({ integration: i.key, api: api.name, permission: p.name }))));
  return {
    writeScopes: list((p) => p.access === 'write'),
    adminConsentScopes: list((p) => p.adminConsentRequired === true),
    tenantWideGrants: integrations.flatMap((i) =>
      i.apis
        .filter((api) => api.consent === 'tenant-wide')
        .map((api) => ({ integration: i.key, api: api.name, scopes: api.permissions.filter((p) => p.consent === 'tenant-wide').map((p) => p.name) })),
    ),
    unknownPermissions: list((p) => !p.known),
    guideDeviations: integrations.flatMap((i) => i.deviations.map((d) => ({ ...d, integration: i.key }))),
  };
}

/** Assembles the report's data. */
export function buildReviewReport(
  source: string,
  stacks: readonly SynthesizedStack[],
  integrations: readonly ReviewedIntegration[],
  options: { readonly diff?: ReviewDiff; readonly plans?: readonly PlanSummary[] } = {},
): ReviewReport {
  return { source, stacks: stacks.map((s) => s.name), integrations, risks: reviewRisks(integrations), diff: options.diff, plans: options.plans ?? [] };
}

/** The report as Markdown, starting with {@link REVIEW_MARKER}. */
export function renderReviewMarkdown(report: ReviewReport): string {
  return renderMarkdown(report);
}

/** The exit status for a report: {@link REVIEW_EXIT.GREW} when its diff widens the access surface. */
export function reviewExitCode(report: ReviewReport): number {
  return report.diff?.grew ? REVIEW_EXIT.GREW : REVIEW_EXIT.NO_GROWTH;
}
