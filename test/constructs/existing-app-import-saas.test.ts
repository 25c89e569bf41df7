import { TerraformStack, Testing } from 'cdktf';
import type { ExistingSaasConsent } from '../../src/constructs/existing-app';
import { KindoSaasConsent, type KindoSaasConsentProps } from '../../src/constructs/kindo-saas-consent';
import { SAAS } from '../support/adopt-fixture';
import { expectKindoError } from '../support/errors';

// KindoSaasConsent's `existing`: consent given before Terraform imported instead of created.

type Tf = Record<string, any>;

const teams: ExistingSaasConsent = {
  servicePrincipalObjectId: SAAS.teams.sp,
  permissionGrantIds: { 'Microsoft Graph': SAAS.teamsGrant },
  groupAssignmentIds: { [SAAS.groups.security]: SAAS.assignments.teamsSecurity },
};

function synth(props: Partial<KindoSaasConsentProps>): Tf {
  const stack = new TerraformStack(Testing.app(), 'test');
  new KindoSaasConsent(stack, 'Saas', {
    clientIds: { teams: SAAS.teams.clientId, fabric: SAAS.fabric.clientId },
    requireAssignment: true,
    allowedGroups: [SAAS.groups.security],
    ...props,
  });
  return JSON.parse(Testing.synth(stack));
}

describe('KindoSaasConsent taking over consent given before Terraform', () => {
  test('imports the service principal, the tenant-wide grant and the group assignment with azuread 3.7’s IDs', () => {
    const tf = synth({ existing: { teams } });
    expect(tf.import.map((i: Tf) => i.id)).toEqual([
      `/servicePrincipals/${SAAS.teams.sp}`,
      `/oauth2PermissionGrants/${SAAS.teamsGrant}`,
      `/servicePrincipals/${SAAS.teams.sp}/appRoleAssignedTo/${SAAS.assignments.teamsSecurity}`,
    ]);
    const assignment = Object.keys(tf.resource.azuread_app_role_assignment).find((k) => k.includes('teams'));
    expect(tf.import[2].to).toBe(`azuread_app_role_assignment.${assignment}["${SAAS.groups.security}"]`);
  });

  test('writes GUIDs in lower case, as Graph returns them and the group assignments are keyed', () => {
    const tf = synth({
      existing: {
        teams: {
          servicePrincipalObjectId: SAAS.teams.sp.toUpperCase(),
          groupAssignmentIds: { [SAAS.groups.security.toUpperCase()]: SAAS.assignments.teamsSecurity },
        },
      },
    });
    expect(tf.import.map((i: Tf) => i.id)).toEqual([
      `/servicePrincipals/${SAAS.teams.sp}`,
      `/servicePrincipals/${SAAS.teams.sp}/appRoleAssignedTo/${SAAS.assignments.teamsSecurity}`,
    ]);
    expect(tf.import[1].to).toContain(`["${SAAS.groups.security}"]`);
  });

  test('imports nothing without it', () => {
    expect(synth({}).import).toBeUndefined();
  });

  test.each([
    ['an integration not in clientIds', { outlook: teams }, 'SETTING_NOT_APPLICABLE', ['`existing`', "'outlook'"]],
    [
      'a service principal ID that is not a GUID',
      { teams: { ...teams, servicePrincipalObjectId: 'Kindo Teams' } },
      'NOT_A_GUID',
      ['`existing.teams.servicePrincipalObjectId`', "'Kindo Teams'"],
    ],
    [
      'a grant on an API the integration does not consent to',
      { teams: { ...teams, permissionGrantIds: { WindowsDefenderATP: SAAS.teamsGrant } } },
      'SETTING_NOT_APPLICABLE',
      ['`existing.teams.permissionGrantIds`', "'WindowsDefenderATP'"],
    ],
    [
      'a grant for Fabric, which consents to nothing',
      { fabric: { servicePrincipalObjectId: SAAS.fabric.sp, permissionGrantIds: { 'Microsoft Graph': 'g' } } },
      'SETTING_NOT_APPLICABLE',
      ['`existing.fabric.permissionGrantIds`', "'Microsoft Graph'"],
    ],
    [
      'an assignment of a group not in allowedGroups',
      { teams: { ...teams, groupAssignmentIds: { [SAAS.groups.everyone]: SAAS.assignments.teamsEveryone } } },
      'SETTING_NOT_APPLICABLE',
      ['`existing.teams.groupAssignmentIds`', `'${SAAS.groups.everyone}'`, 'allowedGroups'],
    ],
    [
      'an assignment ID with characters Graph does not use',
      { teams: { ...teams, groupAssignmentIds: { [SAAS.groups.security]: 'a"]; x' } } },
      'PATTERN_MISMATCH',
      [`\`existing.teams.groupAssignmentIds['${SAAS.groups.security}']\``, "'a\"]; x'"],
    ],
  ])('refuses %s, naming the field and the value', (_name, existing, code, fragments) => {
    expectKindoError(() => synth({ existing: existing as KindoSaasConsentProps['existing'] }), code, fragments);
  });
});
