import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { catalog, type IntegrationId } from '../../src/catalog/catalog';
import { KindoMicrosoftIntegrations } from '../../src/constructs/kindo-microsoft-integrations';
import { KindoMicrosoftIntegrationsStack } from '../../src/constructs/kindo-microsoft-integrations-stack';
import { KindoSaasConsent, type KindoSaasConsentProps } from '../../src/constructs/kindo-saas-consent';
import {
  REVIEW_EXIT,
  REVIEW_MARKER,
  buildReviewReport,
  diffReviews,
  loadSynthesizedStacks,
  renderReviewMarkdown,
  reviewExitCode,
  reviewStacks,
  summarizePlan,
} from '../../src/review/review';
import type { SynthesizedStack } from '../../src/review/types';
import { cliError, main } from '../../src/cli/main';
import { captureOutput } from '../support/output';
import { expectKindoError } from '../support/errors';

type Tf = Record<string, any>;

const synth = (integrations?: IntegrationId[]): Tf =>
  JSON.parse(
    Testing.synth(new KindoMicrosoftIntegrationsStack(Testing.app(), 'test', integrations ? { integrations } : {})),
  );
const stacks = (config: Tf): SynthesizedStack[] => [{ name: 'test', config }];
const graph = (id: IntegrationId) => catalog()[id].apis[0];

/** The app registration of one integration in synthesized JSON, and its Graph consent grant. */
function appOf(tf: Tf, id: IntegrationId) {
  const [name, app] = Object.entries<Tf>(tf.resource.azuread_application).find(([, a]) =>
    a.notes.startsWith(`Kindo integration '${id}'`),
  )!;
  const sp = Object.entries<Tf>(tf.resource.azuread_service_principal).find(([, s]) =>
    s.client_id.includes(`azuread_application.${name}.`),
  )![0];
  const grant = Object.values<Tf>(tf.resource.azuread_service_principal_delegated_permission_grant).find(
    (g) =>
      g.service_principal_object_id.includes(`.${sp}.`) &&
      g.resource_service_principal_object_id.includes('KindoApiMicrosoftGraph'),
  )!;
  const graphAccess: Tf[] = app.required_resource_access.find(
    (r: Tf) => r.resource_app_id === graph(id).resourceAppId,
  ).resource_access;
  return { name, app, grant, graphAccess };
}

/** Edits a synthesized stack the way a changed catalog would: the app requests the scope and its admin consent grants it. */
function addGraphScope(tf: Tf, id: IntegrationId, scope: { id: string; name: string }) {
  const { grant, graphAccess } = appOf(tf, id);
  graphAccess.push({ id: scope.id, type: 'Scope' });
  grant.claim_values.push(scope.name);
}

function removeGraphScope(tf: Tf, id: IntegrationId, scope: { id: string; name: string }) {
  const { grant, graphAccess } = appOf(tf, id);
  graphAccess.splice(
    graphAccess.findIndex((a) => a.id === scope.id),
    1,
  );
  grant.claim_values.splice(grant.claim_values.indexOf(scope.name), 1);
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'kindo-review-'));
}

/** A directory holding stack `test` as `cdktf synth` writes it. */
function stackDir(root: string, name: string, tf: Tf): string {
  const dir = join(root, name, 'test');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(tf));
  return dir;
}

describe('review report of deviations from the guide', () => {
  test('shows each removed and added permission, with the justification the synth recorded', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const secretKey = new TerraformVariable(stack, 'nango_secret_key', { type: 'string', sensitive: true }).stringValue;
    new KindoMicrosoftIntegrations(stack, 'Kindo', {
      integrations: ['outlook', 'teams'],
      nango: { secretKey },
      removePermissions: { outlook: ['Mail.Send'] },
      addPermissions: {
        teams: [
          {
            api: 'Microsoft Graph',
            name: 'Mail.Read',
            id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca',
            justification: 'summaries of mail threads shared in chats',
          },
        ],
      },
    });
    // toTerraform() keeps the "//" metadata that `cdktf synth` writes and Testing.synth strips.
    const tf = stack.toTerraform();
    const report = buildReviewReport('cdktf.out', stacks(tf), reviewStacks(stacks(tf)));
    expect(report.risks.guideDeviations).toEqual([
      { integration: 'test/outlook', change: 'removed', api: 'Microsoft Graph', permission: 'Mail.Send' },
      {
        integration: 'test/teams',
        change: 'added',
        api: 'Microsoft Graph',
        permission: 'Mail.Read',
        justification: 'summaries of mail threads shared in chats',
      },
    ]);
    const markdown = renderReviewMarkdown(report);
    expect(markdown).toContain("### Deviations from Kindo's guide");
    expect(markdown).toContain('- `test/outlook` on Microsoft Graph: removed `Mail.Send`');
    expect(markdown).toContain(
      '- `test/teams` on Microsoft Graph: **added** `Mail.Read` (justification: summaries of mail threads shared in chats)',
    );
  });

  test("shows offline_access as guide-directed (the guide's troubleshooting table), not as a deviation, and granted tenant-wide", () => {
    const tf = synth(['outlook', 'teams']);
    const report = buildReviewReport('cdktf.out', stacks(tf), reviewStacks(stacks(tf)));
    expect(report.risks.guideDeviations).toEqual([]);
    // teams lists offline_access in its own table; outlook has it from the troubleshooting table.
    expect(report.risks.guideDirected).toEqual([
      {
        integration: 'test/outlook',
        api: 'Microsoft Graph',
        permission: 'offline_access',
        directedBy: 'troubleshooting',
      },
    ]);
    const outlook = report.integrations
      .find((i) => i.key === 'test/outlook')!
      .apis[0].permissions.find((p) => p.name === 'offline_access')!;
    expect(outlook).toMatchObject({ requested: true, consent: 'tenant-wide', directedBy: 'troubleshooting' });
    const markdown = renderReviewMarkdown(report);
    expect(markdown).toContain('### Guide-directed additions (not deviations)');
    expect(markdown).toContain('- `test/outlook` on Microsoft Graph: `offline_access`');
    expect(markdown).toContain(
      "| `offline_access` (guide-directed: the guide's troubleshooting table) | delegated | read | no | tenant-wide |",
    );
    expect(markdown).toContain("None: every app requests exactly its integration's list in the guide.");
  });

  test('says so when every app requests exactly its list', () => {
    const tf = synth(['teams']);
    expect(renderReviewMarkdown(buildReviewReport('cdktf.out', stacks(tf), reviewStacks(stacks(tf))))).toContain(
      "None: every app requests exactly its integration's list in the guide.",
    );
  });
});

describe('review report', () => {
  const tf = synth();
  const integrations = reviewStacks(stacks(tf));
  const report = buildReviewReport('cdktf.out', stacks(tf), integrations);
  const markdown = renderReviewMarkdown(report);

  test('lists every permission of the catalog for the default stack, with access, admin consent and consent', () => {
    for (const definition of Object.values(catalog())) {
      const reviewed = integrations.find((i) => i.key === `test/${definition.id}`)!;
      expect(reviewed.identifiedBy).toBe('notes');
      expect(reviewed.displayName.raw).toBe(`Kindo - ${definition.displayName}`);
      expect(reviewed.apis.map((a) => a.name)).toEqual(definition.apis.map((a) => a.name));
      for (const api of definition.apis) {
        const permissions = reviewed.apis.find((a) => a.name === api.name)!.permissions;
        expect(permissions.map((p) => [p.name, p.access, p.adminConsentRequired, p.known, p.requested])).toEqual(
          api.permissions.map((p) => [p.name, p.access, p.adminConsentRequired, true, true]),
        );
        // Fabric signs in with client credentials: no grant, so no consent.
        const consent = definition.authFlow === 'delegated' ? 'tenant-wide' : 'none';
        expect(
          permissions.every((p) => p.consent === consent),
          definition.id,
        ).toBe(true);
        for (const p of api.permissions)
          expect(markdown).toContain(
            `| \`${p.name}\` | delegated | ${p.access === 'write' ? '**write**' : 'read'} | ${p.adminConsentRequired ? '**yes**' : 'no'} | ${consent} |`,
          );
      }
    }
  });

  test('reports audience, redirect URI, Nango provider and unique key, and secret lifetime per integration', () => {
    const teams = integrations.find((i) => i.integrationId === 'teams')!;
    expect(teams.signInAudience).toBe('AzureADMyOrg');
    expect(teams.redirectUris.map((u) => u.resolved)).toEqual(['https://api.nango.dev/oauth/callback']);
    expect(teams.nango?.provider.raw).toBe('microsoft-tenant-specific');
    expect(teams.nango?.uniqueKey.raw).toBe('kindo-teams');
    expect(teams.secrets).toEqual([
      { lifetimeHours: 180 * 24, endDate: { raw: '${timeadd(plantimestamp(), "4320h")}' } },
    ]);
    const fabric = integrations.find((i) => i.integrationId === 'fabric')!;
    expect([fabric.redirectUris, fabric.nango]).toEqual([[], undefined]);
    expect(markdown.startsWith(`${REVIEW_MARKER}\n`)).toBe(true);
    expect(markdown).toContain(
      '| `test/teams` | Kindo - Microsoft Teams | AzureADMyOrg | `microsoft-tenant-specific` / `kindo-teams` |',
    );
  });

  test('lists write scopes, admin-consent scopes and tenant-wide grants in the risk section', () => {
    const all = Object.values(catalog()).flatMap((d) =>
      d.apis.flatMap((a) =>
        a.permissions.map((p) => ({ integration: `test/${d.id}`, api: a.name, permission: p.name, p })),
      ),
    );
    const entries = (keep: (p: (typeof all)[number]['p']) => boolean) =>
      all.filter((e) => keep(e.p)).map(({ integration, api, permission }) => ({ integration, api, permission }));
    const sort = (list: object[]) => list.map((e) => JSON.stringify(e)).sort();
    expect(sort([...report.risks.writeScopes])).toEqual(sort(entries((p) => p.access === 'write')));
    expect(sort([...report.risks.adminConsentScopes])).toEqual(sort(entries((p) => p.adminConsentRequired)));
    // One grant per API of each delegated integration.
    const delegatedApis = Object.values(catalog())
      .filter((d) => d.authFlow === 'delegated')
      .flatMap((d) => d.apis);
    expect(report.risks.tenantWideGrants).toHaveLength(delegatedApis.length);
    expect(report.risks.unknownPermissions).toEqual([]);
  });

  test('reports a GUID the catalog does not know as an unknown permission', () => {
    const edited = synth(['teams']);
    const guid = randomUUID();
    appOf(edited, 'teams').graphAccess.push({ id: guid, type: 'Scope' });
    const [teams] = reviewStacks(stacks(edited));
    expect(teams.apis[0].permissions.at(-1)).toEqual({
      id: guid,
      name: `unknown permission ${guid}`,
      known: false,
      type: 'Scope',
      access: 'unknown',
      adminConsentRequired: null,
      requested: true,
      consent: 'none',
    });
    const md = renderReviewMarkdown(buildReviewReport('x', stacks(edited), [teams]));
    expect(md).toContain('### Unknown permissions (not in the catalog: review by hand)');
    expect(md).toContain(`- \`test/teams\` on Microsoft Graph: \`unknown permission ${guid}\``);
  });
});

describe('review diff', () => {
  // Base: Outlook and SharePoint. Head: Outlook gains a write scope, SharePoint loses a scope, Teams is new.
  const outlookScopes = new Set(graph('outlook').permissions.map((p) => p.name));
  const addedWrite = graph('outlook-calendar').permissions.find(
    (p) => p.access === 'write' && !outlookScopes.has(p.name),
  )!;
  const removed = graph('sharepoint-online').permissions.find((p) => p.access === 'read' && p.name !== 'User.Read')!;
  const base = synth(['outlook', 'sharepoint-online']);
  const head = synth(['outlook', 'sharepoint-online', 'teams']);
  addGraphScope(head, 'outlook', addedWrite);
  removeGraphScope(head, 'sharepoint-online', removed);
  const diff = diffReviews(reviewStacks(stacks(base)), reviewStacks(stacks(head)), 'main');

  test('reports exactly the added write scope, the new integration and the removed scope, most risky first', () => {
    expect(diff.changes.map((c) => [c.kind, c.integration, c.api, c.permission?.name, c.grows])).toEqual([
      ['permission-added', 'test/outlook', 'Microsoft Graph', addedWrite.name, true],
      ['integration-added', 'test/teams', undefined, undefined, true],
      ['permission-removed', 'test/sharepoint-online', 'Microsoft Graph', removed.name, false],
    ]);
    expect(diff.grew).toBe(true);
    const md = renderReviewMarkdown(buildReviewReport('cdktf.out', stacks(head), reviewStacks(stacks(head)), { diff }));
    expect(md).toContain(
      `1. ⚠ **New write or unreviewed permission** for \`test/outlook\` on Microsoft Graph: \`${addedWrite.name}\` (write, ${addedWrite.adminConsentRequired ? 'admin consent required' : 'no admin consent required'}, consented tenant-wide)`,
    );
    expect(md).toContain('2. ⚠ New integration `test/teams` (Kindo - Microsoft Teams)');
    expect(md).toContain(
      `3. Permission removed from \`test/sharepoint-online\` on Microsoft Graph: \`${removed.name}\``,
    );
  });

  test('matches integrations by the app notes, so renamed constructs are not reported as changes', () => {
    const renamed = JSON.parse(JSON.stringify(base).replaceAll(appOf(base, 'outlook').name, 'Renamed_Outlook_App'));
    expect(diffReviews(reviewStacks(stacks(base)), reviewStacks(stacks(renamed)), 'main').changes).toEqual([]);
  });

  test('calls out consent widening, a new redirect URI and a changed Nango provider', () => {
    const edited = JSON.parse(JSON.stringify(base));
    const outlook = appOf(edited, 'outlook');
    outlook.app.web.redirect_uris.push('https://evil.example/oauth/callback');
    const sync = Object.values<Tf>(edited.resource.terraform_data).find(
      (d) => d.triggers_replace?.unique_key === 'kindo-outlook' && 'provider' in d.triggers_replace,
    )!;
    sync.triggers_replace.provider = 'microsoft';
    const changes = diffReviews(reviewStacks(stacks(base)), reviewStacks(stacks(edited)), 'main').changes;
    expect(changes.map((c) => [c.kind, c.grows])).toEqual([
      ['redirect-uri-added', true],
      ['nango-provider-changed', false],
    ]);
  });
});

describe('review report of Nango fields', () => {
  const build = (endpoint: string) => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const secretKey = new TerraformVariable(stack, 'nango_secret_key', { type: 'string', sensitive: true }).stringValue;
    new KindoMicrosoftIntegrations(stack, 'Kindo', {
      integrations: ['purview-data-governance'],
      nango: { secretKey },
      nangoFields: { 'purview-data-governance': { purview_endpoint: endpoint } },
    });
    return reviewStacks(stacks(JSON.parse(Testing.synth(stack))));
  };

  test('lists the fields registered with each Nango integration', () => {
    const head = build('https://contoso.purview.azure.com');
    expect(head[0].nango?.fields).toEqual({
      purview_endpoint: { raw: 'https://contoso.purview.azure.com' },
      tenant_id: { raw: '${data.azuread_client_config.KindoClientConfig.tenant_id}' },
    });
    expect(renderReviewMarkdown(buildReviewReport('cdktf.out', [], head))).toContain(
      '- Nango fields: `purview_endpoint` = `https://contoso.purview.azure.com`, `tenant_id` = `${data.azuread_client_config.KindoClientConfig.tenant_id}`',
    );
  });

  test('reports a changed field in the diff, not as growth', () => {
    const changes = diffReviews(
      build('https://contoso.purview.azure.com'),
      build('https://fabrikam.purview.azure.com'),
      'main',
    ).changes;
    expect(changes.map((c) => [c.kind, c.grows, c.summary])).toEqual([
      [
        'nango-fields-changed',
        false,
        'Nango field `purview_endpoint` of `test/purview-data-governance`: `https://contoso.purview.azure.com` → `https://fabrikam.purview.azure.com`',
      ],
    ]);
  });
});

describe('review exit status', () => {
  const base = synth(['outlook']);
  const grown = synth(['outlook']);
  addGraphScope(grown, 'outlook', graph('outlook-calendar').permissions.find((p) => p.name === 'Calendars.Read')!);
  const io = captureOutput();
  let root: string;
  beforeEach(() => {
    root = tempDir();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const run = (...args: string[]) => main(['review', ...args, '--out', join(root, 'review.md')], root);

  test('is 3 when the access surface grows, and the report and JSON are written', () => {
    expect(run('--synth', stackDir(root, 'head', grown), '--base', stackDir(root, 'base', base))).toBe(
      REVIEW_EXIT.GREW,
    );
    expect(readFileSync(join(root, 'review.md'), 'utf8')).toContain('**The access surface grows.**');
    expect(JSON.parse(readFileSync(join(root, 'review.json'), 'utf8')).diff.grew).toBe(true);
  });

  test('is 0 when scopes are only removed, and 0 without a base', () => {
    expect(run('--synth', stackDir(root, 'head', base), '--base', stackDir(root, 'base', grown))).toBe(
      REVIEW_EXIT.NO_GROWTH,
    );
    expect(run('--synth', stackDir(root, 'head', grown))).toBe(REVIEW_EXIT.NO_GROWTH);
    expect(reviewExitCode(buildReviewReport('x', stacks(base), reviewStacks(stacks(base))))).toBe(0);
  });

  test('fails if the synth directory holds no stack, with status 1', () => {
    expect(run('--synth', 'nowhere')).toBe(REVIEW_EXIT.ERROR);
    const error = expectKindoError(() => loadSynthesizedStacks(join(root, 'nowhere')), 'REVIEW_INPUT_NOT_FOUND', [
      `'${join(root, 'nowhere')}'`,
    ]);
    expect(io.all).toBe(`${cliError(error)}\n`);
  });

  test('fails if an option is unknown, with status 2', () => {
    expect(run('--stack', 'x')).toBe(REVIEW_EXIT.USAGE);
    expect(io.all).toMatch(
      /^review: unknown option: '--stack'; expected one of --synth, --base, --plan, --out, --json, --prepare-plan, --help\n/,
    );
  });

  test('fails if a --plan file is not terraform show -json output', () => {
    expectKindoError(() => summarizePlan({ resource_changes: [] }, 'plan.txt'), 'REVIEW_PLAN_INVALID', [
      "'plan.txt'",
      'format_version',
    ]);
  });

  test('fails if --base is neither a directory nor a git ref', () => {
    expect(run('--synth', stackDir(root, 'head', base), '--base', `no-such-ref-${randomUUID()}`)).toBe(
      REVIEW_EXIT.ERROR,
    );
    expect(io.all).toMatch(
      /^Error \[REVIEW_BASE_NOT_FOUND\]: --base is 'no-such-ref-[0-9a-f-]+', which is neither a directory nor a commit known to the git repository at /,
    );
  });
});

describe('review never prints a secret', () => {
  test('leaves out a sensitive variable default planted in the synthesized JSON', () => {
    const planted = `planted-${randomUUID()}`;
    const tf = synth(['teams']);
    tf.variable.nango_secret_key.default = planted;
    // A sensitive server URL must not be resolved into the redirect URI either.
    tf.variable.nango_server_url = {
      ...tf.variable.nango_server_url,
      sensitive: true,
      default: `https://${planted}.example`,
    };
    const integrations = reviewStacks(stacks(tf));
    const report = buildReviewReport('x', stacks(tf), integrations, { diff: diffReviews([], integrations, 'main') });
    expect(integrations[0].redirectUris[0].resolved).toBeUndefined();
    expect(renderReviewMarkdown(report)).not.toContain(planted);
    expect(JSON.stringify(report)).not.toContain(planted);
  });

  test('leaves out a client secret in a plan value whether or not Terraform marks it sensitive', () => {
    const planted = `planted~${randomUUID()}`;
    const secretChange = (after_sensitive: object) => ({
      address: 'azuread_application_password.p',
      mode: 'managed',
      type: 'azuread_application_password',
      change: {
        actions: ['update'],
        before: { display_name: 'Kindo integration', value: 'old' },
        after: { display_name: 'Kindo integration', value: planted },
        after_unknown: {},
        before_sensitive: {},
        after_sensitive,
      },
    });
    const plan = {
      format_version: '1.2',
      resource_changes: [secretChange({ value: true }), secretChange({})],
      variables: { secret: { value: planted } },
    };
    const summary = summarizePlan(plan, 'plan.json');
    expect(summary.actions.map((a) => a.attributes)).toEqual([
      [{ path: 'value', note: 'hidden', forcesReplacement: false }],
      [{ path: 'value', note: 'hidden', forcesReplacement: false }],
    ]);
    const md = renderReviewMarkdown(buildReviewReport('x', [], [], { plans: [summary] }));
    expect(md).not.toContain(planted);
    expect(JSON.stringify(summary)).not.toContain(planted);
  });
});

describe('review of Kindo SaaS stacks (KindoSaasConsent)', () => {
  const KINDO_TEAMS = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
  const KINDO_OUTLOOK = '5b4c3d2e-7f6a-4b80-8c9d-2e1f3a4b5c6d';
  const GROUP = '5b1c7e4a-9d2f-4e8b-a1c3-6f7d8e9a0b1c';
  const saasStack = (props: Partial<KindoSaasConsentProps> = {}): Tf => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new KindoSaasConsent(stack, 'Saas', {
      clientIds: { teams: KINDO_TEAMS, outlook: KINDO_OUTLOOK },
      requireAssignment: true,
      allowedGroups: [GROUP],
      ...props,
    });
    return JSON.parse(Testing.synth(stack));
  };
  const tf = saasStack({ removePermissions: { outlook: ['Mail.Send'] } });
  const integrations = reviewStacks(stacks(tf));
  const md = renderReviewMarkdown(buildReviewReport('cdktf.out', stacks(tf), integrations));

  test("lists per integration Kindo's client ID, the grants by API and who may connect", () => {
    const teams = integrations.find((i) => i.integrationId === 'teams')!;
    expect(teams).toMatchObject({
      mode: 'saas',
      identifiedBy: 'notes',
      kindoClientId: { raw: KINDO_TEAMS },
      whoMayConnect: { assignmentRequired: { raw: 'true' }, groups: [GROUP] },
    });
    expect(teams.apis.map((a) => [a.name, a.consent, a.permissions.map((p) => p.name)])).toEqual([
      ['Microsoft Graph', 'tenant-wide', catalog().teams.apis[0].permissions.map((p) => p.name)],
    ]);
    expect(teams.addresses).toHaveLength(3);
    expect(md).toContain(
      `Kindo SaaS: the enterprise application (service principal) of Kindo's app, client ID \`${KINDO_TEAMS}\` (Kindo's, not an app of this tenant)`,
    );
    expect(md).toContain(
      `- Who may connect: only assigned users and members of assigned groups: groups \`${GROUP}\`, and whoever an administrator assigns in Entra`,
    );
    expect(md).toContain(`| \`test/teams\` | Kindo's app ${KINDO_TEAMS} | Kindo SaaS |`);
  });

  test('shows each integration only its own groups when they are given per integration', () => {
    const reviewed = reviewStacks(stacks(saasStack({ allowedGroups: { outlook: [GROUP] } })));
    expect(reviewed.find((i) => i.integrationId === 'outlook')!.whoMayConnect.groups).toEqual([GROUP]);
    expect(reviewed.find((i) => i.integrationId === 'teams')!.whoMayConnect.groups).toEqual([]);
  });

  test('says that removing the integration or destroying the stack revokes everything, adopted or not', () => {
    expect(md).toContain(
      '- Revocation: Removing the integration from the stack, or destroying the stack, deletes this enterprise application — even one that existed before Terraform adopted it — which revokes every consent grant and user or group assignment it holds',
    );
  });

  test('shows offline_access as guide-directed, not as a deviation', () => {
    const outlook = integrations.find((i) => i.integrationId === 'outlook')!;
    expect(outlook.apis[0].permissions.find((p) => p.name === 'offline_access')).toMatchObject({
      directedBy: 'troubleshooting',
      consent: 'tenant-wide',
    });
    expect(md).toContain("| `offline_access` (guide-directed: the guide's troubleshooting table) | delegated |");
  });

  test("records the operator's removals as deviations from Kindo's guide", () => {
    expect(integrations.find((i) => i.integrationId === 'outlook')!.deviations).toEqual([
      { change: 'removed', api: 'Microsoft Graph', permission: 'Mail.Send' },
    ]);
    expect(md).toContain('- `test/outlook` on Microsoft Graph: removed `Mail.Send`');
  });

  test("shows each added permission's justification, as for self-managed apps", () => {
    const justification = 'Kindo summarizes mail about the channels it reads';
    const stack = new TerraformStack(Testing.app(), 'test');
    new KindoSaasConsent(stack, 'Saas', {
      clientIds: { teams: KINDO_TEAMS },
      addPermissions: {
        teams: [
          { api: 'Microsoft Graph', name: 'Mail.Read', id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca', justification },
        ],
      },
    });
    // toTerraform() keeps the "//" metadata that `cdktf synth` writes and Testing.synth strips.
    const withAddition = stack.toTerraform() as Tf;
    const reviewed = reviewStacks(stacks(withAddition));
    const teams = reviewed.find((i) => i.integrationId === 'teams')!;
    expect(teams.deviations).toEqual([
      { change: 'added', api: 'Microsoft Graph', permission: 'Mail.Read', justification },
    ]);
    expect(teams.apis[0].permissions.find((p) => p.name === 'Mail.Read')).toMatchObject({ justification });
    expect(renderReviewMarkdown(buildReviewReport('cdktf.out', stacks(withAddition), reviewed))).toContain(
      `- \`test/teams\` on Microsoft Graph: **added** \`Mail.Read\` (justification: ${justification})`,
    );
  });

  test('shows who may connect for self-managed apps too', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const secretKey = new TerraformVariable(stack, 'nango_secret_key', { type: 'string', sensitive: true }).stringValue;
    new KindoMicrosoftIntegrations(stack, 'Kindo', { integrations: ['teams'], nango: { secretKey } });
    const [app] = reviewStacks(stacks(JSON.parse(Testing.synth(stack))));
    expect(app.whoMayConnect).toEqual({ assignmentRequired: { raw: 'false' }, groups: [] });
    expect(renderReviewMarkdown(buildReviewReport('x', [], [app]))).toContain(
      '- Who may connect: every user of the tenant (assignment not required)',
    );
  });

  test('names a removed integration and its revocation in the plan', () => {
    const sp = Object.keys(tf.resource.azuread_service_principal).find(
      (n) => tf.resource.azuread_service_principal[n].client_id === KINDO_TEAMS,
    )!;
    const before = tf.resource.azuread_service_principal[sp];
    const plan = {
      format_version: '1.2',
      resource_changes: [
        {
          address: `azuread_service_principal.${sp}`,
          mode: 'managed',
          type: 'azuread_service_principal',
          change: { actions: ['delete'], before, after: null },
        },
        {
          address: `azuread_app_role_assignment.${Object.keys(tf.resource.azuread_app_role_assignment)[0]}["${GROUP}"]`,
          mode: 'managed',
          type: 'azuread_app_role_assignment',
          change: { actions: ['delete'], before: { principal_object_id: GROUP }, after: null },
        },
      ],
    };
    const summary = summarizePlan(plan, 'plan.json', integrations);
    expect(summary.actions.map((a) => [a.what, a.label])).toEqual([
      [
        "Kindo SaaS enterprise application (Kindo's app): deleting it revokes every consent grant and user or group assignment it holds, including those given before Terraform adopted it",
        'test/teams',
      ],
      [
        'assignment of a group allowed to connect: deleting it stops its members connecting where assignment is required',
        expect.stringMatching(/^test\/(teams|outlook)$/),
      ],
    ]);
  });

  test('never prints a planted secret in the SaaS lines', () => {
    const planted = `planted-${randomUUID()}`;
    const stack = new TerraformStack(Testing.app(), 'test');
    const secretKey = new TerraformVariable(stack, 'nango_secret_key', {
      type: 'string',
      sensitive: true,
      default: planted,
    }).stringValue;
    const groups = new TerraformVariable(stack, 'allowed_groups', {
      type: 'list(string)',
      sensitive: true,
      default: [planted],
    }).listValue;
    new KindoMicrosoftIntegrations(stack, 'Kindo', {
      integrations: ['teams'],
      nango: { secretKey },
      requireAssignment: true,
      allowedGroups: groups,
    });
    new KindoSaasConsent(stack, 'Saas', {
      clientIds: { outlook: KINDO_OUTLOOK },
      requireAssignment: true,
      allowedGroups: groups,
    });
    const config = JSON.parse(Testing.synth(stack));
    const all = reviewStacks(stacks(config));
    const report = buildReviewReport('x', stacks(config), all, { diff: diffReviews([], all, 'main') });
    expect(renderReviewMarkdown(report)).toContain(
      'the groups in `${toset([ for key, val in toset(var.allowed_groups): lower(val)])}`',
    );
    expect(renderReviewMarkdown(report)).not.toContain(planted);
    expect(JSON.stringify(report)).not.toContain(planted);
  });
});
