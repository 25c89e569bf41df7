import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import type { IntegrationId } from '../../src/catalog/catalog';
import {
  KindoMicrosoftIntegrations,
  type KindoMicrosoftIntegrationsProps,
} from '../../src/constructs/kindo-microsoft-integrations';
import { duplicateNangoUniqueKey } from '../../src/constructs/kindo-microsoft-integrations';
import { expectKindoError, type Fragment } from '../support/errors';

type TestProps = Omit<KindoMicrosoftIntegrationsProps, 'nango'>;

function build(stack: TerraformStack, id: string, props: TestProps): KindoMicrosoftIntegrations {
  const secretKey =
    (stack.node.tryFindChild('nango_secret_key') as TerraformVariable | undefined) ??
    new TerraformVariable(stack, 'nango_secret_key', { type: 'string', sensitive: true });
  return new KindoMicrosoftIntegrations(stack, id, { nango: { secretKey: secretKey.stringValue }, ...props });
}

function synth(props: TestProps): Record<string, any> {
  const stack = new TerraformStack(Testing.app(), 'test');
  build(stack, 'Kindo', props);
  return JSON.parse(Testing.synth(stack));
}

describe('KindoMicrosoftIntegrations', () => {
  test('creates one app registration per selected integration and nothing for the others', () => {
    const tf = synth({ integrations: ['teams', 'fabric', 'defender'] });
    expect(
      Object.values<any>(tf.resource.azuread_application)
        .map((a) => a.display_name)
        .sort(),
    ).toEqual(['Kindo - Microsoft Defender', 'Kindo - Microsoft Fabric', 'Kindo - Microsoft Teams']);
  });

  test('looks up each API’s service principal once per stack, only for the APIs selected integrations use', () => {
    const lookups = (integrations: IntegrationId[]) =>
      Object.values<any>(synth({ integrations }).data.azuread_service_principal ?? {})
        .map((d) => d.client_id)
        .sort();
    expect(lookups(['outlook'])).toEqual(['00000003-0000-0000-c000-000000000000']);
    expect(lookups(['outlook', 'teams', 'sharepoint-online', 'intune'])).toEqual([
      '00000003-0000-0000-c000-000000000000',
    ]);
    expect(lookups(['defender', 'purview-data-governance', 'teams'])).toEqual([
      '00000003-0000-0000-c000-000000000000',
      '73c2949e-da2d-457a-9607-fcc665198967',
      '8ee8fdad-f234-4243-8f3b-15c294843740',
      'fc780465-2017-40d4-a0c5-307022471b92',
    ]);
    // Fabric requests Graph User.Read, whose ID is checked against the tenant too.
    expect(lookups(['fabric'])).toEqual(['00000003-0000-0000-c000-000000000000']);
    expect(
      synth({ integrations: ['defender', 'teams'] }).data.azuread_service_principals.KindoApiPresence.client_ids,
    ).toEqual([
      '00000003-0000-0000-c000-000000000000',
      '8ee8fdad-f234-4243-8f3b-15c294843740',
      'fc780465-2017-40d4-a0c5-307022471b92',
    ]);
  });

  test('applies per-integration Nango keys and providers', () => {
    const tf = synth({
      integrations: ['teams', 'outlook'],
      nangoUniqueKeys: { teams: 'teams-prod' },
      nangoProviders: { outlook: 'microsoft-tenant-specific' },
    });
    const keys = Object.entries<any>(tf.resource.terraform_data)
      .filter(([k]) => k.includes('Sync'))
      .map(([, v]) => v.triggers_replace.unique_key)
      .sort();
    expect(keys).toEqual(['kindo-outlook', 'teams-prod']);
  });

  test('takes over existing Nango integrations only for the integrations named', () => {
    const tf = synth({ integrations: ['teams', 'outlook'], adoptExistingNangoIntegrations: ['teams'] });
    const adopt = Object.entries<any>(tf.resource.terraform_data)
      .filter(([k]) => k.includes('Registration'))
      .map(([k, v]) => [k.split('_')[1], v.input.adopt_existing]);
    expect(Object.fromEntries(adopt)).toEqual({ teams: true, outlook: false });
  });

  test('looks the integrations to adopt up at plan when they are a token list', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const list = new TerraformVariable(stack, 'adopt', { type: 'list(string)' }).listValue;
    build(stack, 'Kindo', {
      integrations: ['teams', 'fabric'],
      adoptExistingNangoIntegrations: list as IntegrationId[],
    });
    const registration = Object.entries<any>(JSON.parse(Testing.synth(stack)).resource.terraform_data).find(([k]) =>
      k.includes('Registration'),
    )![1];
    expect(registration.input.adopt_existing).toBe('${contains(var.adopt, "teams")}');
    expect(registration.provisioner[0]['local-exec'].environment.NANGO_ADOPT).toBe('${contains(var.adopt, "teams")}');
  });

  test('fails if an integration to adopt is not selected, not delegated or unknown', () => {
    expectKindoError(
      () => synth({ integrations: ['teams'], adoptExistingNangoIntegrations: ['outlook'] }),
      'SETTING_NOT_APPLICABLE',
      ['`adoptExistingNangoIntegrations`', "'outlook'"],
    );
    expectKindoError(
      () => synth({ integrations: ['teams', 'fabric'], adoptExistingNangoIntegrations: ['fabric'] }),
      'SETTING_NOT_APPLICABLE',
      ['`adoptExistingNangoIntegrations`', "'fabric'"],
    );
    expectKindoError(
      () => synth({ integrations: ['teams'], adoptExistingNangoIntegrations: ['skype' as IntegrationId] }),
      'UNKNOWN_INTEGRATION',
      ['`adoptExistingNangoIntegrations[0]`', "'skype'"],
    );
  });

  test('deletes the Nango integration of every delegated integration not selected, at the address it had when selected', () => {
    const all = synth({ integrations: ['teams', 'outlook'] });
    expect(all.removed).toHaveLength(11);
    const teamsAddress = `terraform_data.${Object.keys(all.resource.terraform_data).find((k) => k.startsWith('Kindo_teams_Nango_Registration_'))}`;
    const narrowed = synth({ integrations: ['outlook'] });
    const from = narrowed.removed.map((r: any) => r.from);
    expect(from).toContain(teamsAddress);
    expect(from).not.toContain(expect.stringContaining('fabric'));
    expect(from.some((f: string) => f.startsWith('terraform_data.Kindo_outlook_Nango_'))).toBe(false);
    expect(narrowed.removed[0]).toMatchObject({
      lifecycle: { destroy: true },
      provisioner: [{ 'local-exec': { when: 'destroy', command: 'sh "$KINDO_NANGO_SCRIPT" delete' } }],
    });
  });

  test('applies per-integration Nango fields', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const kindo = build(stack, 'Kindo', {
      integrations: ['teams', 'purview-data-governance'],
      nangoFields: { 'purview-data-governance': { purview_endpoint: 'https://contoso.purview.azure.com' } },
    });
    expect(kindo.app('purview-data-governance')!.nangoRegistration!.fields).toMatchObject({
      purview_endpoint: 'https://contoso.purview.azure.com',
    });
    expect(Object.keys(kindo.app('teams')!.nangoRegistration!.fields)).toEqual(['tenant_id']);
  });

  test('applies per-integration permission removals and additions', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const kindo = build(stack, 'Kindo', {
      integrations: ['outlook', 'teams'],
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
    expect(kindo.app('outlook')!.permissionDeviations.map((d) => `${d.change} ${d.permission}`)).toEqual([
      'removed Mail.Send',
    ]);
    expect(kindo.app('teams')!.permissionDeviations.map((d) => `${d.change} ${d.permission}`)).toEqual([
      'added Mail.Read',
    ]);
  });

  test('passes the Fabric settings to the Fabric app', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const kindo = build(stack, 'Kindo', {
      integrations: ['fabric'],
      fabricSqlEndpointHost: 'x.datawarehouse.fabric.microsoft.com,1433',
      fabricLakehouseDatabase: 'sales',
    });
    expect(kindo.app('fabric')?.fabricSqlEndpointHost).toBe('x.datawarehouse.fabric.microsoft.com,1433');
  });

  describe('bad input', () => {
    test.each<[string, TestProps, string, Fragment[]]>([
      ['the selection is empty', { integrations: [] }, 'EMPTY_SELECTION', ['`integrations`']],
      [
        'an integration is unknown',
        { integrations: ['teams', 'hubspot' as IntegrationId] },
        'UNKNOWN_INTEGRATION',
        ['`integrations[1]`', "'hubspot'"],
      ],
      [
        'an integration is selected twice',
        { integrations: ['teams', 'outlook', 'teams'] },
        'DUPLICATE_INTEGRATION',
        ['`integrations`', "'teams'"],
      ],
      [
        'a unique key is set for an integration that is not selected',
        { integrations: ['teams'], nangoUniqueKeys: { outlook: 'x' } },
        'SETTING_NOT_APPLICABLE',
        ['`nangoUniqueKeys`', "'outlook'"],
      ],
      [
        'a provider is set for Fabric',
        { integrations: ['fabric'], nangoProviders: { fabric: 'microsoft-oauth2-cc' } },
        'SETTING_NOT_APPLICABLE',
        ['`nangoProviders`', "'fabric'"],
      ],
      [
        'Nango fields are set for Fabric',
        { integrations: ['fabric'], nangoFields: { fabric: { tenant_id: '00000000-0000-0000-0000-000000000001' } } },
        'SETTING_NOT_APPLICABLE',
        ['`nangoFields`', "'fabric'"],
      ],
      [
        'permissions are removed from Fabric',
        { integrations: ['fabric'], removePermissions: { fabric: ['User.Read'] } },
        'SETTING_NOT_APPLICABLE',
        ['`removePermissions`', "'fabric'"],
      ],
      [
        'Fabric settings are given without Fabric',
        { integrations: ['teams'], fabricSqlEndpointHost: 'x,1433' },
        'SETTING_NOT_APPLICABLE',
        ['`fabricSqlEndpointHost`', "'fabric'"],
      ],
    ])('fails if %s', (_name, props, code, fragments) => {
      expectKindoError(() => synth(props), code, fragments);
    });

    test('fails if two integrations of one stack share a Nango unique key', () => {
      const stack = new TerraformStack(Testing.app(), 'test');
      build(stack, 'Prod', { integrations: ['teams'] });
      build(stack, 'Other', { integrations: ['outlook'], nangoUniqueKeys: { outlook: 'kindo-teams' } });
      // A validation error, which cdktf reports by its message: the one duplicateNangoUniqueKey makes for this key and pair.
      expect(() => Testing.fullSynth(stack)).toThrow(
        duplicateNangoUniqueKey('kindo-teams', 'teams', 'outlook').message,
      );
    });
  });
});
