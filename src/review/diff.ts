import type { Consent, ReviewChange, ReviewedIntegration, ReviewedPermission, ReviewedValue } from './types';

const CONSENT_WIDTH: Record<Consent, number> = { none: 0, 'one user': 1, 'tenant-wide': 2 };

const shown = (v: ReviewedValue | undefined): string => (v === undefined ? 'none' : (v.resolved ?? v.raw));
const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

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
  return `${code(p.name)} (${parts.join(', ')}${p.justification !== undefined ? `; justification: ${p.justification}` : ''})`;
}

// A permission is told apart by API, type and ID; a consented-only scope the catalog does not know has no ID.
const permissionKey = (api: string, p: ReviewedPermission) => `${api}\0${p.type}\0${p.id || p.name}`;

function addedRank(p: ReviewedPermission): number {
  if (p.access !== 'read') return 0; // write, or unknown: assume the worst
  return p.adminConsentRequired ? 1 : 4;
}

const compareKeys = (x: readonly string[], y: readonly string[]): number =>
  x.reduce((d, key, i) => d || key.localeCompare(y[i]), 0);

/** Every change from base to head, most risky first, then by integration, API and name. */
export function diffIntegrations(
  base: readonly ReviewedIntegration[],
  head: readonly ReviewedIntegration[],
): ReviewChange[] {
  const changes: ReviewChange[] = [];
  const before = new Map(base.map((i) => [i.key, i]));
  const after = new Map(head.map((i) => [i.key, i]));

  for (const h of head) {
    const b = before.get(h.key);
    if (!b) {
      const permissions = h.apis.flatMap((a) => a.permissions);
      const writes = permissions.filter((p) => p.access !== 'read').length;
      changes.push({
        kind: 'integration-added',
        grows: true,
        rank: 3,
        integration: h.key,
        summary: `New integration ${code(h.key)} (${shown(h.displayName)}): ${permissions.length} permissions on ${h.apis.map((a) => a.name).join(', ') || 'no API'}, ${writes} write or unknown, ${permissions.filter((p) => p.adminConsentRequired).length} needing admin consent, ${permissions.filter((p) => p.consent === 'tenant-wide').length} consented tenant-wide`,
      });
      continue;
    }
    changes.push(...diffIntegration(b, h));
  }
  for (const b of base) {
    if (!after.has(b.key)) {
      changes.push({
        kind: 'integration-removed',
        grows: false,
        rank: 6,
        integration: b.key,
        summary: `Integration ${code(b.key)} (${shown(b.displayName)}) removed`,
      });
    }
  }
  // Compared key by key: localeCompare ignores control characters, so one string joined with \0 would
  // compare as the keys run together (an app's own change after its API's when the API's name sorts first).
  const order = (c: ReviewChange) => [c.integration, c.api ?? '', c.permission?.name ?? '', c.kind];
  return changes.sort((x, y) => x.rank - y.rank || compareKeys(order(x), order(y)));
}

function diffIntegration(b: ReviewedIntegration, h: ReviewedIntegration): ReviewChange[] {
  const changes: ReviewChange[] = [];
  const where = (api: string) => `${code(h.key)} on ${api}`;
  const perms = (i: ReviewedIntegration) =>
    new Map(i.apis.flatMap((a) => a.permissions.map((p) => [permissionKey(a.name, p), { api: a.name, p }] as const)));
  const bp = perms(b);
  const hp = perms(h);
  for (const [key, { api, p }] of hp) {
    const old = bp.get(key)?.p;
    if (!old) {
      const rank = addedRank(p);
      changes.push({
        kind: 'permission-added',
        grows: true,
        rank,
        integration: h.key,
        api,
        permission: p,
        summary: `${rank === 0 ? '**New write or unreviewed permission**' : 'New permission'} for ${where(api)}: ${describePermission(p)}`,
      });
    } else if (CONSENT_WIDTH[p.consent] > CONSENT_WIDTH[old.consent]) {
      changes.push({
        kind: 'consent-granted',
        grows: true,
        rank: 2,
        integration: h.key,
        api,
        permission: p,
        before: old.consent,
        after: p.consent,
        summary: `Consent widened for ${where(api)}: ${code(p.name)} ${old.consent} → ${p.consent}`,
      });
    } else if (CONSENT_WIDTH[p.consent] < CONSENT_WIDTH[old.consent]) {
      changes.push({
        kind: 'consent-revoked',
        grows: false,
        rank: 6,
        integration: h.key,
        api,
        permission: p,
        before: old.consent,
        after: p.consent,
        summary: `Consent narrowed for ${where(api)}: ${code(p.name)} ${old.consent} → ${p.consent}`,
      });
    }
  }
  for (const [key, { api, p }] of bp) {
    if (!hp.has(key)) {
      changes.push({
        kind: 'permission-removed',
        grows: false,
        rank: 6,
        integration: h.key,
        api,
        permission: p,
        summary: `Permission removed from ${code(h.key)} on ${api}: ${code(p.name)}`,
      });
    }
  }

  const uris = (i: ReviewedIntegration) => i.redirectUris.map(shown);
  for (const uri of uris(h).filter((u) => !uris(b).includes(u))) {
    changes.push({
      kind: 'redirect-uri-added',
      grows: true,
      rank: 4,
      integration: h.key,
      after: uri,
      summary: `New redirect URI for ${code(h.key)}: ${code(uri)} — authorization codes may be sent there`,
    });
  }
  for (const uri of uris(b).filter((u) => !uris(h).includes(u))) {
    changes.push({
      kind: 'redirect-uri-removed',
      grows: false,
      rank: 5,
      integration: h.key,
      before: uri,
      summary: `Redirect URI removed from ${code(h.key)}: ${code(uri)}`,
    });
  }
  if (b.signInAudience !== h.signInAudience) {
    // Anything but the single-tenant audience lets accounts of other directories sign in.
    const grows = b.signInAudience === 'AzureADMyOrg';
    changes.push({
      kind: 'sign-in-audience-changed',
      grows,
      rank: grows ? 2 : 5,
      integration: h.key,
      before: b.signInAudience,
      after: h.signInAudience,
      summary: `Sign-in audience of ${code(h.key)}: ${b.signInAudience} → ${h.signInAudience}`,
    });
  }
  const field = (
    kind: 'nango-provider-changed' | 'nango-unique-key-changed',
    label: string,
    get: (i: ReviewedIntegration) => ReviewedValue | undefined,
  ) => {
    const [x, y] = [shown(get(b)), shown(get(h))];
    if (x !== y)
      changes.push({
        kind,
        grows: false,
        rank: 5,
        integration: h.key,
        before: x,
        after: y,
        summary: `${label} of ${code(h.key)}: ${code(x)} → ${code(y)}`,
      });
  };
  field('nango-provider-changed', 'Nango provider', (i) => i.nango?.provider);
  field('nango-unique-key-changed', 'Nango unique key', (i) => i.nango?.uniqueKey);
  const fields = (i: ReviewedIntegration) => i.nango?.fields ?? {};
  for (const name of [...new Set([...Object.keys(fields(b)), ...Object.keys(fields(h))])].sort()) {
    const [x, y] = [shown(fields(b)[name]), shown(fields(h)[name])];
    if (x !== y)
      changes.push({
        kind: 'nango-fields-changed',
        grows: false,
        rank: 5,
        integration: h.key,
        before: x,
        after: y,
        summary: `Nango field ${code(name)} of ${code(h.key)}: ${code(x)} → ${code(y)}`,
      });
  }
  const lifetime = (i: ReviewedIntegration) =>
    i.secrets.map((s) => (s.lifetimeHours !== null ? `${s.lifetimeHours}h` : shown(s.endDate))).join(', ') ||
    'no secret';
  if (lifetime(b) !== lifetime(h)) {
    changes.push({
      kind: 'secret-lifetime-changed',
      grows: false,
      rank: 5,
      integration: h.key,
      before: lifetime(b),
      after: lifetime(h),
      summary: `Client secret lifetime of ${code(h.key)}: ${lifetime(b)} → ${lifetime(h)} (applies to the next secret: the end date is fixed at creation)`,
    });
  }
  return changes;
}
