import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { KindoMicrosoftIntegrations } from '../../src/constructs/kindo-microsoft-integrations';
import { KindoSaasConsent } from '../../src/constructs/kindo-saas-consent';
import type { WhoMayConnectOptions } from '../../src/constructs/who-may-connect';
import { synthBothModes } from '../support/both-modes';
import { expectKindoError } from '../support/errors';

type Synth = Record<string, any>;

const GROUP_A = '5b1c7e4a-9d2f-4e8b-a1c3-6f7d8e9a0b1c';
const GROUP_B = '6c2d8f5b-0e3a-4f9c-b2d4-7a8e9f0b1c2d';
const KINDO_TEAMS = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const KINDO_DEFENDER = '4a3b2c1d-6e5f-4a70-9b8c-1d0e2f3a4b5c';

/** The same options in both modes: self-managed (KindoMicrosoftIntegrations) and Kindo SaaS (KindoSaasConsent). */
const modes: Record<string, (stack: TerraformStack, options: WhoMayConnectOptions) => void> = {
  'self-managed': (stack, options) => {
    const secretKey = new TerraformVariable(stack, 'nango_secret_key', { type: 'string', sensitive: true }).stringValue;
    new KindoMicrosoftIntegrations(stack, 'Kindo', { integrations: ['teams'], nango: { secretKey }, ...options });
  },
  'Kindo SaaS': (stack, options) =>
    new KindoSaasConsent(stack, 'Kindo', { clientIds: { teams: KINDO_TEAMS }, ...options }),
};

function synth(mode: string, options: WhoMayConnectOptions | ((stack: TerraformStack) => WhoMayConnectOptions)): Synth {
  const stack = new TerraformStack(Testing.app(), 'test');
  modes[mode](stack, typeof options === 'function' ? options(stack) : options);
  return JSON.parse(Testing.synth(stack));
}

const only = (tf: Synth, type: string): [string, any] => {
  const all = Object.entries<any>(tf.resource?.[type] ?? {});
  expect(all, type).toHaveLength(1);
  return all[0];
};

describe.each(Object.keys(modes))('who may connect (%s)', (mode) => {
  test('requires assignment and assigns each allowed group the default access role, keyed by group ID', () => {
    const tf = synth(mode, { requireAssignment: true, allowedGroups: [GROUP_A, GROUP_B] });
    const [spName, sp] = only(tf, 'azuread_service_principal');
    expect(sp.app_role_assignment_required).toBe(true);
    const [, assignment] = only(tf, 'azuread_app_role_assignment');
    expect(assignment).toEqual({
      for_each: `\${toset(["${GROUP_A}", "${GROUP_B}"])}`,
      app_role_id: '00000000-0000-0000-0000-000000000000',
      principal_object_id: '${each.value}',
      resource_object_id: `\${azuread_service_principal.${spName}.object_id}`,
    });
  });

  test('assigns groups given in capitals by their lower-case IDs, as Graph returns them', () => {
    const tf = synth(mode, { requireAssignment: true, allowedGroups: [GROUP_A.toUpperCase()] });
    expect(only(tf, 'azuread_app_role_assignment')[1].for_each).toBe(`\${toset(["${GROUP_A}"])}`);
  });

  test('lists the enterprise application under Enterprise applications, where admins assign users and groups, tagged with its integration', () => {
    expect(only(synth(mode, {}), 'azuread_service_principal')[1].tags).toEqual(
      expect.arrayContaining(['WindowsAzureActiveDirectoryIntegratedApp', 'kindo-integration:teams']),
    );
  });

  test('assigns nobody when no group is given; required assignment then admits only those assigned in Entra', () => {
    const tf = synth(mode, { requireAssignment: true });
    expect(only(tf, 'azuread_service_principal')[1].app_role_assignment_required).toBe(true);
    expect(tf.resource.azuread_app_role_assignment).toBeUndefined();
  });

  test('fails if groups are given without required assignment', () => {
    expectKindoError(() => synth(mode, { allowedGroups: [GROUP_A] }), 'GROUPS_WITHOUT_ASSIGNMENT', [
      '`allowedGroups`',
      `["${GROUP_A}"]`,
    ]);
  });

  test('fails if a group is not a GUID', () => {
    expectKindoError(
      () => synth(mode, { requireAssignment: true, allowedGroups: [GROUP_A, 'Kindo users'] }),
      'NOT_A_GUID',
      ['`allowedGroups[1]`', "'Kindo users'"],
    );
  });

  test('checks at plan what is only known at plan: groups without required assignment stop it', () => {
    const tf = synth(mode, (stack) => ({
      requireAssignment: new TerraformVariable(stack, 'require_assignment', { type: 'bool' }).value as boolean,
      allowedGroups: new TerraformVariable(stack, 'allowed_groups', { type: 'list(string)' }).listValue,
    }));
    expect(only(tf, 'azuread_service_principal')[1].app_role_assignment_required).toBe('${var.require_assignment}');
    const [, assignment] = only(tf, 'azuread_app_role_assignment');
    // In lower case at plan too: azuread reads Graph's lower-case ID back, and a different case replaces the assignment.
    expect(assignment.for_each).toBe('${toset([ for key, val in toset(var.allowed_groups): lower(val)])}');
    expect(assignment.lifecycle.precondition).toEqual([
      {
        condition: '${var.require_assignment || length(var.allowed_groups) == 0}',
        error_message: expect.stringContaining(
          "integration 'teams': allowed groups are set but assignment is not required, so they restrict nobody. Nothing was changed.",
        ),
      },
    ]);
  });
});

/** Two integrations in both modes, for options given per integration. */
const twoModes: Record<string, (stack: TerraformStack, options: WhoMayConnectOptions) => void> = {
  'self-managed': (stack, options) => {
    const secretKey = new TerraformVariable(stack, 'nango_secret_key', { type: 'string', sensitive: true }).stringValue;
    new KindoMicrosoftIntegrations(stack, 'Kindo', {
      integrations: ['defender', 'teams'],
      nango: { secretKey },
      ...options,
    });
  },
  'Kindo SaaS': (stack, options) =>
    new KindoSaasConsent(stack, 'Kindo', { clientIds: { defender: KINDO_DEFENDER, teams: KINDO_TEAMS }, ...options }),
};

describe.each(Object.keys(twoModes))('who may connect, per integration (%s)', (mode) => {
  const synthTwo = (options: WhoMayConnectOptions): Synth => {
    const stack = new TerraformStack(Testing.app(), 'test');
    twoModes[mode](stack, options);
    return JSON.parse(Testing.synth(stack));
  };
  /** The integration of a block, from its name: `Kindo_<integration>_…`. */
  const byIntegration = (tf: Synth, type: string) =>
    Object.entries<any>(tf.resource[type]).map(([name, block]) => [name.split('_')[1], name, block] as const);

  test('assigns each integration only its own groups; an integration left out of the map gets none', () => {
    const tf = synthTwo({ requireAssignment: true, allowedGroups: { defender: [GROUP_A] } });
    const assignments = byIntegration(tf, 'azuread_app_role_assignment');
    expect(assignments.map(([id, , a]) => [id, a.for_each])).toEqual([['defender', `\${toset(["${GROUP_A}"])}`]]);
    const [, defenderSp] = byIntegration(tf, 'azuread_service_principal').find(([id]) => id === 'defender')!;
    expect(assignments[0][2].resource_object_id).toBe(`\${azuread_service_principal.${defenderSp}.object_id}`);
  });

  test('gives two integrations different groups', () => {
    const tf = synthTwo({ requireAssignment: true, allowedGroups: { defender: [GROUP_A], teams: [GROUP_B] } });
    const groups = Object.fromEntries(
      byIntegration(tf, 'azuread_app_role_assignment').map(([id, , a]) => [id, a.for_each]),
    );
    expect(groups).toEqual({ defender: `\${toset(["${GROUP_A}"])}`, teams: `\${toset(["${GROUP_B}"])}` });
  });

  test('fails if the map has an integration that is not set up', () => {
    expectKindoError(
      () => synthTwo({ requireAssignment: true, allowedGroups: { outlook: [GROUP_A] } }),
      'SETTING_NOT_APPLICABLE',
      ['`allowedGroups`', "'outlook'"],
    );
  });

  test("fails naming the integration's entry if its group is not a GUID, or its groups come without required assignment", () => {
    expectKindoError(
      () => synthTwo({ requireAssignment: true, allowedGroups: { teams: [GROUP_A, 'Kindo users'] } }),
      'NOT_A_GUID',
      ['`allowedGroups.teams[1]`', "'Kindo users'"],
    );
    expectKindoError(() => synthTwo({ allowedGroups: { defender: [GROUP_A] } }), 'GROUPS_WITHOUT_ASSIGNMENT', [
      '`allowedGroups.defender`',
      `["${GROUP_A}"]`,
    ]);
  });
});

test('self-managed apps leave app_role_assignment_required to Entra when requireAssignment is not set', () => {
  expect(only(synth('self-managed', {}), 'azuread_service_principal')[1]).not.toHaveProperty(
    'app_role_assignment_required',
  );
});

test('every service principal of both modes is listed under Enterprise applications and names its integration', () => {
  const tf = synthBothModes();
  const sps = Object.entries<any>(tf.resource.azuread_service_principal);
  expect(sps).toHaveLength(4);
  for (const [name, sp] of sps) {
    const integration = name.split('_')[1];
    expect(sp.tags, name).toContain('WindowsAzureActiveDirectoryIntegratedApp');
    expect(sp.tags, name).toContain(`kindo-integration:${integration}`);
  }
});
