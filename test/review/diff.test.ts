import { createHash } from 'node:crypto';
import { diffIntegrations } from '../../src/review/diff';
import type { ReviewChange, ReviewedApi, ReviewedIntegration, ReviewedPermission } from '../../src/review/types';

// The diff works on the review's model, so these tests build it by hand: every branch of a change,
// without the synth and plan reading that test/review/review.test.ts covers end to end.

const GRAPH = '00000003-0000-0000-c000-000000000000';
const WDATP = 'fc780465-2017-40d4-a0c5-307022471b92';

/** A GUID of the name's, so that the same name gets the same ID. */
const scopeId = (name: string) =>
  createHash('sha256')
    .update(name)
    .digest('hex')
    .slice(0, 32)
    .replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
const permission = (name: string, over: Partial<ReviewedPermission> = {}): ReviewedPermission => ({
  id: scopeId(name),
  name,
  known: true,
  type: 'Scope',
  access: 'read',
  adminConsentRequired: false,
  requested: true,
  consent: 'tenant-wide',
  ...over,
});
const api = (name: string, resourceAppId: string, permissions: ReviewedPermission[]): ReviewedApi => ({
  name,
  resourceAppId,
  known: true,
  consent: 'tenant-wide',
  permissions,
});
const graph = (...permissions: ReviewedPermission[]) => api('Microsoft Graph', GRAPH, permissions);

function integration(key: string, over: Partial<ReviewedIntegration> = {}): ReviewedIntegration {
  const [stack, integrationId] = key.split('/');
  return {
    key,
    stack,
    integrationId,
    identifiedBy: 'notes',
    mode: 'self-managed',
    whoMayConnect: { assignmentRequired: { raw: 'false' }, groups: [] },
    address: `azuread_application.${integrationId}`,
    addresses: [`azuread_application.${integrationId}`],
    displayName: { raw: `Kindo - ${integrationId}` },
    signInAudience: 'AzureADMyOrg',
    redirectUris: [{ raw: 'https://api.nango.dev/oauth/callback' }],
    nango: {
      provider: { raw: 'microsoft-tenant-specific' },
      uniqueKey: { raw: `kindo-${integrationId}` },
      scopes: { raw: 'offline_access,User.Read' },
      fields: {},
    },
    secrets: [{ lifetimeHours: 4320, endDate: { raw: '${timeadd(plantimestamp(), "4320h")}' } }],
    apis: [graph(permission('User.Read'), permission('offline_access'))],
    deviations: [],
    ...over,
  };
}

/** The changes of head against the default base of the same key. */
const changesTo = (over: Partial<ReviewedIntegration>, base: Partial<ReviewedIntegration> = {}) =>
  diffIntegrations([integration('main/teams', base)], [integration('main/teams', over)]);
const brief = (c: ReviewChange) => ({ kind: c.kind, grows: c.grows, rank: c.rank, summary: c.summary });

describe('diffIntegrations', () => {
  test('finds no change between equal integrations', () => {
    expect(diffIntegrations([integration('main/teams')], [integration('main/teams')])).toEqual([]);
  });

  test('reports a new integration as growth, counting its permissions, the writes or unknown ones, those needing admin consent and those consented tenant-wide', () => {
    const head = integration('main/defender', {
      displayName: { raw: '${var.prefix}Microsoft Defender', resolved: 'Kindo - Microsoft Defender' },
      apis: [
        graph(
          permission('User.Read'),
          permission('Mail.Send', { access: 'write', adminConsentRequired: true, consent: 'one user' }),
        ),
        api('WindowsDefenderATP', WDATP, [
          permission('Machine.Isolate', { access: 'unknown', adminConsentRequired: null, consent: 'none' }),
        ]),
      ],
    });
    expect(diffIntegrations([], [head])).toEqual([
      {
        kind: 'integration-added',
        grows: true,
        rank: 3,
        integration: 'main/defender',
        summary:
          'New integration `main/defender` (Kindo - Microsoft Defender): 3 permissions on Microsoft Graph, WindowsDefenderATP, 2 write or unknown, 1 needing admin consent, 1 consented tenant-wide',
      },
    ]);
  });

  test('says so when a new integration requests no API', () => {
    expect(diffIntegrations([], [integration('main/teams', { apis: [] })])[0].summary).toBe(
      'New integration `main/teams` (Kindo - teams): 0 permissions on no API, 0 write or unknown, 0 needing admin consent, 0 consented tenant-wide',
    );
  });

  test('reports a removed integration last, not as growth', () => {
    expect(
      diffIntegrations([integration('main/teams'), integration('main/outlook')], [integration('main/outlook')]),
    ).toEqual([
      {
        kind: 'integration-removed',
        grows: false,
        rank: 6,
        integration: 'main/teams',
        summary: 'Integration `main/teams` (Kindo - teams) removed',
      },
    ]);
  });

  describe('an added permission', () => {
    const added = (p: ReviewedPermission) =>
      changesTo({ apis: [graph(permission('User.Read'), permission('offline_access'), p)] });

    test('is reviewed first when it writes, with its API, access, admin consent and consent', () => {
      const write = permission('Mail.Send', { access: 'write', adminConsentRequired: false });
      expect(added(write)).toEqual([
        {
          kind: 'permission-added',
          grows: true,
          rank: 0,
          integration: 'main/teams',
          api: 'Microsoft Graph',
          permission: write,
          summary:
            '**New write or unreviewed permission** for `main/teams` on Microsoft Graph: `Mail.Send` (write, no admin consent required, consented tenant-wide)',
        },
      ]);
    });

    test('is reviewed first when the catalog does not know it, and says it must be reviewed by hand', () => {
      expect(
        added(
          permission('Mail.Secret', { known: false, access: 'unknown', adminConsentRequired: null, consent: 'none' }),
        ).map(brief),
      ).toEqual([
        {
          kind: 'permission-added',
          grows: true,
          rank: 0,
          summary:
            '**New write or unreviewed permission** for `main/teams` on Microsoft Graph: `Mail.Secret` (not in the catalog: review by hand, not consented)',
        },
      ]);
    });

    test('ranks a read needing admin consent before a new integration, and a plain read after redirect URIs', () => {
      expect(
        added(permission('Directory.Read.All', { adminConsentRequired: true, consent: 'one user' })).map(brief),
      ).toEqual([
        {
          kind: 'permission-added',
          grows: true,
          rank: 1,
          summary:
            'New permission for `main/teams` on Microsoft Graph: `Directory.Read.All` (read, admin consent required, consented for one user)',
        },
      ]);
      expect(added(permission('People.Read')).map((c) => [c.rank, c.summary])).toEqual([
        [
          4,
          'New permission for `main/teams` on Microsoft Graph: `People.Read` (read, no admin consent required, consented tenant-wide)',
        ],
      ]);
    });

    test('marks what only an addPermissions entry declares, a grant without a request, and the justification', () => {
      const declared = permission('Tasks.Read', {
        known: false,
        declared: true,
        requested: false,
        justification: 'Kindo lists the user’s `open` tasks',
      });
      expect(added(declared)[0].summary).toBe(
        'New permission for `main/teams` on Microsoft Graph: `Tasks.Read` (read as declared in addPermissions, no admin consent required as declared, consented tenant-wide, granted without being requested; justification: Kindo lists the user’s \\`open\\` tasks)',
      );
    });

    test('fences a name with backticks in more backticks, so the Markdown code span stays closed', () => {
      expect(added(permission('Odd`Name'))[0].summary).toBe(
        'New permission for `main/teams` on Microsoft Graph: ``Odd`Name`` (read, no admin consent required, consented tenant-wide)',
      );
    });
  });

  test('reports a removed permission last, not as growth', () => {
    const userRead = permission('User.Read');
    expect(
      changesTo(
        { apis: [graph(permission('offline_access'))] },
        { apis: [graph(userRead, permission('offline_access'))] },
      ),
    ).toEqual([
      {
        kind: 'permission-removed',
        grows: false,
        rank: 6,
        integration: 'main/teams',
        api: 'Microsoft Graph',
        permission: userRead,
        summary: 'Permission removed from `main/teams` on Microsoft Graph: `User.Read`',
      },
    ]);
  });

  test('tells permissions apart by API, type and ID: a renamed ID is no change, the same ID as an application permission or on another API is', () => {
    const userRead = permission('User.Read');
    expect(
      changesTo({ apis: [graph({ ...userRead, name: 'User.Read (renamed)' })] }, { apis: [graph(userRead)] }),
    ).toEqual([]);
    const asRole = changesTo({ apis: [graph({ ...userRead, type: 'Role' })] }, { apis: [graph(userRead)] });
    expect(asRole.map((c) => [c.kind, c.permission?.type])).toEqual([
      ['permission-added', 'Role'],
      ['permission-removed', 'Scope'],
    ]);
    const moved = changesTo({ apis: [api('WindowsDefenderATP', WDATP, [userRead])] }, { apis: [graph(userRead)] });
    expect(moved.map((c) => [c.kind, c.api])).toEqual([
      ['permission-added', 'WindowsDefenderATP'],
      ['permission-removed', 'Microsoft Graph'],
    ]);
  });

  test('tells consented scopes the catalog does not know (no ID) apart by name', () => {
    const unknown = (name: string) =>
      permission(name, { id: '', known: false, access: 'unknown', adminConsentRequired: null, requested: false });
    const changes = changesTo({ apis: [graph(unknown('Sites.Manage'))] }, { apis: [graph(unknown('Sites.Read'))] });
    expect(changes.map((c) => [c.kind, c.permission?.name])).toEqual([
      ['permission-added', 'Sites.Manage'],
      ['permission-removed', 'Sites.Read'],
    ]);
  });

  test('reports consent widened as growth and narrowed as not, each step of none, one user, tenant-wide', () => {
    const consent = (before: ReviewedPermission['consent'], after: ReviewedPermission['consent']) =>
      changesTo(
        { apis: [graph(permission('User.Read', { consent: after }))] },
        { apis: [graph(permission('User.Read', { consent: before }))] },
      );
    expect(consent('none', 'one user')).toEqual([
      {
        kind: 'consent-granted',
        grows: true,
        rank: 2,
        integration: 'main/teams',
        api: 'Microsoft Graph',
        permission: permission('User.Read', { consent: 'one user' }),
        before: 'none',
        after: 'one user',
        summary: 'Consent widened for `main/teams` on Microsoft Graph: `User.Read` none → one user',
      },
    ]);
    expect(consent('one user', 'tenant-wide').map((c) => [c.kind, c.grows, c.rank])).toEqual([
      ['consent-granted', true, 2],
    ]);
    expect(consent('tenant-wide', 'one user')).toEqual([
      {
        kind: 'consent-revoked',
        grows: false,
        rank: 6,
        integration: 'main/teams',
        api: 'Microsoft Graph',
        permission: permission('User.Read', { consent: 'one user' }),
        before: 'tenant-wide',
        after: 'one user',
        summary: 'Consent narrowed for `main/teams` on Microsoft Graph: `User.Read` tenant-wide → one user',
      },
    ]);
    expect(consent('one user', 'none').map((c) => [c.kind, c.grows, c.rank])).toEqual([['consent-revoked', false, 6]]);
    expect(consent('one user', 'one user')).toEqual([]);
  });

  test('reports a new redirect URI as high-risk growth naming its host, and a removed one as not; compared by resolved value', () => {
    const callback = { raw: '${var.nango_url}/oauth/callback', resolved: 'https://api.nango.dev/oauth/callback' };
    const changes = changesTo(
      { redirectUris: [callback, { raw: 'https://nango.example.com/oauth/callback' }] },
      { redirectUris: [{ raw: 'https://api.nango.dev/oauth/callback' }] },
    );
    expect(changes).toEqual([
      {
        kind: 'redirect-uri-added',
        grows: true,
        highRisk: true,
        rank: 0,
        integration: 'main/teams',
        after: 'https://nango.example.com/oauth/callback',
        summary:
          '**High risk: new redirect URI** for `main/teams`, host `nango.example.com`: `https://nango.example.com/oauth/callback` — authorization codes may be sent there',
      },
    ]);
    expect(
      changesTo(
        { redirectUris: [callback] },
        { redirectUris: [callback, { raw: 'https://old.example.com/oauth/callback' }] },
      ),
    ).toEqual([
      {
        kind: 'redirect-uri-removed',
        grows: false,
        rank: 5,
        integration: 'main/teams',
        before: 'https://old.example.com/oauth/callback',
        summary: 'Redirect URI removed from `main/teams`: `https://old.example.com/oauth/callback`',
      },
    ]);
  });

  test('reports a moved callback URL as one high-risk change naming the old and the new host', () => {
    expect(
      changesTo(
        { redirectUris: [{ raw: 'https://nango.evil.example/oauth/callback' }] },
        { redirectUris: [{ raw: 'https://api.nango.dev/oauth/callback' }] },
      ),
    ).toEqual([
      {
        kind: 'callback-url-changed',
        grows: true,
        highRisk: true,
        rank: 0,
        integration: 'main/teams',
        before: 'https://api.nango.dev/oauth/callback',
        after: 'https://nango.evil.example/oauth/callback',
        summary:
          '**High risk: callback URL of `main/teams` moves**, host `api.nango.dev` → `nango.evil.example`: `https://api.nango.dev/oauth/callback` → `https://nango.evil.example/oauth/callback` — authorization codes go to the new URL',
      },
    ]);
  });

  test('reports a moved Nango server URL as high-risk growth naming the old and the new host, reviewed first', () => {
    const nango = integration('main/teams').nango!;
    const moved = (serverUrl: string | undefined, before: string | undefined) =>
      changesTo(
        { nango: { ...nango, serverUrl: serverUrl === undefined ? undefined : { raw: serverUrl } } },
        { nango: { ...nango, serverUrl: before === undefined ? undefined : { raw: before } } },
      );
    expect(moved('https://nango.evil.example', 'https://api.nango.dev')).toEqual([
      {
        kind: 'nango-server-url-changed',
        grows: true,
        highRisk: true,
        rank: 0,
        integration: 'main/teams',
        before: 'https://api.nango.dev',
        after: 'https://nango.evil.example',
        summary:
          '**High risk: Nango server URL of `main/teams` moves**, host `api.nango.dev` → `nango.evil.example`: `https://api.nango.dev` → `https://nango.evil.example` — the Nango secret key and the client secret are sent there at apply',
      },
    ]);
    expect(moved('https://api.nango.dev', 'https://api.nango.dev')).toEqual([]);
    // A base synthesized before the review read the server URL has none to compare with.
    expect(moved('https://nango.evil.example', undefined)).toEqual([]);
  });

  test('reports a sign-in audience opened to other directories as growth, and one closed to this directory as not', () => {
    expect(changesTo({ signInAudience: 'AzureADMultipleOrgs' })).toEqual([
      {
        kind: 'sign-in-audience-changed',
        grows: true,
        rank: 2,
        integration: 'main/teams',
        before: 'AzureADMyOrg',
        after: 'AzureADMultipleOrgs',
        summary: 'Sign-in audience of `main/teams`: AzureADMyOrg → AzureADMultipleOrgs',
      },
    ]);
    expect(changesTo({ signInAudience: 'AzureADMyOrg' }, { signInAudience: 'AzureADMultipleOrgs' }).map(brief)).toEqual(
      [
        {
          kind: 'sign-in-audience-changed',
          grows: false,
          rank: 5,
          summary: 'Sign-in audience of `main/teams`: AzureADMultipleOrgs → AzureADMyOrg',
        },
      ],
    );
  });

  test('reports a changed Nango provider and unique key, and a registration added or dropped as from or to none', () => {
    const nango = integration('main/teams').nango!;
    expect(
      changesTo({
        nango: {
          ...nango,
          provider: { raw: 'microsoft-teams' },
          uniqueKey: { raw: '${var.key}', resolved: 'teams-prod' },
        },
      }),
    ).toEqual([
      {
        kind: 'nango-provider-changed',
        grows: false,
        rank: 5,
        integration: 'main/teams',
        before: 'microsoft-tenant-specific',
        after: 'microsoft-teams',
        summary: 'Nango provider of `main/teams`: `microsoft-tenant-specific` → `microsoft-teams`',
      },
      {
        kind: 'nango-unique-key-changed',
        grows: false,
        rank: 5,
        integration: 'main/teams',
        before: 'kindo-teams',
        after: 'teams-prod',
        summary: 'Nango unique key of `main/teams`: `kindo-teams` → `teams-prod`',
      },
    ]);
    expect(changesTo({ nango: undefined }).map((c) => [c.kind, c.before, c.after])).toEqual([
      ['nango-provider-changed', 'microsoft-tenant-specific', 'none'],
      ['nango-unique-key-changed', 'kindo-teams', 'none'],
    ]);
  });

  test('reports each Nango field added, changed or dropped, by name', () => {
    const nango = integration('main/teams').nango!;
    const changes = changesTo(
      {
        nango: {
          ...nango,
          fields: {
            tenant_id: { raw: '72f988bf-86f1-41af-91ab-2d7cd011db47' },
            subscription_id: { raw: '00000000-0000-0000-0000-000000000001' },
          },
        },
      },
      {
        nango: {
          ...nango,
          fields: {
            tenant_id: { raw: '${data.azuread_client_config.c.tenant_id}' },
            purview_endpoint: { raw: 'https://contoso.purview.azure.com' },
          },
        },
      },
    );
    expect(changes).toEqual([
      {
        kind: 'nango-fields-changed',
        grows: false,
        rank: 5,
        integration: 'main/teams',
        before: 'https://contoso.purview.azure.com',
        after: 'none',
        summary: 'Nango field `purview_endpoint` of `main/teams`: `https://contoso.purview.azure.com` → `none`',
      },
      {
        kind: 'nango-fields-changed',
        grows: false,
        rank: 5,
        integration: 'main/teams',
        before: 'none',
        after: '00000000-0000-0000-0000-000000000001',
        summary: 'Nango field `subscription_id` of `main/teams`: `none` → `00000000-0000-0000-0000-000000000001`',
      },
      {
        kind: 'nango-fields-changed',
        grows: false,
        rank: 5,
        integration: 'main/teams',
        before: '${data.azuread_client_config.c.tenant_id}',
        after: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        summary:
          'Nango field `tenant_id` of `main/teams`: `${data.azuread_client_config.c.tenant_id}` → `72f988bf-86f1-41af-91ab-2d7cd011db47`',
      },
    ]);
    expect(
      changesTo(
        { nango: { ...nango, fields: { tenant_id: { raw: 'x', resolved: 'y' } } } },
        { nango: { ...nango, fields: { tenant_id: { raw: 'z', resolved: 'y' } } } },
      ),
    ).toEqual([]);
  });

  test('reports a changed secret lifetime, in hours, as an end date or as no secret, noting it applies to the next secret', () => {
    const secret = (lifetimeHours: number | null, raw: string, resolved?: string) => ({
      lifetimeHours,
      endDate: { raw, resolved },
    });
    expect(changesTo({ secrets: [secret(720, 'ignored')] })).toEqual([
      {
        kind: 'secret-lifetime-changed',
        grows: false,
        rank: 5,
        integration: 'main/teams',
        before: '4320h',
        after: '720h',
        summary:
          'Client secret lifetime of `main/teams`: 4320h → 720h (applies to the next secret: the end date is fixed at creation)',
      },
    ]);
    const changes = changesTo(
      { secrets: [secret(null, '${var.end}', '2027-01-01T00:00:00Z'), secret(24, 'ignored')] },
      { secrets: [] },
    );
    expect(changes.map((c) => [c.before, c.after])).toEqual([['no secret', '2027-01-01T00:00:00Z, 24h']]);
    expect(changesTo({ secrets: [secret(4320, 'another text')] })).toEqual([]);
  });

  test('orders changes by risk, then integration, API, permission and kind', () => {
    const base = [
      integration('main/teams', { apis: [graph(permission('User.Read'), permission('Mail.Read'))] }),
      integration('main/outlook', { apis: [graph(permission('User.Read'))] }),
      integration('main/intune'),
    ];
    const head = [
      integration('main/teams', {
        signInAudience: 'AzureADMultipleOrgs',
        apis: [
          graph(
            permission('User.Read', { consent: 'none' }),
            permission('Files.Read', { adminConsentRequired: true }),
            permission('Calendars.Read', { adminConsentRequired: true }),
            permission('Mail.Send', { access: 'write' }),
          ),
        ],
      }),
      integration('main/outlook', {
        signInAudience: 'AzureADMultipleOrgs',
        apis: [
          api('WindowsDefenderATP', WDATP, [permission('Alert.Read', { adminConsentRequired: true })]),
          graph(permission('User.Read'), permission('Sites.Read.All', { adminConsentRequired: true })),
        ],
      }),
      integration('main/defender'),
    ];
    expect(
      diffIntegrations(base, head).map((c) => [c.rank, c.kind, c.integration, c.api ?? '', c.permission?.name ?? '']),
    ).toEqual([
      [0, 'permission-added', 'main/teams', 'Microsoft Graph', 'Mail.Send'],
      [1, 'permission-added', 'main/outlook', 'Microsoft Graph', 'Sites.Read.All'],
      [1, 'permission-added', 'main/outlook', 'WindowsDefenderATP', 'Alert.Read'],
      [1, 'permission-added', 'main/teams', 'Microsoft Graph', 'Calendars.Read'],
      [1, 'permission-added', 'main/teams', 'Microsoft Graph', 'Files.Read'],
      [2, 'sign-in-audience-changed', 'main/outlook', '', ''],
      [2, 'sign-in-audience-changed', 'main/teams', '', ''],
      [3, 'integration-added', 'main/defender', '', ''],
      [6, 'integration-removed', 'main/intune', '', ''],
      [6, 'permission-removed', 'main/teams', 'Microsoft Graph', 'Mail.Read'],
      [6, 'consent-revoked', 'main/teams', 'Microsoft Graph', 'User.Read'],
    ]);
  });

  test('orders the app’s own changes before its API’s within one rank and integration', () => {
    const changes = changesTo(
      { signInAudience: 'AzureADMultipleOrgs', apis: [graph(permission('User.Read'), permission('offline_access'))] },
      { apis: [graph(permission('User.Read', { consent: 'one user' }), permission('offline_access'))] },
    );
    expect(changes.map((c) => [c.rank, c.kind, c.api])).toEqual([
      [2, 'sign-in-audience-changed', undefined],
      [2, 'consent-granted', 'Microsoft Graph'],
    ]);
  });

  test('orders the changes of one rank and integration without API or permission by kind', () => {
    const nango = integration('main/teams').nango!;
    const changes = changesTo(
      {
        redirectUris: [],
        nango: {
          provider: { raw: 'microsoft-teams' },
          uniqueKey: { raw: 'teams' },
          scopes: nango.scopes,
          fields: { tenant_id: { raw: 'x' } },
        },
        secrets: [],
      },
      { signInAudience: 'AzureADMultipleOrgs' },
    );
    expect(changes.map((c) => c.kind)).toEqual([
      'nango-fields-changed',
      'nango-provider-changed',
      'nango-unique-key-changed',
      'redirect-uri-removed',
      'secret-lifetime-changed',
      'sign-in-audience-changed',
    ]);
  });
});
