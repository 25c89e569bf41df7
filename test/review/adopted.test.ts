import { randomUUID } from 'node:crypto';
import { buildReviewReport, renderReviewMarkdown, reviewStacks, summarizePlan } from '../../src/review/review';
import {
  OBJECT_ID,
  SP_ID,
  SECRET_KEY_ID,
  GRANT_ID,
  CALLBACK,
  adoptedTeams,
  addressOf,
  firstApplyPlan,
} from '../support/adopted-plan';

type Tf = Record<string, any>;

describe('review report: Adopted section', () => {
  const stacks = adoptedTeams();
  const tf = stacks[0].config;
  const integrations = reviewStacks(stacks);
  const planted = `abc8Q~${randomUUID()}`;
  const summary = summarizePlan(firstApplyPlan(tf, planted), 'plan.json', integrations);
  const markdown = renderReviewMarkdown(buildReviewReport('cdktf.out', stacks, integrations, { plans: [summary] }));

  test('links the adopted app’s new secret and Nango registration to it, though they read its IDs from the lookup', () => {
    const teams = integrations.find((i) => i.key === 'test/teams')!;
    expect(teams.addresses).toEqual(
      expect.arrayContaining([
        addressOf(tf, 'azuread_application_password', 'teams'),
        addressOf(tf, 'terraform_data', 'teams_Nango_Sync'),
      ]),
    );
    expect(teams.nango?.uniqueKey.raw).toBe('kindo-teams');
    expect(teams.adoption).toEqual({
      imports: [
        { address: addressOf(tf, 'azuread_application', 'teams'), id: `/applications/${OBJECT_ID}` },
        { address: addressOf(tf, 'azuread_service_principal', 'teams'), id: `/servicePrincipals/${SP_ID}` },
        {
          address: addressOf(tf, 'azuread_service_principal_delegated_permission_grant', 'teams'),
          id: `/oauth2PermissionGrants/${GRANT_ID}`,
        },
      ],
      servicePrincipalTakenOver: false,
      application: { objectId: OBJECT_ID },
      handMadeSecrets: [{ keyId: SECRET_KEY_ID, expires: '2027-05-01T10:00:00Z', description: 'Kindo integration' }],
    });
    expect(integrations.find((i) => i.key === 'test/outlook')!.adoption).toBeUndefined();
  });

  test('lists what is imported, riskiest first: redirect URI, then permissions and consent, then owners and notes; unchanged last', () => {
    expect(summary.adopted.map((a) => [a.what, a.action, a.rank, a.importId])).toEqual([
      ['app registration', 'update', 1, `/applications/${OBJECT_ID}`],
      ['admin consent grant', 'update', 2, `/oauth2PermissionGrants/${GRANT_ID}`],
      ['enterprise application (service principal)', 'no-op', 6, `/servicePrincipals/${SP_ID}`],
    ]);
    expect(summary.adopted[0].changes.map((c) => [c.path, c.rank, c.added, c.removed])).toEqual([
      ['web.redirect_uris', 1, [CALLBACK], ['https://nango.example.com/oauth/callback']],
      ['required_resource_access', 2, [], ['Microsoft Graph: Mail.Send']],
      ['owners', 4, ['00000000-0000-0000-0000-000000000001'], []],
      ['notes', 5, undefined, undefined],
    ]);
    expect(summary.adopted[1].changes).toEqual([
      {
        path: 'claim_values',
        added: [],
        removed: ['Mail.Send'],
        forcesReplacement: false,
        rank: 2,
        impact: 'the admin consent changes: tokens lose or gain these scopes at their next refresh',
      },
    ]);
  });

  test('renders the section with the hand-made secrets to delete, and never a secret value', () => {
    expect(markdown).toContain('## Adopted: plan.json');
    expect(markdown).toContain('3 resource(s) set up by hand are imported; the same apply changes 2 of them.');
    const rows = markdown
      .split('\n')
      .filter((l) => l.startsWith('| sign-in') || l.startsWith('| permissions') || l.startsWith('| none'));
    expect(rows.map((r) => r.split(' | ')[1])).toEqual([
      'app registration',
      'admin consent grant',
      'enterprise application (service principal)',
    ]);
    expect(rows[0]).toContain(
      '`web.redirect_uris`: +`https://api.nango.dev/oauth/callback` −`https://nango.example.com/oauth/callback`: sign-ins through a removed URI fail',
    );
    expect(markdown).toContain(
      `- \`test/teams\`: key ID \`${SECRET_KEY_ID}\` (\`Kindo integration\`, expires \`2027-05-01T10:00:00Z\`): \`az ad app credential delete --id ${OBJECT_ID} --key-id ${SECRET_KEY_ID}\``,
    );
    expect(markdown.indexOf('## Adopted: plan.json')).toBeLessThan(markdown.indexOf('## Planned actions: plan.json'));
    expect(markdown).not.toContain(planted);
    expect(JSON.stringify(summary)).not.toContain(planted);
  });

  test('a plan that imports nothing has no Adopted section', () => {
    const plain = summarizePlan({ format_version: '1.2', resource_changes: [] }, 'plain.json', integrations);
    expect(plain.adopted).toEqual([]);
    expect(
      renderReviewMarkdown(buildReviewReport('cdktf.out', stacks, integrations, { plans: [plain] })),
    ).not.toContain('## Adopted');
  });

  test('an imported object that would be replaced ranks first: it gets a new client ID and every user reconnects', () => {
    const plan = firstApplyPlan(tf, planted);
    const app = plan.resource_changes.find((rc: Tf) => rc.type === 'azuread_application');
    app.change.actions = ['delete', 'create'];
    app.change.replace_paths = [['sign_in_audience']];
    app.change.after.sign_in_audience = 'AzureADMultipleOrgs';
    const replaced = summarizePlan(plan, 'plan.json', integrations);
    expect(replaced.adopted[0]).toMatchObject({ what: 'app registration', action: 'replace', rank: 0 });
    expect(renderReviewMarkdown(buildReviewReport('cdktf.out', stacks, integrations, { plans: [replaced] }))).toContain(
      '| **replaced** | app registration |',
    );
  });
});
