import { AnnotationMetadataEntryType } from 'cdktf';
import { catalog, type IntegrationId } from '../../src/catalog/catalog';
import type { AddedPermission } from '../../src/catalog/permission-changes';
import { type Synth, type TestProps, only, synthApp } from '../support/integration-app';
import { expectKindoError, type Fragment } from '../support/errors';
import { show } from '../../src/core/errors';

// Limits at the edge and settings in pairs: each case sits on the boundary a mutated check would move.

const sync = (tf: Synth) =>
  Object.entries<any>(tf.resource.terraform_data).find(([k]) => k.includes('Sync'))![1].triggers_replace;
const permission = (id: IntegrationId, api: string, name: string) =>
  catalog()
    [id].apis.find((a) => a.name === api)!
    .permissions.find((p) => p.name === name)!;
const GUID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const FABRIC = { integration: 'fabric' as const, nango: undefined };

describe('MicrosoftIntegrationApp limits', () => {
  test('accepts a secret lifetime of 1 and of 730 days, the documented maximum, and warning days up to 730', () => {
    expect(
      only(synthApp({ integration: 'teams', secretLifetimeDays: 730 }).tf, 'azuread_application_password').end_date,
    ).toBe('${timeadd(plantimestamp(), "17520h")}');
    expect(
      only(synthApp({ integration: 'teams', secretLifetimeDays: 1 }).tf, 'azuread_application_password').end_date,
    ).toBe('${timeadd(plantimestamp(), "24h")}');
    expect(JSON.stringify(synthApp({ integration: 'teams', secretExpiryWarningDays: 730 }).tf.check)).toContain(
      '17520h',
    );
  });

  test.each<[string, TestProps, string, Fragment[]]>([
    [
      'the expiry warning is over two years',
      { integration: 'teams', secretExpiryWarningDays: 731 },
      'OUT_OF_RANGE',
      ['`secretExpiryWarningDays`', '731'],
    ],
    [
      'the Fabric SQL endpoint port is 65536',
      { ...FABRIC, fabricSqlEndpointHost: 'foo.datawarehouse.fabric.microsoft.com,65536' },
      'PATTERN_MISMATCH',
      ['`fabricSqlEndpointHost`', "'foo.datawarehouse.fabric.microsoft.com,65536'"],
    ],
    [
      'the Fabric SQL endpoint port is 0',
      { ...FABRIC, fabricSqlEndpointHost: 'foo.datawarehouse.fabric.microsoft.com,0' },
      'PATTERN_MISMATCH',
      ['`fabricSqlEndpointHost`', "'foo.datawarehouse.fabric.microsoft.com,0'"],
    ],
    [
      'the Fabric SQL endpoint port has a leading zero',
      { ...FABRIC, fabricSqlEndpointHost: 'foo.datawarehouse.fabric.microsoft.com,01433' },
      'PATTERN_MISMATCH',
      ['`fabricSqlEndpointHost`', "'foo.datawarehouse.fabric.microsoft.com,01433'"],
    ],
    [
      'the Fabric SQL endpoint port has six digits',
      { ...FABRIC, fabricSqlEndpointHost: 'foo.datawarehouse.fabric.microsoft.com,100000' },
      'PATTERN_MISMATCH',
      ['`fabricSqlEndpointHost`', "'foo.datawarehouse.fabric.microsoft.com,100000'"],
    ],
    [
      'the tenant ID has a character before the GUID',
      { integration: 'teams', tenantId: `x${GUID}` },
      'NOT_A_GUID',
      ['`tenantId`', `'x${GUID}'`],
    ],
    [
      'the tenant ID has a character after the GUID',
      { integration: 'teams', tenantId: `${GUID}x` },
      'NOT_A_GUID',
      ['`tenantId`', `'${GUID}x'`],
    ],
    [
      'the tenant ID ends in a newline',
      { integration: 'teams', tenantId: `${GUID}\n` },
      'NOT_A_GUID',
      ['`tenantId`', show(`${GUID}\n`)],
    ],
    [
      'the Nango server URL is ftp on a loopback host',
      { integration: 'teams', nango: { serverUrl: 'ftp://127.0.0.1:3003' } },
      'INSECURE_URL',
      ['`nango.serverUrl`', "'ftp://127.0.0.1:3003'"],
    ],
    [
      'the Nango server URL is ws on localhost',
      { integration: 'teams', nango: { serverUrl: 'ws://localhost:3003' } },
      'INSECURE_URL',
      ['`nango.serverUrl`', "'ws://localhost:3003'"],
    ],
    [
      'the Nango server URL is http on a host that only starts like a loopback one',
      { integration: 'teams', nango: { serverUrl: 'http://localhost.example.com' } },
      'INSECURE_URL',
      ['`nango.serverUrl`', "'http://localhost.example.com'"],
    ],
    [
      'the callback URL is http on another loopback address',
      { integration: 'teams', nango: { callbackUrl: 'http://127.0.0.2/oauth/callback' } },
      'INSECURE_URL',
      ['`nango.callbackUrl`', "'http://127.0.0.2/oauth/callback'"],
    ],
    [
      'the Nango server URL carries credentials',
      { integration: 'teams', nango: { serverUrl: 'https://user:pass@nango.example.com' } },
      'URL_EXTRA_PARTS',
      ['`nango.serverUrl`', "'https://user:pass@nango.example.com'"],
    ],
    [
      'the callback URL has a fragment',
      { integration: 'teams', nango: { callbackUrl: 'https://api.nango.dev/oauth/callback#x' } },
      'URL_EXTRA_PARTS',
      ['`nango.callbackUrl`', "'https://api.nango.dev/oauth/callback#x'"],
    ],
    [
      'the Nango unique key has 256 characters',
      { integration: 'teams', nangoUniqueKey: 'k'.repeat(256) },
      'PATTERN_MISMATCH',
      ['`nangoUniqueKey`', show('k'.repeat(256))],
    ],
    [
      'the Nango unique key is empty',
      { integration: 'teams', nangoUniqueKey: '' },
      'PATTERN_MISMATCH',
      ['`nangoUniqueKey`', "''"],
    ],
    [
      'the name prefix has 61 characters',
      { integration: 'teams', namePrefix: 'p'.repeat(61) },
      'PATTERN_MISMATCH',
      ['`namePrefix`', `'${'p'.repeat(61)}'`],
    ],
    [
      'a justification is under 20 characters once its padding is trimmed',
      {
        integration: 'outlook',
        addPermissions: [
          {
            api: 'Microsoft Graph',
            name: 'Mail.Read',
            id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca',
            justification: `${' '.repeat(20)}nineteen characters${' '.repeat(20)}`,
          },
        ],
      },
      'MISSING_JUSTIFICATION',
      ['`addPermissions[0].justification`', "'                    nineteen characters                    '"],
    ],
    [
      'Fabric is given a Nango unique key',
      { ...FABRIC, nangoUniqueKey: 'kindo-fabric' },
      'SETTING_NOT_APPLICABLE',
      ['`nangoUniqueKey`', "'fabric'"],
    ],
    [
      'a Fabric SQL endpoint is given to another integration',
      { integration: 'teams', fabricSqlEndpointHost: 'foo.datawarehouse.fabric.microsoft.com,1433' },
      'SETTING_NOT_APPLICABLE',
      ['`fabricSqlEndpointHost`', "'teams'"],
    ],
    [
      'Fabric is given an added permission',
      {
        ...FABRIC,
        addPermissions: [
          {
            api: 'Microsoft Graph',
            name: 'Mail.Read',
            id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca',
            justification: 'reads the mail of the service account',
          },
        ],
      },
      'SETTING_NOT_APPLICABLE',
      ['`addPermissions`', "'fabric'"],
    ],
    [
      'an added permission reuses an existing scope ID under another name',
      {
        integration: 'outlook',
        addPermissions: [
          {
            api: 'Microsoft Graph',
            name: 'Mail.SendAs',
            id: 'e383f46e-2787-4529-855e-0e479a3ffac0',
            justification: 'sends mail on behalf of the signed-in user',
          },
        ],
      },
      'CONFLICTING_PERMISSION',
      ['`addPermissions[0].name`', "'Mail.SendAs'"],
    ],
    [
      'an added permission name is not a scope name',
      {
        integration: 'outlook',
        addPermissions: [
          {
            api: 'Microsoft Graph',
            name: 'Mail Read',
            id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca',
            justification: 'reads the mail a user asks about',
          },
        ],
      },
      'PATTERN_MISMATCH',
      ['`addPermissions[0].name`', "'Mail Read'"],
    ],
  ])('fails if %s', (_name, props, code, fragments) => {
    expectKindoError(() => synthApp(props), code, fragments);
  });

  test('accepts Fabric SQL endpoint ports 1, 10000 and 65535, and 255-character Nango unique keys', () => {
    for (const port of [1, 10000, 65535]) {
      const host = `foo.datawarehouse.fabric.microsoft.com,${port}`;
      expect(synthApp({ ...FABRIC, fabricSqlEndpointHost: host }).app.fabricSqlEndpointHost).toBe(host);
    }
    expect(sync(synthApp({ integration: 'teams', nangoUniqueKey: 'k'.repeat(255) }).tf).unique_key).toBe(
      'k'.repeat(255),
    );
    expect(
      only(synthApp({ integration: 'teams', namePrefix: 'p'.repeat(60) }).tf, 'azuread_application').display_name,
    ).toBe(`${'p'.repeat(60)}Microsoft Teams`);
  });

  test('accepts http on localhost and [::1] for a local Nango, and drops every trailing slash of a server URL', () => {
    for (const [serverUrl, base] of [
      ['http://localhost:3003', 'http://localhost:3003'],
      ['http://[::1]:3003/', 'http://[::1]:3003'],
      ['https://nango.example.com//', 'https://nango.example.com'],
      ['https://nango.example.com/base//', 'https://nango.example.com/base'],
    ]) {
      const { tf } = synthApp({ integration: 'teams', nango: { serverUrl } });
      expect(only(tf, 'azuread_application').web.redirect_uris).toEqual([`${base}/oauth/callback`]);
      expect(sync(tf).server_url).toBe(base);
    }
  });

  test('accepts a justification of exactly 20 characters after trimming, and records it trimmed', () => {
    const justification = '  exactly twenty chars  ';
    expect(justification.trim()).toHaveLength(20);
    const add: AddedPermission = {
      api: 'Microsoft Graph',
      name: 'Mail.Read',
      id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca',
      justification,
    };
    const { full } = synthApp({ integration: 'outlook', addPermissions: [add] });
    expect(only(full, 'azuread_application')['//'].kindo_permission_deviations[0].justification).toBe(
      'exactly twenty chars',
    );
  });

  test('records an added permission as write needing admin consent unless declared otherwise', () => {
    const base = {
      api: 'Microsoft Graph',
      name: 'Mail.Read',
      id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca',
      justification: 'summaries of the mail a user asks about',
    };
    const recorded = (add: AddedPermission) =>
      synthApp({ integration: 'outlook', addPermissions: [add] }).app.permissionDeviations[0];
    expect(recorded(base)).toMatchObject({ access: 'write', adminConsentRequired: true });
    expect(recorded({ ...base, access: 'read', adminConsentRequired: false })).toMatchObject({
      access: 'read',
      adminConsentRequired: false,
    });
    const { app } = synthApp({
      integration: 'outlook',
      addPermissions: [{ ...base, access: 'read', adminConsentRequired: false }],
    });
    expect(app.apis[0].permissions.at(-1)).toMatchObject({
      name: 'Mail.Read',
      access: 'read',
      adminConsentRequired: false,
    });
  });

  test('adds a permission of an API the integration does not use yet: requested, consented and looked up, but not sent to Nango', () => {
    const machineRead = permission('defender', 'WindowsDefenderATP', 'Machine.Read');
    const { tf, app } = synthApp({
      integration: 'outlook',
      addPermissions: [
        {
          api: 'WindowsDefenderATP',
          name: machineRead.name,
          id: machineRead.id,
          justification: 'shows the devices a user signs in from',
        },
      ],
    });
    const wdatp = catalog().defender.apis.find((a) => a.name === 'WindowsDefenderATP')!.resourceAppId;
    expect(only(tf, 'azuread_application').required_resource_access).toContainEqual({
      resource_app_id: wdatp,
      resource_access: [{ id: machineRead.id, type: 'Scope' }],
    });
    const grants = Object.values<any>(tf.resource.azuread_service_principal_delegated_permission_grant);
    expect(grants.map((g) => g.claim_values)).toContainEqual([machineRead.name]);
    expect(Object.values<any>(tf.data.azuread_service_principal).map((d) => d.client_id)).toContain(wdatp);
    expect(sync(tf).scopes).not.toContain('Machine.Read');
    expect(app.apis.map((a) => a.name)).toEqual(['Microsoft Graph', 'WindowsDefenderATP']);
  });

  test('removing every Graph permission but offline_access, which cannot go, leaves Graph with offline_access alone, requested, consented and registered', () => {
    const [graphApi] = catalog().defender.apis;
    const graph = graphApi.permissions
      .filter((p) => p.name !== 'offline_access')
      .map((p) => `Microsoft Graph/${p.name}`);
    const { tf, app } = synthApp({ integration: 'defender', removePermissions: graph });
    const access = only(tf, 'azuread_application').required_resource_access;
    const offlineAccess = graphApi.permissions.find((p) => p.name === 'offline_access')!;
    expect(access.find((r: any) => r.resource_app_id === graphApi.resourceAppId).resource_access).toEqual([
      { id: offlineAccess.id, type: 'Scope' },
    ]);
    expect(app.permissionGrants.map((g) => g.node.id)).toEqual([
      'AdminConsentMicrosoftGraph',
      'AdminConsentMicrosoftThreatProtection',
      'AdminConsentWindowsDefenderATP',
    ]);
    expect(sync(tf).scopes).toBe('offline_access');
    expect(app.permissionDeviations.filter((d) => d.change === 'removed')).toHaveLength(graph.length);
  });

  test('refuses to remove offline_access, by name or with its API: Nango requests it at every sign-in', () => {
    for (const entry of ['offline_access', 'Microsoft Graph/offline_access'])
      expectKindoError(
        () => synthApp({ integration: 'outlook', removePermissions: ['Mail.Send', entry] }),
        'OFFLINE_ACCESS_REQUIRED',
        ['`removePermissions[1]`', `'${entry}'`],
      );
  });

  test('warns about other APIs only when admin consent is off and such APIs remain', () => {
    const warnings = (props: TestProps) =>
      synthApp(props).app.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN);
    expect(warnings({ integration: 'defender' })).toEqual([]);
    expect(warnings({ integration: 'teams', adminConsent: false })).toEqual([]);
    expect(
      warnings({
        integration: 'purview-data-governance',
        adminConsent: false,
        removePermissions: ['Microsoft Purview/Purview.DelegatedAccess'],
      }),
    ).toEqual([]);
    expect(warnings({ integration: 'purview-data-governance', adminConsent: false }).map((m) => m.data)).toEqual([
      "integration 'purview-data-governance' also uses Microsoft Purview; Nango signs users in to Microsoft Graph only, so grant admin consent for these APIs in the Entra admin center before connecting (adminConsent is off; docs/nango-registration.md#integrations-that-span-several-apis-defender-purview-data-governance)",
    ]);
  });
});
