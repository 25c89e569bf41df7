import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { catalog } from '../../src/catalog/catalog';
import { KindoMicrosoftIntegrations } from '../../src/constructs/kindo-microsoft-integrations';
import { buildReviewReport, renderReviewMarkdown, reviewStacks, summarizePlan } from '../../src/review/review';
import type { SynthesizedStack } from '../../src/review/types';
import { hasTerraform, terraform } from '../support/terraform';

type Tf = Record<string, any>;

const OBJECT_ID = '0f8e2c6d-1b2a-4c3d-9e8f-7a6b5c4d3e2f';
const CLIENT_ID = '6e5d4c3b-2a19-4f08-8e7d-6c5b4a392817';
const SP_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const SECRET_KEY_ID = '3d0b3d5f-8c55-4f1e-9d0c-2b7f0a1e4c11';
const GRANT_ID = 'xyz0AbCdEfGhIjKlMnOpQrStUvWx-AbCdEfGhIjKlMn';
const CALLBACK = 'https://api.nango.dev/oauth/callback';

/** Teams adopted by object ID with its service principal and Graph grant, as `cdktf synth` writes it ("//" metadata kept). */
function adoptedTeams(): SynthesizedStack[] {
  const stack = new TerraformStack(Testing.app(), 'test');
  const secretKey = new TerraformVariable(stack, 'nango_secret_key', { type: 'string', sensitive: true }).stringValue;
  new KindoMicrosoftIntegrations(stack, 'Kindo', {
    integrations: ['teams', 'outlook'],
    nango: { secretKey },
    adoptExistingNangoIntegrations: ['teams'],
    existingApps: {
      teams: {
        applicationObjectId: OBJECT_ID,
        servicePrincipalObjectId: SP_ID,
        permissionGrantIds: { 'Microsoft Graph': GRANT_ID },
        clientSecrets: [{ keyId: SECRET_KEY_ID, expires: '2027-05-01T10:00:00Z', description: 'Kindo integration' }],
      },
    },
  });
  return [{ name: 'test', config: stack.toTerraform() }];
}

const addressOf = (tf: Tf, type: string, part: string) =>
  `${type}.${Object.keys(tf.resource[type]).find((k) => k.includes(part))!}`;

/**
 * A `terraform show -json` plan of that synth's first apply, per Terraform's JSON output format
 * (developer.hashicorp.com/terraform/internals/json-format, "Change Representation"; `importing` as in
 * hashicorp/terraform internal/command/jsonplan/plan.go): the hand-made app has another redirect URI,
 * a Graph permission the guide does not list for Teams and its maker as sole owner; the grant holds one scope
 * more; the service principal already matches. The new secret is created (azuread_application_password
 * cannot be imported).
 */
function firstApplyPlan(tf: Tf, planted: string): Tf {
  const scopes = catalog().teams.apis[0].permissions;
  const mailSend = catalog().outlook.apis[0].permissions.find((p) => p.name === 'Mail.Send')!;
  const access = scopes.map((p) => ({ id: p.id, type: 'Scope' }));
  const app = addressOf(tf, 'azuread_application', 'teams');
  const change = (
    address: string,
    type: string,
    actions: string[],
    before: Tf | null,
    after: Tf | null,
    importing?: string,
  ) => ({
    address,
    mode: 'managed',
    type,
    name: address.split('.')[1],
    provider_name: 'registry.terraform.io/hashicorp/azuread',
    change: {
      actions,
      before,
      after,
      after_unknown: actions.includes('create') ? { id: true, key_id: true, value: true } : {},
      before_sensitive: actions.includes('create') ? false : {},
      after_sensitive: type === 'azuread_application_password' ? { value: true } : {},
      ...(importing ? { importing: { id: importing } } : {}),
    },
  });
  const appBefore = {
    id: `/applications/${OBJECT_ID}`,
    client_id: CLIENT_ID,
    display_name: 'Kindo - Microsoft Teams',
    notes: null,
    owners: ['8f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b'],
    sign_in_audience: 'AzureADMyOrg',
    web: [{ redirect_uris: ['https://nango.example.com/oauth/callback'], homepage_url: null }],
    required_resource_access: [
      {
        resource_app_id: '00000003-0000-0000-c000-000000000000',
        resource_access: [...access, { id: mailSend.id, type: 'Scope' }],
      },
    ],
  };
  const appAfter = {
    ...appBefore,
    notes:
      "Kindo integration 'teams' (Microsoft Teams), managed by Terraform with kindo-microsoft-integrations. Permissions as in Kindo's guide.",
    owners: ['8f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b', '00000000-0000-0000-0000-000000000001'],
    web: [{ redirect_uris: [CALLBACK], homepage_url: null }],
    required_resource_access: [{ resource_app_id: '00000003-0000-0000-c000-000000000000', resource_access: access }],
  };
  const sp = { id: `/servicePrincipals/${SP_ID}`, client_id: CLIENT_ID, use_existing: null };
  const grant = addressOf(tf, 'azuread_service_principal_delegated_permission_grant', 'teams');
  return {
    format_version: '1.2',
    terraform_version: '1.11.4',
    resource_changes: [
      change(
        addressOf(tf, 'azuread_service_principal', 'teams'),
        'azuread_service_principal',
        ['no-op'],
        sp,
        sp,
        `/servicePrincipals/${SP_ID}`,
      ),
      change(app, 'azuread_application', ['update'], appBefore, appAfter, `/applications/${OBJECT_ID}`),
      change(
        grant,
        'azuread_service_principal_delegated_permission_grant',
        ['update'],
        { id: `/oauth2PermissionGrants/${GRANT_ID}`, claim_values: [...scopes.map((p) => p.name), 'Mail.Send'] },
        { id: `/oauth2PermissionGrants/${GRANT_ID}`, claim_values: scopes.map((p) => p.name) },
        `/oauth2PermissionGrants/${GRANT_ID}`,
      ),
      change(addressOf(tf, 'azuread_application_password', 'teams'), 'azuread_application_password', ['create'], null, {
        display_name: 'Kindo integration',
        value: planted,
      }),
    ],
  };
}

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

describe.skipIf(!hasTerraform)('the plan JSON Terraform 1.11 writes for an import', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kindo-adopted-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('carries `importing` where the review reads it, as in the fixture above; imported terraform_data shows in the Adopted section', async () => {
    writeFileSync(
      join(dir, 'main.tf.json'),
      JSON.stringify({
        resource: { terraform_data: { changed: { input: 'x' }, same: {} } },
        import: [
          { to: 'terraform_data.changed', id: 'hand-made-1' },
          { to: 'terraform_data.same', id: 'hand-made-2' },
        ],
      }),
    );
    expect((await terraform(dir, ['init', '-input=false'])).status).toBe(0);
    expect((await terraform(dir, ['plan', '-input=false', '-out=plan.bin'])).status).toBe(0);
    const shown = await terraform(dir, ['show', '-json', 'plan.bin']);
    const plan = JSON.parse(shown.output.slice(shown.output.indexOf('{')));
    const changes: Tf[] = plan.resource_changes;
    expect(changes.map((rc) => [rc.address, rc.mode, rc.change.actions, rc.change.importing])).toEqual([
      ['terraform_data.changed', 'managed', ['update'], { id: 'hand-made-1' }],
      ['terraform_data.same', 'managed', ['no-op'], { id: 'hand-made-2' }],
    ]);
    // The fixture's resource changes have the keys real Terraform writes.
    const fixture = firstApplyPlan(adoptedTeams()[0].config, 'x').resource_changes[1];
    expect(Object.keys(fixture).sort()).toEqual(Object.keys(changes[0]).sort());
    expect(Object.keys(fixture.change).sort()).toEqual(Object.keys(changes[0].change).sort());
    expect(
      summarizePlan(plan, 'real.json').adopted.map((a) => [
        a.address,
        a.action,
        a.importId,
        a.changes.map((c) => c.path),
      ]),
    ).toEqual([
      ['terraform_data.changed', 'update', 'hand-made-1', ['input', 'output']],
      ['terraform_data.same', 'no-op', 'hand-made-2', []],
    ]);
  });
});
