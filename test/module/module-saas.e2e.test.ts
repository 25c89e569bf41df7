import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { TerraformStack, Testing } from 'cdktf';
import { SAAS_MODULE_PATH } from '../../scripts/module/saas';
import { catalog, type IntegrationId } from '../../src/catalog/catalog';
import { KindoSaasConsent, type KindoSaasConsentProps } from '../../src/constructs/kindo-saas-consent';
import { duplicateClientId } from '../../src/constructs/kindo-saas-consent';
import { groupsWithoutAssignment } from '../../src/constructs/who-may-connect';
import { notGuid } from '../../src/core/validate';
import { type Body, ROOT, loadModule, saas, unwrap } from '../support/module';
import { inputsDir } from '../support/module-terraform';
import { consoleValue, hasTerraform, terraform, terraformEnv } from '../support/terraform';

const DIR = join(ROOT, SAAS_MODULE_PATH);

// Made-up client IDs standing in for the ones Kindo publishes, and made-up group IDs.
const KINDO = {
  teams: '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b',
  defender: '4a3b2c1d-6e5f-4a70-9b8c-1d0e2f3a4b5c',
  outlook: '5b4c3d2e-7f6a-4b80-8c9d-2e1f3a4b5c6d',
  fabric: '6c5d4e3f-8a7b-4c90-9dae-3f2a4b5c6d7e',
} as const;
const SECURITY_TEAM = '5b1c7e4a-9d2f-4e8b-a1c3-6f7d8e9a0b1c';
const EVERYONE = '6c2d8f5b-0e3a-4f9c-b2d4-7a8e9f0b1c2d';
const MAIL_READ = {
  api: 'Microsoft Graph',
  name: 'Mail.Read',
  id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca',
  justification: 'Kindo summarizes mail about the channels it reads',
};

describe.skipIf(!hasTerraform)('Kindo SaaS submodule evaluated by terraform (terraform on the PATH)', () => {
  let dir: string;
  beforeAll(async () => {
    await loadModule();
    dir = await inputsDir('saas');
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function evaluate(vars: Record<string, string>, expression: string): any {
    return consoleValue(dir, vars, expression);
  }

  /** The module's variables for the construct's props. */
  const varsOf = (props: KindoSaasConsentProps): Record<string, string> => {
    const integrations = Object.fromEntries(
      Object.entries(props.clientIds).map(([id, clientId]) => [
        id,
        {
          client_id: clientId,
          ...(props.removePermissions?.[id as IntegrationId]
            ? { remove_permissions: props.removePermissions[id as IntegrationId] }
            : {}),
          ...(props.addPermissions?.[id as IntegrationId]
            ? { add_permissions: props.addPermissions[id as IntegrationId] }
            : {}),
          ...(props.allowedGroups &&
          !Array.isArray(props.allowedGroups) &&
          (props.allowedGroups as Record<string, string[]>)[id]
            ? { allowed_groups: (props.allowedGroups as Record<string, string[]>)[id] }
            : {}),
        },
      ]),
    );
    return {
      integrations: JSON.stringify(integrations),
      ...(props.requireAssignment ? { require_assignment: 'true' } : {}),
      ...(Array.isArray(props.allowedGroups) ? { allowed_groups: JSON.stringify(props.allowedGroups) } : {}),
    };
  };

  /** Per integration, what the construct synthesizes: its notes, its grants' scopes by API, its groups. */
  function fromConstruct(
    props: KindoSaasConsentProps,
  ): Record<string, { notes: string; grants: Record<string, string[]>; groups: string[] }> {
    const stack = new TerraformStack(Testing.app(), 'saas');
    const consent = new KindoSaasConsent(stack, 'KindoSaas', props);
    const tf = stack.toTerraform() as { resource: Record<string, Record<string, Body>> };
    const resolved = (o: { friendlyUniqueId: string }, type: string) => tf.resource[type][o.friendlyUniqueId];
    return Object.fromEntries(
      consent.integrations.map((i) => [
        i.definition.id,
        {
          notes: resolved(i.servicePrincipal, 'azuread_service_principal').notes,
          grants: Object.fromEntries(
            i.permissionGrants.map((g, n) => [
              i.apis[n].name,
              resolved(g, 'azuread_service_principal_delegated_permission_grant').claim_values,
            ]),
          ),
          groups: i.allowedGroups
            ? (JSON.parse(
                unwrap(resolved(i.allowedGroups, 'azuread_app_role_assignment').for_each).replace(
                  /^toset\((.*)\)$/,
                  '$1',
                ),
              ) as string[])
            : [],
        },
      ]),
    );
  }

  /** The same, from the module's own expressions evaluated by `terraform console`. */
  function fromModule(
    props: KindoSaasConsentProps,
  ): Record<string, { notes: string; grants: Record<string, string[]>; groups: string[] }> {
    const sp = saas().resource.azuread_service_principal.this;
    const grant = saas().resource.azuread_service_principal_delegated_permission_grant.this;
    const assignment = saas().resource.azuread_app_role_assignment.allowed_groups;
    const entries = Object.keys(props.clientIds).map((id) => {
      const q = JSON.stringify(id);
      const notes = unwrap(sp.notes)
        .replace(/\beach\.key\b/g, q)
        .replace(/\beach\.value\b/g, `local.integrations[${q}]`);
      const grants = `{ for key, pair in ${unwrap(grant.for_each)} : pair.api => ${unwrap(grant.claim_values).replace(/\beach\.value\b/g, 'pair')} if pair.integration == ${q} }`;
      const groups = `[for key, pair in ${unwrap(assignment.for_each)} : pair.group if pair.integration == ${q}]`;
      return `${q} = { notes = ${notes}, grants = ${grants}, groups = ${groups} }`;
    });
    return evaluate(varsOf(props), `{ ${entries.join(', ')} }`);
  }

  test.each<[string, KindoSaasConsentProps]>([
    ['one integration', { clientIds: { teams: KINDO.teams } }],
    [
      'one list of groups for every integration',
      {
        clientIds: { teams: KINDO.teams, defender: KINDO.defender },
        requireAssignment: true,
        allowedGroups: [EVERYONE],
      },
    ],
    ['three APIs and Fabric, which has no grant', { clientIds: { defender: KINDO.defender, fabric: KINDO.fabric } }],
    [
      'a removal, a justified addition and groups per integration',
      {
        clientIds: { teams: KINDO.teams, outlook: KINDO.outlook, defender: KINDO.defender },
        removePermissions: { outlook: ['Mail.Send'] },
        addPermissions: { teams: [MAIL_READ] },
        requireAssignment: true,
        allowedGroups: { defender: [SECURITY_TEAM], teams: [SECURITY_TEAM, EVERYONE] },
      },
    ],
  ])(
    "%s: notes, grants by API and groups equal the construct's",
    (_, props) => {
      const module = fromModule(props);
      const construct = fromConstruct(props);
      for (const id of Object.keys(construct)) {
        expect(module[id].notes, `${id} notes`).toBe(construct[id].notes);
        expect(module[id].grants, `${id} grants`).toEqual(construct[id].grants);
        expect([...module[id].groups].sort(), `${id} groups`).toEqual([...construct[id].groups].sort());
      }
      expect(Object.keys(module).sort()).toEqual(Object.keys(construct).sort());
    },
    60_000,
  );

  const one = (settings: Record<string, unknown> = {}) =>
    JSON.stringify({ teams: { client_id: KINDO.teams, ...settings } });

  test('admin_consent = false leaves out every grant', () => {
    const grant = saas().resource.azuread_service_principal_delegated_permission_grant.this;
    expect(evaluate({ integrations: one(), admin_consent: 'false' }, `length(${unwrap(grant.for_each)})`)).toBe(0);
    expect(evaluate({ integrations: one() }, `length(${unwrap(grant.for_each)})`)).toBe(catalog().teams.apis.length);
  }, 60_000);

  test("writes Kindo's client IDs, the owners and the group IDs in lower case, however they are given", () => {
    const sp = saas().resource.azuread_service_principal.this;
    const assignment = saas().resource.azuread_app_role_assignment.allowed_groups;
    const values = evaluate(
      {
        integrations: JSON.stringify({
          teams: { client_id: KINDO.teams.toUpperCase(), allowed_groups: [SECURITY_TEAM.toUpperCase()] },
        }),
        require_assignment: 'true',
        owners: JSON.stringify([EVERYONE.toUpperCase()]),
      },
      `{ client_id = ${unwrap(sp.client_id).replace('each.value', 'local.integrations["teams"]')}, owners = local.owners, groups = [for key, pair in ${unwrap(assignment.for_each)} : ${unwrap(assignment.principal_object_id).replace('each.value', 'pair')}] }`,
    );
    expect(values).toEqual({ client_id: KINDO.teams, owners: [EVERYONE], groups: [SECURITY_TEAM] });
  }, 60_000);

  // The construct's messages, with the module's names in place of the props'.
  const construct = (error: () => never) => {
    try {
      error();
    } catch (e) {
      return (e as Error).message;
    }
  };
  const guid = notGuid('x', 'y').message.split('; ')[1];
  const base = {
    integrations: JSON.stringify({ teams: { client_id: KINDO.teams }, defender: { client_id: KINDO.defender } }),
  };
  test.concurrent.each<[string, Record<string, string>, string]>([
    [
      'client_id',
      {
        integrations: JSON.stringify({ teams: { client_id: 'kindo-teams' }, defender: { client_id: KINDO.defender } }),
      },
      `integrations["teams"].client_id is "kindo-teams"; ${guid.replace(/'/g, '"')}.`,
    ],
    [
      'client_id',
      {
        integrations: JSON.stringify({
          teams: { client_id: KINDO.teams },
          defender: { client_id: KINDO.teams.toUpperCase() },
        }),
      },
      construct(() => {
        throw duplicateClientId('integrations', KINDO.teams, 'defender', 'teams');
      })!
        .replace(
          /`integrations` gives integrations 'defender' and 'teams' the same client ID '([^']+)'/,
          'integrations gives defender and teams the same client_id $1',
        )
        .concat('.'),
    ],
    [
      'allowed_groups',
      { require_assignment: 'true', integrations: one({ allowed_groups: [SECURITY_TEAM, 'Kindo users'] }) },
      `integrations["teams"].allowed_groups[1] is "Kindo users"; ${guid.replace(/'/g, '"')}.`,
    ],
    [
      'allowed_groups',
      { integrations: one({ allowed_groups: [SECURITY_TEAM] }) },
      construct(() => {
        throw groupsWithoutAssignment('allowedGroups', [SECURITY_TEAM]);
      })!
        .replace('`allowedGroups` is ', 'integrations["teams"].allowed_groups is ')
        .replace('`requireAssignment` is not true', 'require_assignment is not true')
        .replace(
          'expected `requireAssignment: true` with the groups, or no `allowedGroups`',
          'expected require_assignment = true with the groups, or no allowed_groups.',
        ),
    ],
    ['owners', { owners: '["alice"]' }, 'owners has alice; expected object IDs (GUIDs)'],
    [
      'remove_permissions',
      { integrations: JSON.stringify({ fabric: { client_id: KINDO.fabric, remove_permissions: ['User.Read'] } }) },
      'integrations["fabric"] changes its permissions; expected remove_permissions and add_permissions only for delegated integrations',
    ],
    [
      'remove_permissions',
      { integrations: one({ remove_permissions: ['offline_access'] }) },
      'integrations["teams"].remove_permissions[0] is "offline_access"; expected it kept',
    ],
    [
      'add_permissions',
      { integrations: one({ add_permissions: [{ ...MAIL_READ, justification: 'mail' }] }) },
      'integrations["teams"].add_permissions[0].justification is "mail"; expected a justification of at least 20 characters',
    ],
    [
      'integrations',
      { integrations: JSON.stringify({ teams: { client_id: KINDO.teams }, skype: { client_id: KINDO.outlook } }) },
      'integrations has unknown ids: skype',
    ],
  ])(
    'fails if %s is invalid (%j), naming the input, the value and what is expected',
    async (_, vars, message) => {
      const result = await terraform(dir, ['plan', '-input=false', '-lock=false'], { ...base, ...vars });
      expect(result.status).toBe(1);
      expect(result.output.replace(/[│╷╵]/g, '').replace(/\s+/g, ' ')).toContain(message);
    },
    60_000,
  );

  test('accepts Kindo SaaS inputs with groups per integration and for all', async () => {
    const result = await terraform(dir, ['plan', '-input=false', '-lock=false'], {
      integrations: JSON.stringify({
        teams: { client_id: KINDO.teams, remove_permissions: ['Chat.ReadWrite'] },
        defender: { client_id: KINDO.defender, allowed_groups: [SECURITY_TEAM] },
      }),
      require_assignment: 'true',
      allowed_groups: JSON.stringify([EVERYONE]),
    });
    expect(result.status, result.output).toBe(0);
  }, 60_000);

  test('is formatted as `terraform fmt` formats it, and so is examples/saas', () => {
    for (const target of [DIR, join(ROOT, 'examples', 'saas')]) {
      const run = spawnSync('terraform', ['fmt', '-check', '-diff', '-no-color', target], {
        env: terraformEnv(),
        encoding: 'utf8',
      });
      expect(run.status, run.stdout).toBe(0);
    }
  }, 60_000);
});
