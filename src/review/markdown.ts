import { cell, code, html, text } from './escape';
import { renderAccessDiagram } from './mermaid';
import type {
  PlannedAttributeChange,
  PlannedRedirection,
  PlanSummary,
  ReviewDiff,
  ReviewedIntegration,
  ReviewedValue,
  ReviewReport,
  ReviewRisks,
  RiskEntry,
} from './types';

/** What removing a Kindo SaaS integration does, in a security reviewer's words. */
export const SAAS_REVOCATION =
  'Removing the integration from the stack, or destroying the stack, deletes this enterprise application — even one that existed before Terraform adopted it — which revokes every consent grant and user or group assignment it holds; the next person who connects recreates it with only what they consent to.';

/** One planned attribute change, without values Terraform marks sensitive or the review hides. */
function changeDetail(c: PlannedAttributeChange): string {
  if (c.note === 'hidden' || c.note === 'sensitive') return `(${c.note}, not shown)`;
  if (c.added !== undefined)
    return [...c.added.map((x) => `+${code(x)}`), ...c.removed!.map((x) => `−${code(x)}`)].join(' ');
  if (c.after !== undefined) return `${code(c.before ?? 'null')} → ${code(c.after)}`;
  return c.before !== undefined ? `${code(c.before)} → (${c.note})` : `(${c.note})`;
}

/** First line of every report (see `REVIEW_MARKER` in src/review.ts). */
export const MARKER = '<!-- kindo-microsoft-integrations:review -->';

// Everything below ends up in a pull request comment: every value from the synth or the plan goes
// through text(), code() or html() (src/review/escape.ts), and through cell() inside a table.

const AUDIENCE: Record<string, string> = {
  AzureADMyOrg: 'this directory only (single tenant)',
  AzureADMultipleOrgs: 'any Entra directory (multi-tenant)',
  AzureADandPersonalMicrosoftAccount: 'any Entra directory and personal Microsoft accounts',
  PersonalMicrosoftAccount: 'personal Microsoft accounts only',
};

const shown = (v: ReviewedValue): string => v.resolved ?? v.raw;
const withSource = (v: ReviewedValue): string =>
  v.resolved === undefined ? code(v.raw) : `${code(v.resolved)} (${code(v.raw)} with the variables' defaults)`;

function lifetime(i: ReviewedIntegration): string {
  if (i.secrets.length === 0) return 'no client secret';
  return i.secrets
    .map((s) => {
      if (s.lifetimeHours === null) return `ends ${code(shown(s.endDate))}`;
      return s.lifetimeHours % 24 === 0 ? `${s.lifetimeHours / 24} days` : `${s.lifetimeHours} hours`;
    })
    .join(', ');
}

function grouped(entries: readonly RiskEntry[]): string[] {
  const groups = new Map<string, string[]>();
  for (const e of entries) {
    const key = `${code(e.integration)} on ${text(e.api)}`;
    groups.set(key, [...(groups.get(key) ?? []), code(e.permission)]);
  }
  return [...groups].map(([where, names]) => `- ${where}: ${names.join(', ')}`);
}

function planSection(plan: PlanSummary): string[] {
  const lines = [`## Planned actions: ${text(plan.label)}`, '', ...redirectionLines(plan.redirections)];
  if (plan.actions.length === 0)
    return [...lines, 'No app registration, secret, consent grant or Nango registration changes.', ''];
  const count = (a: string) => plan.actions.filter((x) => x.action === a).length;
  lines.push(
    `${count('create')} to create, ${count('update')} to update, ${count('replace')} to replace, ${count('delete')} to delete.`,
    '',
  );
  lines.push('| Action | What | Integration | Changes |', '|---|---|---|---|');
  for (const a of plan.actions) {
    const changes = a.attributes.map((c) => {
      return `${code(c.path)}: ${changeDetail(c)}${c.forcesReplacement ? ' (forces replacement)' : ''}`;
    });
    lines.push(
      `| **${a.action}** | ${cell(text(a.what))} | ${cell(code(a.label))}<br>${cell(code(a.address))} | ${cell(changes.join('<br>'))} |`,
    );
  }
  return [...lines, ''];
}

/** Who may connect, in one phrase. */
function whoMayConnect(i: ReviewedIntegration): string {
  const w = i.whoMayConnect;
  const groups = w.groupsExpression
    ? `the groups in ${withSource(w.groupsExpression)}`
    : w.groups.length > 0
      ? `groups ${w.groups.map(code).join(', ')}`
      : 'no group assigned by Terraform';
  if (w.assignmentRequired.raw === 'false')
    return `every user of the tenant (assignment not required)${w.groups.length > 0 || w.groupsExpression ? `; assigned: ${groups}` : ''}`;
  if (w.assignmentRequired.raw === 'true')
    return `only assigned users and members of assigned groups: ${groups}, and whoever an administrator assigns in Entra`;
  return `assignment required: ${withSource(w.assignmentRequired)}; assigned: ${groups}`;
}

const RISK = ['**replaced**', 'sign-in', 'permissions', 'audience', 'owners', 'low', 'none'];

/** Imported resources of one plan, riskiest first, and the hand-made secrets of adopted apps. */
function adoptedSection(plan: PlanSummary, integrations: readonly ReviewedIntegration[]): string[] {
  const lines = [`## Adopted: ${text(plan.label)}`, ''];
  const changing = plan.adopted.filter((a) => a.action !== 'no-op').length;
  lines.push(
    `${plan.adopted.length} resource(s) set up by hand are imported; the same apply changes ${changing} of them. A change ranked **replaced** gives the app a new client ID: every user reconnects.`,
    '',
  );
  lines.push('| Risk | What | Integration | Import ID | The first apply changes |', '|---|---|---|---|---|');
  for (const a of plan.adopted) {
    const changes =
      a.action === 'no-op'
        ? ['nothing: it already matches']
        : a.changes.map((c) => {
            return `${code(c.path)}: ${changeDetail(c)}: ${text(c.impact)}${c.forcesReplacement ? ' (forces replacement)' : ''}`;
          });
    const action = a.action === 'replace' || a.action === 'delete' ? `**${a.action}**: ` : '';
    lines.push(
      `| ${RISK[a.rank]} | ${cell(text(a.what))} | ${cell(code(a.label))}<br>${cell(code(a.address))} | ${cell(code(a.importId))} | ${action}${cell(changes.join('<br>'))} |`,
    );
  }
  lines.push('');
  const adopted = integrations.filter((i) => i.adoption);
  const taken = adopted.filter((i) => i.adoption!.servicePrincipalTakenOver);
  if (taken.length > 0) {
    lines.push(
      `Service principals taken over at apply rather than imported (\`use_existing\`; the plan shows a create): ${taken.map((i) => code(i.key)).join(', ')}.`,
      '',
    );
  }
  const secrets = adopted.flatMap((i) => i.adoption!.handMadeSecrets.map((s) => ({ i, s })));
  lines.push(
    'Each adopted app gets a new client secret, pushed to Nango before anything else on it changes. The hand-made secrets stay valid until you delete them (the guide: "remove old client secrets"); once Kindo\'s connections work, delete:',
    '',
  );
  if (secrets.length === 0)
    lines.push(
      '- none recorded: list them with `az ad app credential list --id <client id>`, or pass them as `existingClientSecrets`',
    );
  for (const { i, s } of secrets) {
    const app = i.adoption!.application?.clientId ?? i.adoption!.application?.objectId ?? '<client id>';
    const about = [
      s.description ? `${code(s.description)}` : undefined,
      s.expires ? `expires ${code(s.expires)}` : undefined,
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(
      `- ${code(i.key)}: key ID ${code(s.keyId)}${about ? ` (${about})` : ''}: ${code(`az ad app credential delete --id ${app} --key-id ${s.keyId}`)}`,
    );
  }
  return [...lines, ''];
}

function integrationSection(i: ReviewedIntegration): string[] {
  const permissions = i.apis.flatMap((a) => a.permissions);
  const head = `<details><summary><b>${html(shown(i.displayName))}</b> (<code>${html(i.key)}</code>): ${permissions.length} permissions, ${permissions.filter((p) => p.access !== 'read').length} write or unknown</summary>`;
  const lines =
    i.mode === 'saas'
      ? [
          head,
          '',
          `- Kindo SaaS: the enterprise application (service principal) of Kindo's app, client ID ${withSource(i.kindoClientId!)} (Kindo's, not an app of this tenant), Terraform address ${code(i.address)}; integration id ${code(i.integrationId)} from its ${i.identifiedBy}. If it already exists (someone connected before), Terraform adopts it.`,
          `- Revocation: ${SAAS_REVOCATION}`,
          `- Who may connect: ${whoMayConnect(i)}`,
          '',
        ]
      : [
          head,
          '',
          `- App registration: ${withSource(i.displayName)}, Terraform address ${code(i.address)}; integration id ${code(i.integrationId)} from the app's ${i.identifiedBy}`,
          `- Sign-in audience: ${code(i.signInAudience)}: ${AUDIENCE[i.signInAudience] ?? 'not a known audience'}`,
          `- Nango server URL: ${i.nango?.serverUrl ? withSource(i.nango.serverUrl) : 'none'}`,
          `- Redirect URI: ${i.redirectUris.length > 0 ? i.redirectUris.map(withSource).join(', ') : 'none'}`,
          `- Nango: ${i.nango ? `provider ${withSource(i.nango.provider)}, unique key ${withSource(i.nango.uniqueKey)}, scopes requested at sign-in ${withSource(i.nango.scopes)}` : 'not registered with Nango'}`,
          ...(i.nango
            ? [
                `- Nango fields: ${
                  Object.keys(i.nango.fields).length > 0
                    ? Object.entries(i.nango.fields)
                        .map(([name, v]) => `${code(name)} = ${withSource(v)}`)
                        .join(', ')
                    : 'none'
                }`,
              ]
            : []),
          `- Client secret lifetime: ${lifetime(i)}`,
          `- Who may connect: ${whoMayConnect(i)}`,
          '',
        ];
  for (const api of i.apis) {
    lines.push(`**${text(api.name)}** (${code(api.resourceAppId)}), consent: ${api.consent}`, '');
    lines.push('| Permission | Type | Access | Admin consent required | Consent |', '|---|---|---|---|---|');
    for (const p of api.permissions) {
      const declared = p.declared ? ' (declared)' : '';
      const admin = p.adminConsentRequired === null ? 'unknown' : p.adminConsentRequired ? '**yes**' : 'no';
      const type = p.type === 'Scope' ? 'delegated' : p.type === 'Role' ? '**application**' : cell(text(p.type));
      const directed = p.directedBy === 'troubleshooting' ? " (guide-directed: the guide's troubleshooting table)" : '';
      const notes = `${directed}${p.justification !== undefined ? ` (added: ${text(p.justification)})` : ''}${p.requested ? '' : ' (granted, not requested)'}`;
      lines.push(
        `| ${cell(`${code(p.name)}${notes}`)} | ${type} | ${p.access === 'write' ? '**write**' : p.access}${declared} | ${admin}${declared} | ${p.consent} |`,
      );
    }
    lines.push('');
  }
  return [...lines, '</details>', ''];
}

/** What the gate decides, first thing in the report: growth and its reasons, high-risk changes first. */
function verdictSection(report: ReviewReport): string[] {
  const { verdict } = report;
  if (!verdict.grows) {
    const against = report.diff ? `against ${code(report.diff.base)}` : 'without a base to compare with';
    return ['## Verdict', '', `The access surface does not grow ${against}.`, ''];
  }
  return [
    '## Verdict',
    '',
    `**The access surface grows** (exit status 3): ${verdict.reasons.length} change(s) widen what the apps may access or move where secrets and authorization codes go. A security reviewer approves them with the label \`access-surface-approved\`.`,
    '',
    ...verdict.reasons.map((r) => `- ⚠ ${r}`),
    '',
  ];
}

/** Planned moves of the Nango server URL or of redirect URIs, above the plan's table. */
function redirectionLines(redirections: readonly PlannedRedirection[]): string[] {
  if (redirections.length === 0) return [];
  const urls = (list: readonly string[]) => list.map(code).join(', ') || 'none';
  return [
    ...redirections.map((r) => {
      const why =
        r.what === 'Nango server URL'
          ? 'the Nango secret key and the client secret are sent to the new URL at apply'
          : 'authorization codes go to the new URIs';
      return `- ⚠ **High risk: ${r.what} of ${code(r.label)} change** (${r.action} of ${code(r.address)}): ${urls(r.before)} → ${urls(r.after)}; ${why}`;
    }),
    '',
  ];
}

function diffSection(diff: ReviewDiff): string[] {
  const lines = [`## Changes against ${code(diff.base)}`, ''];
  lines.push(
    diff.grew
      ? '**The access surface grows.** Changes that widen it are marked ⚠.'
      : 'The access surface does not grow.',
    '',
  );
  if (diff.changes.length === 0)
    lines.push('No changes to app registrations, permissions, consent, redirect URIs or Nango registrations.');
  // Summaries are Markdown whose values diff.ts escaped.
  diff.changes.forEach((c, n) => {
    lines.push(`${n + 1}. ${c.grows ? '⚠ ' : ''}${c.summary}`);
  });
  return [...lines, ''];
}

function summaryTable(integrations: readonly ReviewedIntegration[]): string[] {
  const lines = [
    '## Summary',
    '',
    '| Integration | App registration | Sign-in audience | Nango provider / unique key | Permissions | Write | Admin consent | Tenant-wide consent | Secret lifetime |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const i of integrations) {
    const ps = i.apis.flatMap((a) => a.permissions);
    const nango = i.nango ? `${code(shown(i.nango.provider))} / ${code(shown(i.nango.uniqueKey))}` : '—';
    const app = i.mode === 'saas' ? `Kindo's app ${text(shown(i.kindoClientId!))}` : text(shown(i.displayName));
    const audience = i.mode === 'saas' ? 'Kindo SaaS' : text(i.signInAudience);
    const count = (keep: (p: (typeof ps)[number]) => boolean) => ps.filter(keep).length;
    lines.push(
      `| ${cell(code(i.key))} | ${cell(app)} | ${cell(audience)} | ${cell(nango)} | ${ps.length} | ${count((p) => p.access === 'write')} | ${count((p) => p.adminConsentRequired === true)} | ${count((p) => p.consent === 'tenant-wide')} | ${cell(lifetime(i))} |`,
    );
  }
  return [...lines, ''];
}

function risksSection(risks: ReviewRisks): string[] {
  const lines = ['## Risks', ''];
  const section = (title: string, body: string[], none: string) =>
    lines.push(`### ${title}`, '', ...(body.length > 0 ? body : [none]), '');
  section(
    "Deviations from Kindo's guide",
    risks.guideDeviations.map((d) => {
      const justification = d.justification ? text(d.justification) : 'none recorded';
      return `- ${code(d.integration)} on ${text(d.api)}: ${d.change === 'added' ? '**added**' : 'removed'} ${code(d.permission)}${d.change === 'added' ? ` (justification: ${justification})` : ''}`;
    }),
    "None: every app requests exactly its integration's list in the guide.",
  );
  if (risks.guideDirected.length > 0) {
    section(
      'Guide-directed additions (not deviations)',
      [
        "Not rows of the integrations' permission tables, but asked for by the guide's troubleshooting table (offline_access wherever delegated refresh is required; Nango refreshes every delegated connection):",
        '',
        ...grouped(risks.guideDirected),
      ],
      '',
    );
  }
  if (risks.unknownPermissions.length > 0)
    section('Unknown permissions (not in the catalog: review by hand)', grouped(risks.unknownPermissions), '');
  section('Write scopes', grouped(risks.writeScopes), 'None.');
  section('Scopes that need admin consent', grouped(risks.adminConsentScopes), 'None.');
  section(
    'Tenant-wide consent grants (admin consent for all users)',
    risks.tenantWideGrants.map(
      (g) => `- ${code(g.integration)} on ${text(g.api)}: ${g.scopes.length} scopes (${g.scopes.map(code).join(', ')})`,
    ),
    'None.',
  );
  return lines;
}

/** The whole report. */
export function renderMarkdown(report: ReviewReport): string {
  const { integrations, diff } = report;
  const lines = [
    MARKER,
    '# Entra ID app review',
    '',
    `Read from ${code(report.source)}: ${report.stacks.length} stack(s) (${report.stacks.map(code).join(', ')}), ${integrations.length} app registration(s). Permission names come from the package's catalog; anything it does not know is listed as unknown.`,
    '',
    ...verdictSection(report),
    ...renderAccessDiagram(integrations, diff),
    ...(diff ? diffSection(diff) : []),
  ];
  for (const plan of report.plans) {
    if (plan.adopted.length > 0) lines.push(...adoptedSection(plan, integrations));
    lines.push(...planSection(plan));
  }
  lines.push(...summaryTable(integrations), ...risksSection(report.risks), '## Integrations', '');
  for (const i of integrations) lines.push(...integrationSection(i));
  return `${lines.join('\n').trimEnd()}\n`;
}
