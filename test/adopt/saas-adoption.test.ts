import { readFileSync } from 'node:fs';
import { parse } from '@cdktf/hcl2json';
import { TerraformStack, Testing } from 'cdktf';
import { readAzObjects } from '../../src/adopt/az-output';
import { saasModuleAddress } from '../../src/adopt/render-saas';
import { matchSaas } from '../../src/adopt/saas-match';
import { main } from '../../src/cli/main';
import { KindoSaasConsent } from '../../src/constructs/kindo-saas-consent';
import { SAAS, SAAS_FIXTURE } from '../support/adopt-fixture';
import { captureOutput } from '../support/output';

// Kindo SaaS consent given before Terraform, found in recorded az output and turned into
// KindoSaasConsent's `existing` prop and the root module's import blocks.

const clientIds = { teams: SAAS.teams.clientId, outlook: SAAS.outlook.clientId, fabric: SAAS.fabric.clientId };
const args = Object.entries(clientIds).flatMap(([id, client]) => ['--client-id', `${id}=${client}`]);
const allowedGroups = { teams: [SAAS.groups.security, SAAS.groups.everyone], fabric: [SAAS.groups.security] };

describe('adopt --saas', () => {
  const io = captureOutput();

  test('finds each client ID’s service principal, its tenant-wide grants by API and its default-access group assignments', () => {
    const match = matchSaas(readAzObjects(readFileSync(SAAS_FIXTURE, 'utf8'), SAAS_FIXTURE), clientIds);
    expect(match.missing).toEqual(['outlook']);
    expect(
      match.found.map((f) => [f.integration, f.servicePrincipalObjectId, f.grantIds, f.groupAssignmentIds]),
    ).toEqual([
      [
        'teams',
        SAAS.teams.sp,
        { 'Microsoft Graph': SAAS.teamsGrant },
        {
          [SAAS.groups.security]: SAAS.assignments.teamsSecurity,
          [SAAS.groups.everyone]: SAAS.assignments.teamsEveryone,
        },
      ],
      ['fabric', SAAS.fabric.sp, {}, { [SAAS.groups.security]: SAAS.assignments.fabricSecurity }],
    ]);
    // What is left alone, and what the first apply changes, in the operator's words.
    const teams = match.found[0].notes.join('\n');
    expect(teams).toContain('admin consent on Microsoft Graph adds ChannelMessage.ReadWrite');
    expect(teams).toContain('1 per-user consent grant(s) left in place');
    expect(teams).toContain(
      'group Teams admins (8f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b) holds app role 00000000-0000-0000-0000-000000000001',
    );
    expect(teams).toContain('1 user or service principal assignment(s) left in place');
  });

  test('the TypeScript is KindoSaasConsent’s existing prop: the construct imports exactly what was found', () => {
    expect(main(['adopt', '--saas', ...args, '--input', SAAS_FIXTURE, '--format', 'ts'])).toBe(0);
    expect(io.err).toContain("Found 2 service principal(s) of Kindo's apps: teams ('Kindo Teams'");
    expect(io.err).toContain('No service principal for: outlook; nothing to take over');
    const existing = new Function(`return ({${io.out}}).existing;`)();
    const stack = new TerraformStack(Testing.app(), 'test');
    new KindoSaasConsent(stack, 'Saas', { clientIds, existing, requireAssignment: true, allowedGroups });
    const tf = JSON.parse(Testing.synth(stack));
    const imports = Object.fromEntries(tf.import.map((i: { to: string; id: string }) => [i.id, i.to]));
    const name = (type: string, part: string) =>
      `${type}.${Object.keys(tf.resource[type]).find((k) => k.includes(part))!}`;
    const groups = (integration: string) => name('azuread_app_role_assignment', `${integration}_AllowedGroups`);
    expect(imports).toEqual({
      [`/servicePrincipals/${SAAS.teams.sp}`]: name('azuread_service_principal', 'teams'),
      [`/oauth2PermissionGrants/${SAAS.teamsGrant}`]: name(
        'azuread_service_principal_delegated_permission_grant',
        'teams',
      ),
      [`/servicePrincipals/${SAAS.teams.sp}/appRoleAssignedTo/${SAAS.assignments.teamsSecurity}`]: `${groups('teams')}["${SAAS.groups.security}"]`,
      [`/servicePrincipals/${SAAS.teams.sp}/appRoleAssignedTo/${SAAS.assignments.teamsEveryone}`]: `${groups('teams')}["${SAAS.groups.everyone}"]`,
      [`/servicePrincipals/${SAAS.fabric.sp}`]: name('azuread_service_principal', 'fabric'),
      [`/servicePrincipals/${SAAS.fabric.sp}/appRoleAssignedTo/${SAAS.assignments.fabricSecurity}`]: `${groups('fabric')}["${SAAS.groups.security}"]`,
    });
  });

  test('the HCL is the module’s integrations (client IDs, the groups found) and import blocks into the kindo-saas-consent module with azuread 3.7’s IDs', async () => {
    expect(
      main(['adopt', '--saas', ...args, '--input', SAAS_FIXTURE, '--format', 'hcl', '--module', 'kindo_saas']),
    ).toBe(0);
    const config = await parse('imports.tf', io.out);
    expect(Object.keys(config).sort()).toEqual(['import', 'module']);
    expect(config.module.kindo_saas[0]).toEqual({
      integrations: {
        teams: { client_id: SAAS.teams.clientId, allowed_groups: [SAAS.groups.security, SAAS.groups.everyone] },
        fabric: { client_id: SAAS.fabric.clientId, allowed_groups: [SAAS.groups.security] },
      },
      require_assignment: true,
    });
    const imports = config.import.map((i: { to: string; id: string }) => [i.to, i.id]);
    const address = (object: Parameters<typeof saasModuleAddress>[1], id: 'teams' | 'fabric', key?: string) =>
      `\${${saasModuleAddress('kindo_saas', object, id, key)}}`;
    expect(imports).toEqual([
      [address('servicePrincipal', 'teams'), `/servicePrincipals/${SAAS.teams.sp}`],
      [address('permissionGrant', 'teams', 'Microsoft Graph'), `/oauth2PermissionGrants/${SAAS.teamsGrant}`],
      [
        address('groupAssignment', 'teams', SAAS.groups.security),
        `/servicePrincipals/${SAAS.teams.sp}/appRoleAssignedTo/${SAAS.assignments.teamsSecurity}`,
      ],
      [
        address('groupAssignment', 'teams', SAAS.groups.everyone),
        `/servicePrincipals/${SAAS.teams.sp}/appRoleAssignedTo/${SAAS.assignments.teamsEveryone}`,
      ],
      [address('servicePrincipal', 'fabric'), `/servicePrincipals/${SAAS.fabric.sp}`],
      [
        address('groupAssignment', 'fabric', SAAS.groups.security),
        `/servicePrincipals/${SAAS.fabric.sp}/appRoleAssignedTo/${SAAS.assignments.fabricSecurity}`,
      ],
    ]);
    expect(saasModuleAddress('kindo_saas', 'permissionGrant', 'teams', 'Microsoft Graph')).toBe(
      'module.kindo_saas.azuread_service_principal_delegated_permission_grant.this["teams/Microsoft Graph"]',
    );
  });

  test('exits 3 when no client ID has a service principal in the tenant', () => {
    expect(main(['adopt', '--saas', '--client-id', `outlook=${SAAS.outlook.clientId}`, '--input', SAAS_FIXTURE])).toBe(
      3,
    );
    expect(io.out).toBe('');
    expect(io.err).toContain("Found 0 service principal(s) of Kindo's apps: none.");
  });
});
