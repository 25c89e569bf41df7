import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import type { IntegrationId } from '../../src/catalog/catalog';
import { KindoMicrosoftIntegrations } from '../../src/constructs/kindo-microsoft-integrations';
import {
  MicrosoftIntegrationApp,
  type MicrosoftIntegrationAppProps,
} from '../../src/constructs/microsoft-integration-app';
import { expectKindoError } from '../support/errors';

type Tf = Record<string, any>;

const OBJECT_ID = '0f8e2c6d-1b2a-4c3d-9e8f-7a6b5c4d3e2f';
const CLIENT_ID = '6e5d4c3b-2a19-4f08-8e7d-6c5b4a392817';
const SP_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const GRANT_ID = 'xyz0AbCdEfGhIjKlMnOpQrStUvWx-AbCdEfGhIjKlMn';
const SECRET_KEY_ID = '3d0b3d5f-8c55-4f1e-9d0c-2b7f0a1e4c11';

/** An app, by default with the Nango take-over that adopting a delegated app requires. */
function synthApp(props: Omit<MicrosoftIntegrationAppProps, 'nango'> & { integration: IntegrationId }): {
  tf: Tf;
  full: Tf;
  stack: TerraformStack;
} {
  const stack = new TerraformStack(Testing.app(), 'test');
  const secretKey = new TerraformVariable(stack, 'nango_secret_key', { type: 'string', sensitive: true }).stringValue;
  const delegated = props.integration !== 'fabric';
  new MicrosoftIntegrationApp(stack, 'App', {
    ...(delegated ? { adoptExistingNangoIntegration: true } : {}),
    ...props,
    nango: delegated ? { secretKey } : undefined,
  });
  return { tf: JSON.parse(Testing.synth(stack)), full: stack.toTerraform(), stack };
}

const address = (tf: Tf, type: string, part = ''): string =>
  `${type}.${Object.keys(tf.resource[type]).find((k) => k.includes(part))!}`;
const imports = (tf: Tf): Record<string, string> => Object.fromEntries((tf.import ?? []).map((i: Tf) => [i.to, i.id]));

describe('adopting an app registration made by hand', () => {
  test('imports the app by object ID, its service principal and its Graph consent grant with azuread 3.7’s import IDs', () => {
    const { tf } = synthApp({
      integration: 'teams',
      existingApplicationObjectId: OBJECT_ID,
      existingServicePrincipalObjectId: SP_ID,
      existingPermissionGrantIds: { 'Microsoft Graph': GRANT_ID },
    });
    expect(imports(tf)).toEqual({
      [address(tf, 'azuread_application')]: `/applications/${OBJECT_ID}`,
      [address(tf, 'azuread_service_principal')]: `/servicePrincipals/${SP_ID}`,
      [address(tf, 'azuread_service_principal_delegated_permission_grant')]: `/oauth2PermissionGrants/${GRANT_ID}`,
    });
    const lookup = Object.keys(tf.data.azuread_application)[0];
    expect(tf.data.azuread_application[lookup]).toEqual({ object_id: OBJECT_ID });
    expect(Object.values<Tf>(tf.resource.azuread_application_password)[0].application_id).toBe(
      `\${data.azuread_application.${lookup}.id}`,
    );
    expect(Object.values<Tf>(tf.resource.azuread_service_principal)[0].use_existing).toBeUndefined();
  });

  test('by client ID, imports the object ID the plan looks up (a data source, known at plan)', () => {
    const { tf } = synthApp({ integration: 'teams', existingApplicationClientId: CLIENT_ID });
    const lookup = Object.keys(tf.data.azuread_application)[0];
    expect(tf.data.azuread_application[lookup]).toEqual({ client_id: CLIENT_ID });
    expect(imports(tf)).toEqual({ [address(tf, 'azuread_application')]: `\${data.azuread_application.${lookup}.id}` });
  });

  test('gives the new client secret and Nango the adopted app’s IDs from the lookup, not from the resource being imported', () => {
    const { tf } = synthApp({ integration: 'outlook', existingApplicationClientId: CLIENT_ID });
    const lookup = `data.azuread_application.${Object.keys(tf.data.azuread_application)[0]}`;
    expect(Object.values<Tf>(tf.resource.azuread_application_password)[0].application_id).toBe(`\${${lookup}.id}`);
    const sync = Object.entries<Tf>(tf.resource.terraform_data).find(([k]) => k.includes('Sync'))![1];
    expect(sync.triggers_replace.client_id).toBe(`\${${lookup}.client_id}`);
  });

  test('the app, its service principal and its grants change only after the new secret is created and pushed to Nango', () => {
    const { tf } = synthApp({
      integration: 'defender',
      existingApplicationObjectId: OBJECT_ID,
      existingServicePrincipalObjectId: SP_ID,
    });
    const first = [address(tf, 'azuread_application_password'), address(tf, 'terraform_data', 'Sync')];
    const dependents = [
      ...Object.values<Tf>(tf.resource.azuread_application),
      ...Object.values<Tf>(tf.resource.azuread_service_principal),
      ...Object.values<Tf>(tf.resource.azuread_service_principal_delegated_permission_grant),
    ];
    expect(dependents).toHaveLength(5);
    for (const r of dependents) expect(r.depends_on).toEqual(first);
  });

  test('Fabric (no Nango): the app changes after its new secret exists', () => {
    const { tf } = synthApp({ integration: 'fabric', existingApplicationObjectId: OBJECT_ID });
    expect(Object.values<Tf>(tf.resource.azuread_application)[0].depends_on).toEqual([
      address(tf, 'azuread_application_password'),
    ]);
    expect(imports(tf)).toEqual({ [address(tf, 'azuread_application')]: `/applications/${OBJECT_ID}` });
  });

  test('without a service principal ID, takes over the one linked to the app at apply (use_existing)', () => {
    const { tf } = synthApp({ integration: 'teams', existingApplicationObjectId: OBJECT_ID });
    expect(Object.values<Tf>(tf.resource.azuread_service_principal)[0].use_existing).toBe(true);
    expect(Object.keys(imports(tf))).toEqual([address(tf, 'azuread_application')]);
  });

  test('records what is adopted and the hand-made secrets for the review report, and warns to remove the settings after the first apply', () => {
    const { full, stack } = synthApp({
      integration: 'teams',
      existingApplicationObjectId: OBJECT_ID,
      existingClientSecrets: [
        { keyId: SECRET_KEY_ID, expires: '2027-05-01T10:00:00Z', description: 'Kindo integration' },
      ],
    });
    expect(Object.values<Tf>(full.resource.azuread_application)[0]['//'].kindo_adoption).toEqual({
      application: { objectId: OBJECT_ID },
      servicePrincipalObjectId: null,
      permissionGrantIds: {},
      handMadeSecrets: [{ keyId: SECRET_KEY_ID, expires: '2027-05-01T10:00:00Z', description: 'Kindo integration' }],
    });
    const app = stack.node.findChild('App');
    const warnings = app.node.metadata.map((m) => String(m.data)).filter((d) => d.includes('adopts an existing app'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("integration 'teams'");
    expect(warnings[0]).toContain('remove its adoption settings');
    expect(warnings[0]).toContain('docs/adopting.md#6-clean-up-and-re-plan');
  });

  test('nothing is imported or looked up without adoption settings', () => {
    const { tf } = synthApp({ integration: 'teams' });
    expect(tf.import).toBeUndefined();
    expect(tf.data.azuread_application).toBeUndefined();
    expect(Object.values<Tf>(tf.resource.azuread_application)[0].depends_on).toBeUndefined();
  });

  describe('bad input', () => {
    test('fails if both an object ID and a client ID are given', () => {
      expectKindoError(
        () =>
          synthApp({
            integration: 'teams',
            existingApplicationObjectId: OBJECT_ID,
            existingApplicationClientId: CLIENT_ID,
          }),
        'ADOPTION_CONFLICT',
        ['`existingApplicationObjectId`', `'${OBJECT_ID}'`, '`existingApplicationClientId`', `'${CLIENT_ID}'`],
      );
    });

    test('fails if an ID is not a GUID', () => {
      expectKindoError(
        () => synthApp({ integration: 'teams', existingApplicationClientId: 'Kindo - Microsoft Teams' }),
        'NOT_A_GUID',
        ['`existingApplicationClientId`', "'Kindo - Microsoft Teams'"],
      );
      expectKindoError(
        () =>
          synthApp({
            integration: 'teams',
            existingApplicationObjectId: OBJECT_ID,
            existingServicePrincipalObjectId: '/servicePrincipals/x',
          }),
        'NOT_A_GUID',
        ['`existingServicePrincipalObjectId`', "'/servicePrincipals/x'"],
      );
      expectKindoError(
        () =>
          synthApp({
            integration: 'teams',
            existingApplicationObjectId: OBJECT_ID,
            existingClientSecrets: [{ keyId: 'abc' }],
          }),
        'NOT_A_GUID',
        ['`existingClientSecrets[0].keyId`', "'abc'"],
      );
    });

    test('fails if a service principal, grant or secret is given without the app registration', () => {
      expectKindoError(
        () => synthApp({ integration: 'teams', existingServicePrincipalObjectId: SP_ID }),
        'SETTING_NOT_APPLICABLE',
        ['`existingServicePrincipalObjectId`', "'teams'"],
      );
    });

    test('fails if a grant is named for an API the integration does not consent to', () => {
      expectKindoError(
        () =>
          synthApp({
            integration: 'teams',
            existingApplicationObjectId: OBJECT_ID,
            existingPermissionGrantIds: { WindowsDefenderATP: GRANT_ID },
          }),
        'SETTING_NOT_APPLICABLE',
        ["`existingPermissionGrantIds['WindowsDefenderATP']`", "'teams'"],
      );
      expectKindoError(
        () =>
          synthApp({
            integration: 'teams',
            adminConsent: false,
            existingApplicationObjectId: OBJECT_ID,
            existingPermissionGrantIds: { 'Microsoft Graph': GRANT_ID },
          }),
        'SETTING_NOT_APPLICABLE',
        ["`existingPermissionGrantIds['Microsoft Graph']`", "'teams'"],
      );
    });

    test('fails if an adopted delegated app says nothing about its Nango integration', () => {
      expectKindoError(
        () =>
          synthApp({
            integration: 'teams',
            existingApplicationObjectId: OBJECT_ID,
            adoptExistingNangoIntegration: undefined,
          }),
        'ADOPTED_APP_WITHOUT_NANGO_DECISION',
        ["'teams'", '`adoptExistingNangoIntegration`'],
      );
      expect(() =>
        synthApp({
          integration: 'teams',
          existingApplicationObjectId: OBJECT_ID,
          adoptExistingNangoIntegration: false,
        }),
      ).not.toThrow();
    });

    test('fails if a grant ID is not an oauth2PermissionGrant id', () => {
      expectKindoError(
        () =>
          synthApp({
            integration: 'teams',
            existingApplicationObjectId: OBJECT_ID,
            existingPermissionGrantIds: { 'Microsoft Graph': '/oauth2PermissionGrants/abc' },
          }),
        'PATTERN_MISMATCH',
        ["`existingPermissionGrantIds['Microsoft Graph']`", "'/oauth2PermissionGrants/abc'"],
      );
    });
  });

  describe('KindoMicrosoftIntegrations existingApps', () => {
    const build = (
      existingApps: Tf,
      integrations: IntegrationId[] = ['teams', 'outlook'],
      adoptExistingNangoIntegrations: IntegrationId[] = ['teams', 'outlook'],
    ) => {
      const stack = new TerraformStack(Testing.app(), 'test');
      const secretKey = new TerraformVariable(stack, 'nango_secret_key', { type: 'string', sensitive: true })
        .stringValue;
      new KindoMicrosoftIntegrations(stack, 'Kindo', {
        integrations,
        nango: { secretKey },
        existingApps,
        adoptExistingNangoIntegrations,
      });
      return JSON.parse(Testing.synth(stack)) as Tf;
    };

    test('imports only the integrations it names', () => {
      const tf = build({ outlook: { applicationObjectId: OBJECT_ID, servicePrincipalObjectId: SP_ID } });
      const app = Object.keys(tf.resource.azuread_application).find((k) => k.includes('outlook'))!;
      const sp = Object.keys(tf.resource.azuread_service_principal).find((k) => k.includes('outlook'))!;
      expect(imports(tf)).toEqual({
        [`azuread_application.${app}`]: `/applications/${OBJECT_ID}`,
        [`azuread_service_principal.${sp}`]: `/servicePrincipals/${SP_ID}`,
      });
    });

    test('fails if an adopted delegated app is not in adoptExistingNangoIntegrations, naming the Nango decision to make', () => {
      expectKindoError(
        () => build({ outlook: { applicationObjectId: OBJECT_ID } }, ['teams', 'outlook'], ['teams']),
        'ADOPTED_APP_WITHOUT_NANGO_DECISION',
        ["'outlook'", '`adoptExistingNangoIntegrations`'],
      );
    });

    test('an adopted Fabric app (not registered with Nango) needs no Nango decision', () => {
      const tf = build({ fabric: { applicationObjectId: OBJECT_ID } }, ['fabric'], []);
      expect(Object.values(imports(tf))).toEqual([`/applications/${OBJECT_ID}`]);
    });

    test('passes the take-over to the adopted app’s Nango registration', () => {
      const tf = build({ outlook: { applicationObjectId: OBJECT_ID } }, ['teams', 'outlook'], ['outlook']);
      const claims = Object.entries(tf.resource.terraform_data as Tf).filter(([k]) =>
        k.includes('_Nango_Registration_'),
      );
      const adoptOf = (id: string) =>
        claims.find(([k]) => k.includes(id))![1].provisioner[0]['local-exec'].environment.NANGO_ADOPT;
      expect([adoptOf('outlook'), adoptOf('teams')]).toEqual(['true', 'false']);
    });

    test('fails if it names an integration that is not selected', () => {
      expectKindoError(() => build({ fabric: { applicationObjectId: OBJECT_ID } }), 'SETTING_NOT_APPLICABLE', [
        '`existingApps`',
        "'fabric'",
      ]);
    });
  });
});

describe('adopting with IDs in upper case', () => {
  test('imports and looks up lower-case IDs, as Graph returns them', () => {
    const { tf, full } = synthApp({
      integration: 'teams',
      existingApplicationObjectId: OBJECT_ID.toUpperCase(),
      existingServicePrincipalObjectId: SP_ID.toUpperCase(),
      existingClientSecrets: [{ keyId: SECRET_KEY_ID.toUpperCase() }],
    });
    expect(Object.values(imports(tf)).sort()).toEqual(
      [`/applications/${OBJECT_ID}`, `/servicePrincipals/${SP_ID}`].sort(),
    );
    expect(Object.values<Tf>(tf.data.azuread_application)[0]).toEqual({ object_id: OBJECT_ID });
    const record = Object.values<Tf>(full.resource.azuread_application)[0]['//'].kindo_adoption;
    expect(record.handMadeSecrets[0].keyId).toBe(SECRET_KEY_ID);
  });
});
