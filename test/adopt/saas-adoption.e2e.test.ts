import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraformStack, Testing } from 'cdktf';
import { main } from '../../src/cli/main';
import { KindoSaasConsent } from '../../src/constructs/kindo-saas-consent';
import { SAAS, SAAS_FIXTURE } from '../support/adopt-fixture';
import { loadModule } from '../support/module';
import { captureOutput } from '../support/output';
import { hasTerraform, terraform } from '../support/terraform';
import { plannedImports, writeStandIn } from './stand-in';

// Terraform 1.11 on the imports `adopt --saas` leads to, without the azuread provider: terraform_data
// stands in for each azuread resource, at the same address and with the same for_each.

const clientIds = { teams: SAAS.teams.clientId, outlook: SAAS.outlook.clientId, fabric: SAAS.fabric.clientId };
const args = Object.entries(clientIds).flatMap(([id, client]) => ['--client-id', `${id}=${client}`]);
const allowedGroups = { teams: [SAAS.groups.security, SAAS.groups.everyone], fabric: [SAAS.groups.security] };
const assignment = (sp: string, id: string) => `/servicePrincipals/${sp}/appRoleAssignedTo/${id}`;

describe.skipIf(!hasTerraform)('Kindo SaaS consent taken over, planned by terraform', () => {
  const io = captureOutput();
  let dir: string;
  beforeAll(() => loadModule(), 120_000);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kindo-saas-adopt-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('the printed import blocks import into the kindo-saas-consent module, grants and group assignments included', async () => {
    expect(main(['adopt', '--saas', ...args, '--input', SAAS_FIXTURE, '--format', 'hcl', '--module', 'saas'])).toBe(0);
    await writeStandIn(
      dir,
      'saas',
      [
        'azuread_service_principal.this',
        'azuread_service_principal_delegated_permission_grant.this',
        'azuread_app_role_assignment.allowed_groups',
      ],
      io.out,
      'saas',
      '',
    );
    expect((await terraform(dir, ['init', '-input=false'])).status).toBe(0);
    const plan = await terraform(dir, ['plan', '-input=false']);
    expect(plan.status, plan.output).toBe(0);
    const at = (resource: string, key: string) => `module.saas.terraform_data.${resource}["${key}"]`;
    expect(plannedImports(plan.output).sort()).toEqual(
      [
        `${at('azuread_service_principal__this', 'teams')} /servicePrincipals/${SAAS.teams.sp}`,
        `${at('azuread_service_principal__this', 'fabric')} /servicePrincipals/${SAAS.fabric.sp}`,
        `${at('azuread_service_principal_delegated_permission_grant__this', 'teams/Microsoft Graph')} /oauth2PermissionGrants/${SAAS.teamsGrant}`,
        `${at('azuread_app_role_assignment__allowed_groups', `teams/${SAAS.groups.security}`)} ${assignment(SAAS.teams.sp, SAAS.assignments.teamsSecurity)}`,
        `${at('azuread_app_role_assignment__allowed_groups', `teams/${SAAS.groups.everyone}`)} ${assignment(SAAS.teams.sp, SAAS.assignments.teamsEveryone)}`,
        `${at('azuread_app_role_assignment__allowed_groups', `fabric/${SAAS.groups.security}`)} ${assignment(SAAS.fabric.sp, SAAS.assignments.fabricSecurity)}`,
      ].sort(),
    );
  });

  test('the construct’s import blocks, one per group assignment of a for_each resource, are accepted as written', async () => {
    expect(main(['adopt', '--saas', ...args, '--input', SAAS_FIXTURE, '--format', 'ts'])).toBe(0);
    const existing = new Function(`return ({${io.out}}).existing;`)();
    const stack = new TerraformStack(Testing.app(), 'test');
    new KindoSaasConsent(stack, 'Saas', { clientIds, existing, requireAssignment: true, allowedGroups });
    const tf = JSON.parse(Testing.synth(stack));
    // Each azuread resource becomes a terraform_data of the same name and for_each; the imports follow.
    const resources: Record<string, object> = {};
    for (const [type, byName] of Object.entries<Record<string, { for_each?: unknown }>>(tf.resource))
      for (const [name, body] of Object.entries(byName))
        if (type.startsWith('azuread_')) resources[name] = body.for_each ? { for_each: body.for_each } : {};
    const imports = tf.import.map((i: { to: string; id: string }) => ({
      to: i.to.replace(/^azuread_\w+\./, 'terraform_data.'),
      id: i.id,
    }));
    writeFileSync(
      join(dir, 'main.tf.json'),
      JSON.stringify({ resource: { terraform_data: resources }, import: imports }),
    );
    expect((await terraform(dir, ['init', '-input=false'])).status).toBe(0);
    const plan = await terraform(dir, ['plan', '-input=false']);
    expect(plan.status, plan.output).toBe(0);
    const planned = plannedImports(plan.output);
    expect(planned).toHaveLength(6);
    expect(planned.filter((p) => p.includes('/appRoleAssignedTo/'))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(
            `_AllowedGroups_\\w+\\["${SAAS.groups.everyone}"\\] ${assignment(SAAS.teams.sp, SAAS.assignments.teamsEveryone)}$`,
          ),
        ),
      ]),
    );
  });
});
