import { TerraformOutput, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { catalog } from '../../src/catalog/catalog';
import { effectivePermissions } from '../../src/catalog/effective-permissions';
import { KindoSaasConsent, type KindoSaasConsentProps } from '../../src/constructs/kindo-saas-consent';
import { expectKindoError } from '../support/errors';

type Synth = Record<string, any>;

// Made-up client IDs standing in for the ones Kindo publishes.
const KINDO = {
  teams: '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b',
  defender: '4a3b2c1d-6e5f-4a70-9b8c-1d0e2f3a4b5c',
  outlook: '5b4c3d2e-7f6a-4b80-8c9d-2e1f3a4b5c6d',
  fabric: '6c5d4e3f-8a7b-4c90-9dae-3f2a4b5c6d7e',
} as const;
const OWNER = '8f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';

function synth(props: Partial<KindoSaasConsentProps> = {}): { tf: Synth; consent: KindoSaasConsent } {
  const stack = new TerraformStack(Testing.app(), 'test');
  const consent = new KindoSaasConsent(stack, 'Saas', { clientIds: KINDO, ...props });
  return { tf: JSON.parse(Testing.synth(stack)), consent };
}

const byClientId = (tf: Synth, clientId: string): [string, any] => {
  const found = Object.entries<any>(tf.resource.azuread_service_principal).filter(
    ([, sp]) => sp.client_id === clientId,
  );
  expect(found).toHaveLength(1);
  return found[0];
};
const grantsOf = (tf: Synth, spName: string): any[] =>
  Object.values<any>(tf.resource.azuread_service_principal_delegated_permission_grant ?? {}).filter(
    (g) => g.service_principal_object_id === `\${azuread_service_principal.${spName}.object_id}`,
  );
const apiOf = (tf: Synth, grant: any): string => {
  const name = /data\.azuread_service_principal\.([A-Za-z0-9_]+)\[0\]\.object_id/.exec(
    grant.resource_service_principal_object_id,
  )![1];
  return tf.data.azuread_service_principal[name].client_id;
};

describe('KindoSaasConsent', () => {
  const { tf, consent } = synth();

  test("creates one service principal per integration for Kindo's client ID, adopting one that already exists", () => {
    expect(Object.keys(tf.resource.azuread_service_principal)).toHaveLength(4);
    for (const [integration, clientId] of Object.entries(KINDO)) {
      const [, sp] = byClientId(tf, clientId);
      expect(sp.use_existing).toBe(true);
      expect(sp.tags).toEqual([
        'WindowsAzureActiveDirectoryIntegratedApp',
        'kindo-microsoft-integrations:saas',
        `kindo-integration:${integration}`,
      ]);
      expect(sp.notes).toMatch(
        new RegExp(
          `^Kindo integration '${integration}' \\(${catalog()[integration as keyof typeof KINDO].displayName}\\), Kindo SaaS`,
        ),
      );
      expect(sp.notes).toContain(
        'Removing the integration or destroying the stack deletes this enterprise application, revoking every consent and assignment it holds.',
      );
      expect(sp.app_role_assignment_required).toBe(false);
      expect(sp.owners).toEqual([
        expect.stringMatching(/^\$\{terraform_data\.Saas_\w+_FirstApplier_\w+\.input\.object_id\}$/),
      ]);
    }
    expect(tf.resource).not.toHaveProperty('azuread_application');
  });

  test.each(['teams', 'defender', 'outlook'] as const)(
    "consents %s's catalog scopes tenant-wide, one grant per API",
    (integration) => {
      const [spName] = byClientId(tf, KINDO[integration]);
      const grants = grantsOf(tf, spName);
      const apis = catalog()[integration].apis;
      expect(grants.map((g) => apiOf(tf, g))).toEqual(apis.map((a) => a.resourceAppId));
      grants.forEach((g, i) => {
        expect(g.claim_values).toEqual(apis[i].permissions.map((p) => p.name));
        expect(g).not.toHaveProperty('user_object_id');
      });
    },
  );

  test.each(['teams', 'defender', 'outlook'] as const)(
    "holds offline_access in %s's Graph grant, taken from the catalog (guide-directed where its table lacks it)",
    (integration) => {
      expect(grantsOf(tf, byClientId(tf, KINDO[integration])[0])[0].claim_values).toContain('offline_access');
    },
  );

  test('gives up creating a service principal after 3 minutes, not azuread’s 10: a wrong identity or client ID fails sooner', () => {
    for (const sp of Object.values<Record<string, unknown>>(tf.resource.azuread_service_principal))
      expect(sp.timeouts).toEqual({ create: '3m' });
  });

  test('grants Fabric nothing: client credentials never sign a user in', () => {
    expect(grantsOf(tf, byClientId(tf, KINDO.fabric)[0])).toEqual([]);
    expect(consent.integration('fabric')!.apis).toEqual([]);
  });

  test("shares the tenant preflight: one presence lookup of the APIs, one lookup per API with the scopes' ID checks", () => {
    const presence = tf.data.azuread_service_principals.KindoApiPresence;
    const needed = [
      ...new Set(
        ['teams', 'defender', 'outlook'].flatMap((i) => catalog()[i as 'teams'].apis.map((a) => a.resourceAppId)),
      ),
    ].sort();
    expect(presence.client_ids).toEqual(needed);
    expect(presence.ignore_missing).toBe(true);
    expect(presence.lifecycle.postcondition.map((p: any) => p.error_message).join('\n')).toContain(
      "Kindo SaaS integration 'defender'",
    );
    expect(Object.keys(tf.data.azuread_service_principal)).toHaveLength(needed.length);
    const graph = tf.data.azuread_service_principal.KindoApiMicrosoftGraph;
    expect(graph.lifecycle.postcondition).toHaveLength(1);
    expect(graph.lifecycle.postcondition[0].condition).toContain(
      '{name = "offline_access", id = "7427e0e9-2fba-42fe-b0c0-848c9e6a8182"}',
    );
  });

  test('applies the same removals and justified additions as the self-managed mode, and records them in the notes', () => {
    const added = {
      api: 'Microsoft Graph',
      name: 'Mail.Read',
      id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca',
      justification: 'Kindo reads messages it is asked to triage',
    };
    const { tf: changed, consent: c } = synth({
      removePermissions: { outlook: ['Mail.Send'] },
      addPermissions: { outlook: [added] },
    });
    const expected = effectivePermissions(catalog().outlook, ['Mail.Send'], [added]);
    const [spName, sp] = byClientId(changed, KINDO.outlook);
    expect(grantsOf(changed, spName)[0].claim_values).toEqual(expected.apis[0].permissions.map((p) => p.name));
    expect(grantsOf(changed, spName)[0].claim_values).not.toContain('Mail.Send');
    expect(c.integration('outlook')!.permissionDeviations).toEqual(expected.deviations);
    expect(sp.notes).toContain("Deviates from Kindo's guide: -Mail.Send +Mail.Read");
  });

  test("outputs each service principal's object ID by integration", () => {
    expect(Object.keys(consent.servicePrincipalObjectIds)).toEqual(['defender', 'fabric', 'outlook', 'teams']);
    const stack = new TerraformStack(Testing.app(), 'test');
    const ids = new KindoSaasConsent(stack, 'Saas', { clientIds: KINDO }).servicePrincipalObjectIds;
    for (const [integration, id] of Object.entries(ids)) new TerraformOutput(stack, integration, { value: id });
    const out = JSON.parse(Testing.synth(stack));
    for (const [integration, clientId] of Object.entries(KINDO)) {
      expect(out.output[integration].value).toBe(
        `\${azuread_service_principal.${byClientId(out, clientId)[0]}.object_id}`,
      );
    }
  });

  test('owners are the given ones, in lower case, and the identity that first applied the integration', () => {
    const { tf } = synth({ owners: [OWNER.toUpperCase()] });
    const [, sp] = byClientId(tf, KINDO.teams);
    const [record] = Object.keys(tf.resource.terraform_data).filter((k) => k.startsWith('Saas_teams_FirstApplier_'));
    expect(sp.owners).toBe(`\${distinct(concat(["${OWNER}"], [terraform_data.${record}.input.object_id]))}`);
  });

  test("uses Kindo's client IDs in lower case, as Graph returns them, so that a client ID in capitals never replaces the service principal", () => {
    const { tf, consent } = synth({ clientIds: { teams: KINDO.teams.toUpperCase() } });
    expect(byClientId(tf, KINDO.teams)[1].client_id).toBe(KINDO.teams);
    expect(consent.integration('teams')!.clientId).toBe(KINDO.teams);
  });

  test('takes client IDs from variables, checked by Terraform, and lower-cases them at plan', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const id = new TerraformVariable(stack, 'kindo_teams_client_id', { type: 'string' }).stringValue;
    new KindoSaasConsent(stack, 'Saas', { clientIds: { teams: id } });
    const sps = Object.values<any>(JSON.parse(Testing.synth(stack)).resource.azuread_service_principal);
    expect(sps.map((sp) => sp.client_id)).toEqual(['${lower(var.kindo_teams_client_id)}']);
  });

  test('fails if offline_access is removed: Nango requests it at every sign-in', () => {
    expectKindoError(
      () => synth({ removePermissions: { outlook: ['Mail.Send', 'offline_access'] } }),
      'OFFLINE_ACCESS_REQUIRED',
      ['`removePermissions.outlook[1]`', "'offline_access'"],
    );
  });

  test('fails if no integration is given', () => {
    expectKindoError(() => synth({ clientIds: {} }), 'EMPTY_SELECTION', ['`clientIds`']);
  });

  test('fails if an integration id is unknown', () => {
    expectKindoError(() => synth({ clientIds: { slack: KINDO.teams } as never }), 'UNKNOWN_INTEGRATION', [
      '`clientIds`',
      "'slack'",
    ]);
  });

  test('fails if a client ID is not a GUID', () => {
    expectKindoError(() => synth({ clientIds: { teams: 'kindo-teams' } }), 'NOT_A_GUID', [
      '`clientIds.teams`',
      "'kindo-teams'",
    ]);
  });

  test('fails if two integrations share a client ID', () => {
    expectKindoError(
      () => synth({ clientIds: { teams: KINDO.teams, outlook: KINDO.teams.toUpperCase() } }),
      'DUPLICATE_CLIENT_ID',
      ['`clientIds`', "'outlook'", "'teams'", `'${KINDO.teams}'`],
    );
  });

  test('fails if a permission change names an integration that is not given, or Fabric', () => {
    expectKindoError(
      () => synth({ clientIds: { teams: KINDO.teams }, removePermissions: { outlook: ['Mail.Send'] } }),
      'SETTING_NOT_APPLICABLE',
      ['`removePermissions`', "'outlook'"],
    );
    expectKindoError(() => synth({ removePermissions: { fabric: ['User.Read'] } }), 'SETTING_NOT_APPLICABLE', [
      '`removePermissions`',
      "'fabric'",
    ]);
  });

  test('fails if an owner is not a GUID', () => {
    expectKindoError(() => synth({ owners: ['me'] }), 'NOT_A_GUID', ['`owners[0]`', "'me'"]);
  });
});
