import { code, text } from './escape';
import type { Consent, ReviewChange, ReviewedIntegration, ReviewedPermission, ReviewedValue } from './types';

const CONSENT_WIDTH: Record<Consent, number> = { none: 0, 'one user': 1, 'tenant-wide': 2 };

// Reviewed first: a change of where secrets or authorization codes go, or a new write or unknown permission.
const HIGH_RISK_RANK = 0;

const shown = (v: ReviewedValue | undefined): string => (v === undefined ? 'none' : (v.resolved ?? v.raw));

/** The host of a URL, or the value itself when it is not one (an expression known only at plan). */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/** `host a → host b`, each host as a code span. */
const hosts = (before: readonly string[], after: readonly string[]): string =>
  `host ${before.map((u) => code(hostOf(u))).join(', ') || 'none'} → ${after.map((u) => code(hostOf(u))).join(', ') || 'none'}`;

/** How a permission reads in one line: name, read/write, admin consent, granted consent, justification. */
function describePermission(p: ReviewedPermission): string {
  // What only the operator's addPermissions entry says, rather than the catalog, is marked as such.
  const declared = p.declared ? ' as declared' : '';
  const parts = [
    p.access === 'unknown'
      ? 'not in the catalog: review by hand'
      : `${p.access}${p.declared ? ' as declared in addPermissions' : ''}`,
  ];
  if (p.adminConsentRequired !== null)
    parts.push(`${p.adminConsentRequired ? 'admin consent required' : 'no admin consent required'}${declared}`);
  parts.push(
    p.consent === 'none'
      ? 'not consented'
      : `consented ${p.consent === 'tenant-wide' ? 'tenant-wide' : 'for one user'}`,
  );
  if (!p.requested) parts.push('granted without being requested');
  const justification = p.justification !== undefined ? `; justification: ${text(p.justification)}` : '';
  return `${code(p.name)} (${parts.join(', ')}${justification})`;
}

// A permission is told apart by API, type and ID; a consented-only scope the catalog does not know has no ID.
const permissionKey = (api: string, p: ReviewedPermission) => `${api}\0${p.type}\0${p.id || p.name}`;

function addedRank(p: ReviewedPermission): number {
  if (p.access !== 'read') return HIGH_RISK_RANK; // write, or unknown: assume the worst
  return p.adminConsentRequired ? 1 : 4;
}

const compareKeys = (x: readonly string[], y: readonly string[]): number =>
  x.reduce((d, key, i) => d || key.localeCompare(y[i]), 0);

function addedIntegration(h: ReviewedIntegration): ReviewChange {
  const permissions = h.apis.flatMap((a) => a.permissions);
  const writes = permissions.filter((p) => p.access !== 'read').length;
  const apis = h.apis.map((a) => text(a.name)).join(', ') || 'no API';
  return {
    kind: 'integration-added',
    grows: true,
    rank: 3,
    integration: h.key,
    summary: `New integration ${code(h.key)} (${text(shown(h.displayName))}): ${permissions.length} permissions on ${apis}, ${writes} write or unknown, ${permissions.filter((p) => p.adminConsentRequired).length} needing admin consent, ${permissions.filter((p) => p.consent === 'tenant-wide').length} consented tenant-wide`,
  };
}

/** Every change from base to head, most risky first, then by integration, API and name. */
export function diffIntegrations(
  base: readonly ReviewedIntegration[],
  head: readonly ReviewedIntegration[],
): ReviewChange[] {
  const before = new Map(base.map((i) => [i.key, i]));
  const after = new Map(head.map((i) => [i.key, i]));
  const changes = head.flatMap((h) => {
    const b = before.get(h.key);
    return b ? diffIntegration(b, h) : [addedIntegration(h)];
  });
  for (const b of base.filter((i) => !after.has(i.key))) {
    changes.push({
      kind: 'integration-removed',
      grows: false,
      rank: 6,
      integration: b.key,
      summary: `Integration ${code(b.key)} (${text(shown(b.displayName))}) removed`,
    });
  }
  // Compared key by key: localeCompare ignores control characters, so one string joined with \0 would
  // compare as the keys run together (an app's own change after its API's when the API's name sorts first).
  const order = (c: ReviewChange) => [c.integration, c.api ?? '', c.permission?.name ?? '', c.kind];
  return changes.sort((x, y) => x.rank - y.rank || compareKeys(order(x), order(y)));
}

function diffIntegration(b: ReviewedIntegration, h: ReviewedIntegration): ReviewChange[] {
  return [
    ...permissionChanges(b, h),
    ...redirectChanges(b, h),
    ...audienceChanges(b, h),
    ...nangoChanges(b, h),
    ...lifetimeChanges(b, h),
  ];
}

function permissionChanges(b: ReviewedIntegration, h: ReviewedIntegration): ReviewChange[] {
  const changes: ReviewChange[] = [];
  const where = (api: string) => `${code(h.key)} on ${text(api)}`;
  const perms = (i: ReviewedIntegration) =>
    new Map(i.apis.flatMap((a) => a.permissions.map((p) => [permissionKey(a.name, p), { api: a.name, p }] as const)));
  const [bp, hp] = [perms(b), perms(h)];
  for (const [key, { api, p }] of hp) {
    const old = bp.get(key)?.p;
    const common = { integration: h.key, api, permission: p };
    if (!old) {
      const rank = addedRank(p);
      const title = rank === HIGH_RISK_RANK ? '**New write or unreviewed permission**' : 'New permission';
      changes.push({
        kind: 'permission-added',
        grows: true,
        rank,
        ...common,
        summary: `${title} for ${where(api)}: ${describePermission(p)}`,
      });
    } else if (CONSENT_WIDTH[p.consent] !== CONSENT_WIDTH[old.consent]) {
      const widened = CONSENT_WIDTH[p.consent] > CONSENT_WIDTH[old.consent];
      changes.push({
        kind: widened ? 'consent-granted' : 'consent-revoked',
        grows: widened,
        rank: widened ? 2 : 6,
        ...common,
        before: old.consent,
        after: p.consent,
        summary: `Consent ${widened ? 'widened' : 'narrowed'} for ${where(api)}: ${code(p.name)} ${old.consent} → ${p.consent}`,
      });
    }
  }
  for (const [key, { api, p }] of bp) {
    if (hp.has(key)) continue;
    changes.push({
      kind: 'permission-removed',
      grows: false,
      rank: 6,
      integration: h.key,
      api,
      permission: p,
      summary: `Permission removed from ${where(api)}: ${code(p.name)}`,
    });
  }
  return changes;
}

/**
 * Redirect URIs are where Entra sends authorization codes (the Nango callback): moving one is a
 * high-risk change named with both hosts, a new one is high risk too, a removed one is not growth.
 */
function redirectChanges(b: ReviewedIntegration, h: ReviewedIntegration): ReviewChange[] {
  const [was, is] = [b.redirectUris.map(shown), h.redirectUris.map(shown)];
  const added = is.filter((u) => !was.includes(u));
  const removed = was.filter((u) => !is.includes(u));
  const list = (uris: readonly string[]) => uris.map(code).join(', ');
  if (added.length > 0 && removed.length > 0)
    return [
      {
        kind: 'callback-url-changed',
        grows: true,
        highRisk: true,
        rank: HIGH_RISK_RANK,
        integration: h.key,
        before: removed.join(', '),
        after: added.join(', '),
        summary: `**High risk: callback URL of ${code(h.key)} moves**, ${hosts(removed, added)}: ${list(removed)} → ${list(added)} — authorization codes go to the new URL`,
      },
    ];
  return [
    ...added.map(
      (uri): ReviewChange => ({
        kind: 'redirect-uri-added',
        grows: true,
        highRisk: true,
        rank: HIGH_RISK_RANK,
        integration: h.key,
        after: uri,
        summary: `**High risk: new redirect URI** for ${code(h.key)}, host ${code(hostOf(uri))}: ${code(uri)} — authorization codes may be sent there`,
      }),
    ),
    ...removed.map(
      (uri): ReviewChange => ({
        kind: 'redirect-uri-removed',
        grows: false,
        rank: 5,
        integration: h.key,
        before: uri,
        summary: `Redirect URI removed from ${code(h.key)}: ${code(uri)}`,
      }),
    ),
  ];
}

function audienceChanges(b: ReviewedIntegration, h: ReviewedIntegration): ReviewChange[] {
  if (b.signInAudience === h.signInAudience) return [];
  // Anything but the single-tenant audience lets accounts of other directories sign in.
  const grows = b.signInAudience === 'AzureADMyOrg';
  return [
    {
      kind: 'sign-in-audience-changed',
      grows,
      rank: grows ? 2 : 5,
      integration: h.key,
      before: b.signInAudience,
      after: h.signInAudience,
      summary: `Sign-in audience of ${code(h.key)}: ${text(b.signInAudience)} → ${text(h.signInAudience)}`,
    },
  ];
}

function nangoChanges(b: ReviewedIntegration, h: ReviewedIntegration): ReviewChange[] {
  const changes: ReviewChange[] = [];
  const [x, y] = [b.nango?.serverUrl, h.nango?.serverUrl];
  // The server URL receives the Nango secret key and the client secret at apply.
  if (x !== undefined && y !== undefined && shown(x) !== shown(y))
    changes.push({
      kind: 'nango-server-url-changed',
      grows: true,
      highRisk: true,
      rank: HIGH_RISK_RANK,
      integration: h.key,
      before: shown(x),
      after: shown(y),
      summary: `**High risk: Nango server URL of ${code(h.key)} moves**, ${hosts([shown(x)], [shown(y)])}: ${code(shown(x))} → ${code(shown(y))} — the Nango secret key and the client secret are sent there at apply`,
    });
  const field = (
    kind: 'nango-provider-changed' | 'nango-unique-key-changed' | 'nango-fields-changed',
    label: string,
    get: (i: ReviewedIntegration) => ReviewedValue | undefined,
  ) => {
    const [before, after] = [shown(get(b)), shown(get(h))];
    if (before !== after)
      changes.push({
        kind,
        grows: false,
        rank: 5,
        integration: h.key,
        before,
        after,
        summary: `${label} of ${code(h.key)}: ${code(before)} → ${code(after)}`,
      });
  };
  field('nango-provider-changed', 'Nango provider', (i) => i.nango?.provider);
  field('nango-unique-key-changed', 'Nango unique key', (i) => i.nango?.uniqueKey);
  const fields = (i: ReviewedIntegration) => i.nango?.fields ?? {};
  for (const name of [...new Set([...Object.keys(fields(b)), ...Object.keys(fields(h))])].sort())
    field('nango-fields-changed', `Nango field ${code(name)}`, (i) => fields(i)[name]);
  return changes;
}

function lifetimeChanges(b: ReviewedIntegration, h: ReviewedIntegration): ReviewChange[] {
  const lifetime = (i: ReviewedIntegration) =>
    i.secrets.map((s) => (s.lifetimeHours !== null ? `${s.lifetimeHours}h` : shown(s.endDate))).join(', ') ||
    'no secret';
  if (lifetime(b) === lifetime(h)) return [];
  return [
    {
      kind: 'secret-lifetime-changed',
      grows: false,
      rank: 5,
      integration: h.key,
      before: lifetime(b),
      after: lifetime(h),
      summary: `Client secret lifetime of ${code(h.key)}: ${text(lifetime(b))} → ${text(lifetime(h))} (applies to the next secret: the end date is fixed at creation)`,
    },
  ];
}
