import { Application } from '@cdktf/provider-azuread/lib/application';
import { ApplicationPasswordA } from '@cdktf/provider-azuread/lib/application-password';
import { ServicePrincipal } from '@cdktf/provider-azuread/lib/service-principal';
import { ServicePrincipalDelegatedPermissionGrant } from '@cdktf/provider-azuread/lib/service-principal-delegated-permission-grant';
import { Fn, TerraformStack, TerraformVariable, Testing, Token } from 'cdktf';
import { INTEGRATION_IDS, catalog, type IntegrationId } from '../../src/catalog/catalog';
import { MicrosoftIntegrationApp, SignInAudience } from '../../src/constructs/microsoft-integration-app';
import { type Synth, type TestProps, only, synthApp } from '../support/integration-app';
import { expectKindoError, type Fragment } from '../support/errors';
import { show } from '../../src/core/errors';

const delegated = INTEGRATION_IDS.filter((id) => catalog()[id].authFlow === 'delegated');

describe('MicrosoftIntegrationApp', () => {
  describe.each(delegated)('delegated integration %s', (id) => {
    const definition = catalog()[id];
    const { json, tf } = synthApp({ integration: id });

    test('registers a single-tenant app with Nango Cloud’s callback as Web redirect URI and exactly the catalog’s delegated permissions', () => {
      expect(json).toHaveResourceWithProperties(Application, {
        display_name: `Kindo - ${definition.displayName}`,
        sign_in_audience: 'AzureADMyOrg',
        web: { redirect_uris: ['https://api.nango.dev/oauth/callback'] },
      });
      expect(only(tf, 'azuread_application').required_resource_access).toEqual(
        definition.apis.map((api) => ({
          resource_app_id: api.resourceAppId,
          resource_access: api.permissions.map((p) => ({ id: p.id, type: 'Scope' })),
        })),
      );
    });

    test('creates the service principal and a client secret that is replaced before it is deleted', () => {
      expect(only(tf, 'azuread_service_principal').client_id).toMatch(
        /^\$\{azuread_application\.App_Application_[0-9A-F]+\.client_id\}$/,
      );
      expect(json).toHaveResourceWithProperties(ApplicationPasswordA, {
        end_date: '${timeadd(plantimestamp(), "4320h")}',
        lifecycle: { create_before_destroy: true, ignore_changes: ['end_date'] },
      });
    });

    test('grants tenant-wide admin consent per API holding exactly the catalog’s scope names', () => {
      const grants = Object.values<any>(tf.resource.azuread_service_principal_delegated_permission_grant);
      expect(grants.map((g) => g.claim_values)).toEqual(
        definition.apis.map((api) => api.permissions.map((p) => p.name)),
      );
      for (const g of grants) expect(g.user_object_id).toBeUndefined();
    });

    test('requests offline_access from Microsoft Graph and holds it in the Graph admin consent, so Nango’s sign-in asks users for nothing new', () => {
      const graphAccess = only(tf, 'azuread_application').required_resource_access.find(
        (r: any) => r.resource_app_id === '00000003-0000-0000-c000-000000000000',
      );
      expect(graphAccess.resource_access).toContainEqual({ id: '7427e0e9-2fba-42fe-b0c0-848c9e6a8182', type: 'Scope' });
      const grants = Object.values<any>(tf.resource.azuread_service_principal_delegated_permission_grant);
      expect(
        grants.find((g) => g.resource_service_principal_object_id.includes('KindoApiMicrosoftGraph')).claim_values,
      ).toContain('offline_access');
    });

    test('registers offline_access and the Graph scopes with Nango under kindo-<id>', () => {
      const sync = Object.entries<any>(tf.resource.terraform_data).find(([k]) => k.includes('Sync'))![1];
      const graph = definition.apis[0].permissions.map((p) => p.name).filter((n) => n !== 'offline_access');
      expect(sync.triggers_replace).toMatchObject({
        unique_key: `kindo-${id}`,
        provider: 'microsoft-tenant-specific',
        scopes: ['offline_access', ...graph].join(','),
      });
    });
  });

  describe('fabric', () => {
    const { json, tf } = synthApp({
      integration: 'fabric',
      nango: undefined,
      fabricSqlEndpointHost: 'foo.datawarehouse.fabric.microsoft.com,1433',
      fabricLakehouseDatabase: 'sales',
    });

    test('is a client-credentials app: no redirect URI, Graph User.Read only, no consent grant, no Nango registration', () => {
      const app = only(tf, 'azuread_application');
      expect(app.web).toBeUndefined();
      expect(app.required_resource_access).toEqual([
        {
          resource_app_id: '00000003-0000-0000-c000-000000000000',
          resource_access: [{ id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', type: 'Scope' }],
        },
      ]);
      expect(json).toHaveResource(ServicePrincipal);
      expect(json).toHaveResource(ApplicationPasswordA);
      expect(json).not.toHaveResource(ServicePrincipalDelegatedPermissionGrant);
      // Its only terraform_data is the owners' record: nothing of Nango.
      expect(Object.keys(tf.resource.terraform_data)).toEqual([expect.stringMatching(/^App_FirstApplier_/)]);
      // Graph is still read, to check User.Read's ID against the tenant at plan.
      expect(Object.keys(tf.data.azuread_service_principal)).toEqual(['KindoApiMicrosoftGraph']);
    });
  });

  test("registers the app's tenant as the Nango field tenant_id, and the fields given, in the plan-visible triggers", () => {
    const sync = (tf: Synth) =>
      Object.entries<any>(tf.resource.terraform_data).find(([k]) => k.includes('Sync'))![1].triggers_replace;
    expect(sync(synthApp({ integration: 'teams' }).tf)['field.tenant_id']).toBe(
      '${data.azuread_client_config.KindoClientConfig.tenant_id}',
    );
    const given = sync(
      synthApp({
        integration: 'purview-data-governance',
        tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        nangoFields: { purview_endpoint: 'https://contoso.purview.azure.com' },
      }).tf,
    );
    expect(given).toMatchObject({
      'field.tenant_id': '72f988bf-86f1-41af-91ab-2d7cd011db47',
      'field.purview_endpoint': 'https://contoso.purview.azure.com',
    });
    expect(
      sync(synthApp({ integration: 'teams', nangoFields: { tenant_id: '00000000-0000-0000-0000-000000000001' } }).tf)[
        'field.tenant_id'
      ],
    ).toBe('00000000-0000-0000-0000-000000000001');
  });

  test('keeps the tenant_id default under fields known only at plan (a token map), which may override it', () => {
    const { tf } = synthApp({
      integration: 'teams',
      nangoFields: Token.asStringMap(Fn.tomap({ subscription_id: '00000000-0000-0000-0000-000000000001' })),
    });
    const sync = Object.entries<any>(tf.resource.terraform_data).find(([k]) => k.includes('Sync'))![1];
    expect(sync.triggers_replace.fields).toBe(
      '${jsonencode(merge({"tenant_id" = data.azuread_client_config.KindoClientConfig.tenant_id}, tomap({"subscription_id" = "00000000-0000-0000-0000-000000000001"})))}',
    );
  });

  test('leaves admin consent to the operator when turned off, warning where APIs beyond Graph need it', () => {
    const { json, tf } = synthApp({ integration: 'defender', adminConsent: false });
    expect(json).not.toHaveResource(ServicePrincipalDelegatedPermissionGrant);
    // The APIs are still read, to check at plan that they exist and publish the requested scope IDs.
    expect(Object.keys(tf.data.azuread_service_principal)).toHaveLength(3);
    const stack = new TerraformStack(Testing.app(), 'warn');
    const secretKey = new TerraformVariable(stack, 'k', { type: 'string', sensitive: true }).stringValue;
    const app = new MicrosoftIntegrationApp(stack, 'App', {
      integration: 'defender',
      adminConsent: false,
      nango: { secretKey },
    });
    Testing.synth(stack);
    expect(app.node.metadata.map((m) => m.data)).toContain(
      "integration 'defender' also uses Microsoft Threat Protection, WindowsDefenderATP; Nango signs users in to Microsoft Graph only, so grant admin consent for these APIs in the Entra admin center before connecting (adminConsent is off; docs/nango-registration.md#integrations-that-span-several-apis-defender-purview-data-governance)",
    );
  });

  describe('owners', () => {
    const ownersOf = (props: Partial<TestProps>) => {
      const { tf } = synthApp({ integration: 'teams', ...props });
      const [record] = Object.keys(tf.resource.terraform_data).filter((k) => k.startsWith('App_FirstApplier_'));
      return {
        first: `terraform_data.${record}.input.object_id`,
        owners: [only(tf, 'azuread_application').owners, only(tf, 'azuread_service_principal').owners],
      };
    };

    test('are the identity that first applied the integration, by default', () => {
      const { first, owners } = ownersOf({});
      expect(owners).toEqual([[`\${${first}}`], [`\${${first}}`]]);
    });

    test('are the given ones, in lower case, and the identity that first applied the integration', () => {
      const { first, owners } = ownersOf({ owners: ['8F1A2B3C-4D5E-4F60-8A7B-9C0D1E2F3A4B'] });
      const expected = `\${distinct(concat(["8f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b"], [${first}]))}`;
      expect(owners).toEqual([expected, expected]);
    });

    test('take a list variable whole, each element in lower case, as the HCL module passes var.owners', () => {
      const stack = new TerraformStack(Testing.app(), 'test');
      const owners = new TerraformVariable(stack, 'owners', { type: 'list(string)' }).listValue;
      new MicrosoftIntegrationApp(stack, 'App', { integration: 'fabric', owners });
      const tf = JSON.parse(Testing.synth(stack));
      const [record] = Object.keys(tf.resource.terraform_data);
      const expected = `\${distinct(concat([ for key, val in toset(var.owners): lower(val)], [terraform_data.${record}.input.object_id]))}`;
      expect([only(tf, 'azuread_application').owners, only(tf, 'azuread_service_principal').owners]).toEqual([
        expected,
        expected,
      ]);
    });
  });

  test('refuses a second app of the same display name by default (prevent_duplicate_names), and creates one when told to', () => {
    expect(only(synthApp({ integration: 'teams' }).tf, 'azuread_application').prevent_duplicate_names).toBe(true);
    expect(
      only(synthApp({ integration: 'teams', preventDuplicateNames: false }).tf, 'azuread_application')
        .prevent_duplicate_names,
    ).toBe(false);
  });

  test("records which Kindo integration uses the app in its notes, and the service principal's", () => {
    const { tf, full } = synthApp({ integration: 'teams' });
    expect(only(tf, 'azuread_application').notes).toBe(
      "Kindo integration 'teams' (Microsoft Teams), managed by Terraform with kindo-microsoft-integrations. Permissions as in Kindo's guide.",
    );
    expect(only(tf, 'azuread_service_principal').notes).toBe("Kindo integration 'teams' (Microsoft Teams)");
    expect(
      Object.values<any>((full as any).resource.azuread_application)[0]['//']?.kindo_permission_deviations,
    ).toBeUndefined();
  });

  test('records each deviation from the guide in the notes, the API named where it is not Graph, cut at the 1024 characters Entra keeps', () => {
    const wdatp = catalog()
      .defender.apis.find((a) => a.name === 'WindowsDefenderATP')!
      .permissions.map((p) => p.name);
    const graphScope = catalog()
      .defender.apis.find((a) => a.name === 'Microsoft Graph')!
      .permissions.find((p) => p.name !== 'offline_access')!.name;
    const { tf, full } = synthApp({
      integration: 'defender',
      removePermissions: [graphScope, `WindowsDefenderATP/${wdatp[0]}`],
    });
    const base =
      "Kindo integration 'defender' (Microsoft Defender), managed by Terraform with kindo-microsoft-integrations.";
    expect(only(tf, 'azuread_application').notes).toBe(
      `${base} Deviates from Kindo's guide: -${graphScope} -WindowsDefenderATP/${wdatp[0]}`,
    );
    expect(
      Object.values<any>((full as any).resource.azuread_application)[0]['//'].kindo_permission_deviations,
    ).toHaveLength(2);
    const long = only(
      synthApp({ integration: 'defender', removePermissions: wdatp.map((n) => `WindowsDefenderATP/${n}`) }).tf,
      'azuread_application',
    ).notes;
    expect(long).toHaveLength(1024);
    expect(
      long.startsWith(
        `${base} Deviates from Kindo's guide: -WindowsDefenderATP/${wdatp[0]} -WindowsDefenderATP/${wdatp[1]}`,
      ),
    ).toBe(true);
  });

  test('takes a name prefix, a secret lifetime, a rotation key, a self-hosted Nango and its callback override', () => {
    const { tf } = synthApp({
      integration: 'outlook',
      namePrefix: 'Acme / ',
      secretLifetimeDays: 30,
      secretRotation: '2026-11',
      nango: { serverUrl: 'https://nango.example.com/', callbackUrl: 'https://auth.example.com/oauth/callback' },
    });
    const app = only(tf, 'azuread_application');
    expect(app.display_name).toBe('Acme / Microsoft Outlook');
    expect(app.web.redirect_uris).toEqual(['https://auth.example.com/oauth/callback']);
    const password = only(tf, 'azuread_application_password');
    expect(password.end_date).toBe('${timeadd(plantimestamp(), "720h")}');
    expect(password.rotate_when_changed).toEqual({ rotation: '2026-11' });
    const sync = Object.entries<any>(tf.resource.terraform_data).find(([k]) => k.includes('Sync'))![1];
    expect(sync.triggers_replace.server_url).toBe('https://nango.example.com');
  });

  test('names its client secret "Kindo integration", replaces it before deleting it, fixes its end date, and keys no rotation unless given one', () => {
    const password = only(synthApp({ integration: 'teams' }).tf, 'azuread_application_password');
    expect(password.display_name).toBe('Kindo integration');
    expect(password.lifecycle).toEqual({ create_before_destroy: true, ignore_changes: ['end_date'] });
    expect(password.rotate_when_changed).toBeUndefined();
  });

  test('warns before the secret expires, naming the integration, the expiry date and both ways to rotate', () => {
    const { tf } = synthApp({ integration: 'teams', secretExpiryWarningDays: 14 });
    const address = `azuread_application_password.${Object.keys(tf.resource.azuread_application_password)[0]}`;
    expect(Object.values<any>(tf.check).flatMap((c) => c.assert)).toEqual([
      {
        condition: `\${timecmp(${address}.end_date, timeadd(plantimestamp(), "336h")) > 0}`,
        error_message: `The client secret of Kindo integration 'teams' expires at \${${address}.end_date}, within 14 days: rotate it by changing secretRotation, or with terraform apply -replace=${address}`,
      },
    ]);
  });

  test('two apps in one stack keep their own Nango callback and secret lifetime', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const secretKey = new TerraformVariable(stack, 'nango_secret_key', { type: 'string', sensitive: true }).stringValue;
    new MicrosoftIntegrationApp(stack, 'Teams', {
      integration: 'teams',
      nango: { secretKey, serverUrl: 'https://nango-a.example.com' },
      secretLifetimeDays: 30,
    });
    new MicrosoftIntegrationApp(stack, 'Outlook', {
      integration: 'outlook',
      nango: { secretKey, serverUrl: 'https://nango-b.example.com' },
      secretLifetimeDays: 60,
    });
    const tf = JSON.parse(Testing.synth(stack));
    const byPrefix = (type: string, prefix: string) =>
      Object.entries<any>(tf.resource[type]).find(([name]) => name.startsWith(prefix))![1];
    expect(byPrefix('azuread_application', 'Teams_').web.redirect_uris).toEqual([
      'https://nango-a.example.com/oauth/callback',
    ]);
    expect(byPrefix('azuread_application', 'Outlook_').web.redirect_uris).toEqual([
      'https://nango-b.example.com/oauth/callback',
    ]);
    expect(byPrefix('azuread_application_password', 'Teams_').end_date).toBe('${timeadd(plantimestamp(), "720h")}');
    expect(byPrefix('azuread_application_password', 'Outlook_').end_date).toBe('${timeadd(plantimestamp(), "1440h")}');
  });

  test('fails if allowed groups are given without required assignment', () => {
    expectKindoError(
      () => synthApp({ integration: 'teams', allowedGroups: ['3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b'] }),
      'GROUPS_WITHOUT_ASSIGNMENT',
      ['`allowedGroups`', '["3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b"]'],
    );
  });

  test('accepts a multi-tenant app with a Nango provider that signs in at /common', () => {
    const { tf } = synthApp({
      integration: 'teams',
      signInAudience: SignInAudience.MULTI_TENANT,
      nangoProvider: 'microsoft-teams',
    });
    expect(only(tf, 'azuread_application').sign_in_audience).toBe('AzureADMultipleOrgs');
  });

  test('skips checks on values only known at apply', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const v = (name: string) => new TerraformVariable(stack, name, { type: 'string' }).stringValue;
    expect(
      () =>
        new MicrosoftIntegrationApp(stack, 'App', {
          integration: 'teams',
          nango: { serverUrl: v('server'), secretKey: v('key') },
          owners: [v('owner')],
          tenantId: v('tenant'),
          nangoUniqueKey: v('unique_key'),
          nangoProvider: v('provider'),
        }),
    ).not.toThrow();
  });

  describe('secret expiry warning', () => {
    test('checks every plan for a secret expiring within 30 days, or the days given, or not at all', () => {
      const condition = (tf: Synth) =>
        Object.values<any>(tf.check ?? {})
          .flatMap((c) => c.assert.map((a: any) => a.condition))
          .find((c: string) => c.includes('timecmp'));
      expect(condition(synthApp({ integration: 'teams' }).tf)).toMatch(
        /^\$\{timecmp\(azuread_application_password\.App_ClientSecret_[0-9A-F]+\.end_date, timeadd\(plantimestamp\(\), "720h"\)\) > 0\}$/,
      );
      expect(condition(synthApp({ integration: 'teams', secretExpiryWarningDays: 7 }).tf)).toContain('"168h"');
      expect(condition(synthApp({ integration: 'teams', secretExpiryWarningDays: 0 }).tf)).toBeUndefined();
    });
  });

  describe('least privilege', () => {
    const mailRead = {
      api: 'Microsoft Graph',
      name: 'Mail.Read',
      id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca',
      justification: 'Kindo drafts replies from the thread the user is reading',
    };

    test('drops removed permissions everywhere: app, consent grant and Nango scopes, and records them', () => {
      const { tf, full } = synthApp({ integration: 'outlook', removePermissions: ['Mail.Send'] });
      const app = only(tf, 'azuread_application');
      expect(app.required_resource_access[0].resource_access.map((r: any) => r.id)).not.toContain(
        'e383f46e-2787-4529-855e-0e479a3ffac0',
      );
      expect(only(tf, 'azuread_service_principal_delegated_permission_grant').claim_values).toEqual([
        'Contacts.Read',
        'People.Read',
        'User.Read',
        'offline_access',
      ]);
      const sync = Object.entries<any>(tf.resource.terraform_data).find(([k]) => k.includes('Sync'))![1];
      expect(sync.triggers_replace.scopes).toBe('offline_access,Contacts.Read,People.Read,User.Read');
      expect(app.notes).toMatch(/Deviates from Kindo's guide: -Mail\.Send$/);
      expect(only(full, 'azuread_application')['//'].kindo_permission_deviations).toEqual([
        {
          change: 'removed',
          api: 'Microsoft Graph',
          permission: 'Mail.Send',
          id: 'e383f46e-2787-4529-855e-0e479a3ffac0',
        },
      ]);
    });

    test('drops an API whose permissions are all removed, and qualifies names two APIs share', () => {
      const { tf } = synthApp({
        integration: 'defender',
        removePermissions: ['AdvancedHunting.Read', 'Incident.Read', 'WindowsDefenderATP/User.Read.All'],
      });
      const apps = only(tf, 'azuread_application').required_resource_access.map((r: any) => r.resource_app_id);
      expect(apps).toEqual(['00000003-0000-0000-c000-000000000000', 'fc780465-2017-40d4-a0c5-307022471b92']);
      expect(
        Object.values<any>(tf.resource.azuread_service_principal_delegated_permission_grant).flatMap(
          (g) => g.claim_values,
        ),
      ).not.toContain('User.Read.All');
    });

    test('adds a justified permission to the app, its consent and Nango, recorded with its justification', () => {
      const { tf, full } = synthApp({ integration: 'outlook', addPermissions: [mailRead] });
      const app = only(tf, 'azuread_application');
      expect(app.required_resource_access[0].resource_access).toContainEqual({ id: mailRead.id, type: 'Scope' });
      expect(only(tf, 'azuread_service_principal_delegated_permission_grant').claim_values).toContain('Mail.Read');
      expect(only(full, 'azuread_application')['//'].kindo_permission_deviations).toEqual([
        {
          change: 'added',
          api: 'Microsoft Graph',
          permission: 'Mail.Read',
          id: mailRead.id,
          justification: mailRead.justification,
          access: 'write',
          adminConsentRequired: true,
        },
      ]);
      expect(app.notes).toMatch(/\+Mail\.Read$/);
    });

    test('never requests application permissions', () => {
      for (const integration of INTEGRATION_IDS) {
        const { json } = synthApp({ integration, ...(integration === 'fabric' ? { nango: undefined } : {}) });
        expect(json).not.toMatch(/"type": "Role"/);
      }
    });

    test.each<[string, TestProps, string, Fragment[]]>([
      [
        'a removed permission is not in the list',
        { integration: 'outlook', removePermissions: ['Mail.Read'] },
        'UNKNOWN_PERMISSION',
        ['`removePermissions[0]`', "'Mail.Read'"],
      ],
      [
        'an added permission has no real justification',
        { integration: 'outlook', addPermissions: [{ ...mailRead, justification: 'needed' }] },
        'MISSING_JUSTIFICATION',
        ['`addPermissions[0].justification`', "'needed'"],
      ],
      [
        'an added permission names an unknown API',
        { integration: 'outlook', addPermissions: [{ ...mailRead, api: 'Office 365 Exchange Online' }] },
        'UNKNOWN_API',
        ['`addPermissions[0].api`', "'Office 365 Exchange Online'"],
      ],
      [
        'an added permission ID is not a GUID',
        { integration: 'outlook', addPermissions: [{ ...mailRead, id: 'Mail.Read' }] },
        'NOT_A_GUID',
        ['`addPermissions[0].id`', "'Mail.Read'"],
      ],
      [
        'an added permission contradicts the catalog',
        { integration: 'outlook', addPermissions: [{ ...mailRead, name: 'Calendars.Read' }] },
        'CONFLICTING_PERMISSION',
        ['`addPermissions[0].id`', "'570282fd-fa5c-430d-a7fd-fc8dc98a9dca'"],
      ],
      [
        'an added permission is already requested',
        {
          integration: 'outlook',
          addPermissions: [{ ...mailRead, name: 'Mail.Send', id: 'e383f46e-2787-4529-855e-0e479a3ffac0' }],
        },
        'CONFLICTING_PERMISSION',
        ['`addPermissions[0].name`', "'Mail.Send'"],
      ],
      [
        'Fabric is given permission changes',
        { integration: 'fabric', nango: undefined, removePermissions: ['User.Read'] },
        'SETTING_NOT_APPLICABLE',
        ['`removePermissions`', "'fabric'"],
      ],
    ])('fails if %s', (_name, props, code, fragments) => {
      expectKindoError(() => synthApp(props), code, fragments);
    });
  });

  describe('bad input', () => {
    const cases: [string, TestProps, string, Fragment[]][] = [
      [
        'the integration is unknown',
        { integration: 'hubspot' as IntegrationId },
        'UNKNOWN_INTEGRATION',
        ['`integration`', "'hubspot'"],
      ],
      [
        'the Nango server URL is plain http on a public host',
        { integration: 'teams', nango: { serverUrl: 'http://nango.example.com' } },
        'INSECURE_URL',
        ['`nango.serverUrl`', "'http://nango.example.com'"],
      ],
      [
        'the Nango server URL is not a URL',
        { integration: 'teams', nango: { serverUrl: 'api.nango.dev' } },
        'MALFORMED_URL',
        ['`nango.serverUrl`', "'api.nango.dev'"],
      ],
      [
        'the callback URL has a query string',
        { integration: 'teams', nango: { callbackUrl: 'https://api.nango.dev/oauth/callback?x=1' } },
        'URL_EXTRA_PARTS',
        ['`nango.callbackUrl`', "'https://api.nango.dev/oauth/callback?x=1'"],
      ],
      [
        'the secret lifetime is 0 days',
        { integration: 'teams', secretLifetimeDays: 0 },
        'OUT_OF_RANGE',
        ['`secretLifetimeDays`', /\b0\b/],
      ],
      [
        'the secret lifetime is over two years',
        { integration: 'teams', secretLifetimeDays: 731 },
        'OUT_OF_RANGE',
        ['`secretLifetimeDays`', '731'],
      ],
      [
        'the expiry warning is negative',
        { integration: 'teams', secretExpiryWarningDays: -1 },
        'OUT_OF_RANGE',
        ['`secretExpiryWarningDays`', '-1'],
      ],
      [
        'the secret lifetime is fractional',
        { integration: 'teams', secretLifetimeDays: 1.5 },
        'OUT_OF_RANGE',
        ['`secretLifetimeDays`', '1.5'],
      ],
      [
        'an owner is not a GUID',
        { integration: 'teams', owners: ['8f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b', 'alice@example.com'] },
        'NOT_A_GUID',
        ['`owners[1]`', "'alice@example.com'"],
      ],
      [
        'the tenant ID is not a GUID',
        { integration: 'teams', tenantId: 'contoso.onmicrosoft.com' },
        'NOT_A_GUID',
        ['`tenantId`', "'contoso.onmicrosoft.com'"],
      ],
      [
        'the Fabric SQL endpoint has no port',
        { integration: 'fabric', nango: undefined, fabricSqlEndpointHost: 'foo.datawarehouse.fabric.microsoft.com' },
        'PATTERN_MISMATCH',
        ['`fabricSqlEndpointHost`', "'foo.datawarehouse.fabric.microsoft.com'"],
      ],
      [
        'the Fabric SQL endpoint port is out of range',
        {
          integration: 'fabric',
          nango: undefined,
          fabricSqlEndpointHost: 'foo.datawarehouse.fabric.microsoft.com,70000',
        },
        'PATTERN_MISMATCH',
        ['`fabricSqlEndpointHost`', "'foo.datawarehouse.fabric.microsoft.com,70000'"],
      ],
      [
        'the Fabric database name has a quote',
        { integration: 'fabric', nango: undefined, fabricLakehouseDatabase: "sales'; drop" },
        'PATTERN_MISMATCH',
        ['`fabricLakehouseDatabase`', "'sales'; drop'"],
      ],
      [
        'a Fabric setting is given to another integration',
        { integration: 'teams', fabricLakehouseDatabase: 'sales' },
        'SETTING_NOT_APPLICABLE',
        ['`fabricLakehouseDatabase`', "'teams'"],
      ],
      [
        'Fabric is given Nango fields',
        { integration: 'fabric', nango: undefined, nangoFields: { tenant_id: '72f988bf-86f1-41af-91ab-2d7cd011db47' } },
        'SETTING_NOT_APPLICABLE',
        ['`nangoFields`', "'fabric'"],
      ],
      [
        'a Nango field names a password',
        { integration: 'purview-data-governance', nangoFields: { purview_password: 'x' } },
        'NANGO_FIELD_SECRET',
        ['`nangoFields`', "'purview_password'"],
      ],
      [
        'the Purview endpoint is not a Purview account URL',
        { integration: 'purview-data-governance', nangoFields: { purview_endpoint: 'https://contoso.example.com' } },
        'NANGO_FIELD_INVALID',
        ['`nangoFields.purview_endpoint`', "'https://contoso.example.com'"],
      ],
      [
        'Fabric is given a Nango provider',
        { integration: 'fabric', nangoProvider: 'microsoft-oauth2-cc' },
        'SETTING_NOT_APPLICABLE',
        ['`nangoProvider`', "'fabric'"],
      ],
      [
        'Fabric is to adopt a Nango integration',
        { integration: 'fabric', adoptExistingNangoIntegration: false },
        'SETTING_NOT_APPLICABLE',
        ['`adoptExistingNangoIntegration`', "'fabric'"],
      ],
      [
        'a delegated integration has no Nango settings',
        { integration: 'teams', nango: undefined },
        'MISSING_SETTING',
        ['`nango`', "'teams'"],
      ],
      [
        'the Nango provider is unknown',
        { integration: 'teams', nangoProvider: 'microsoft-graph' },
        'UNKNOWN_NANGO_PROVIDER',
        ['`nangoProvider`', "'microsoft-graph'"],
      ],
      [
        'the Nango provider uses client credentials',
        { integration: 'intune', nangoProvider: 'microsoft-intune' },
        'NANGO_PROVIDER_NOT_OAUTH2',
        ['`nangoProvider`', "'microsoft-intune'"],
      ],
      [
        'the Nango provider signs in at /common for a single-tenant app',
        { integration: 'teams', nangoProvider: 'microsoft-teams' },
        'NANGO_PROVIDER_WRONG_AUDIENCE',
        ['`nangoProvider`', "'microsoft-teams'"],
      ],
      [
        'the Nango unique key has a slash',
        { integration: 'teams', nangoUniqueKey: 'kindo/teams' },
        'PATTERN_MISMATCH',
        ['`nangoUniqueKey`', "'kindo/teams'"],
      ],
      [
        'the sign-in audience is one Kindo does not support',
        { integration: 'teams', signInAudience: 'PersonalMicrosoftAccount' as SignInAudience },
        'NOT_ONE_OF',
        ['`signInAudience`', "'PersonalMicrosoftAccount'"],
      ],
      [
        'the name prefix spans lines',
        { integration: 'teams', namePrefix: 'Kindo\n' },
        'PATTERN_MISMATCH',
        ['`namePrefix`', show('Kindo\n')],
      ],
    ];
    test.each(cases)('fails if %s', (_name, props, code, fragments) => {
      expectKindoError(() => synthApp(props), code, fragments);
    });
  });
});
