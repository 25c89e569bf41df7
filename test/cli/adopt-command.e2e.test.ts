import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { FIXTURE, OUTLOOK, TEAMS, TEAMS_GRANT } from '../support/adopt-fixture';
import { loadModule } from '../support/module';
import { captureOutput } from '../support/output';
import { hasTerraform, terraform } from '../support/terraform';
import { plannedImports, writeStandIn } from '../adopt/stand-in';

describe('adopt command', () => {
  const io = captureOutput();
  let dir: string;
  beforeAll(() => loadModule(), 120_000);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kindo-adopt-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test.skipIf(!hasTerraform)(
    'the HCL it prints is a root module: the module’s inputs take it, and its import blocks plan imports into the module with azuread 3.7’s IDs',
    async () => {
      expect(
        main([
          'adopt',
          '--integrations',
          'teams,outlook',
          '--input',
          FIXTURE,
          '--format',
          'hcl',
          '--module',
          'kindo_prod',
        ]),
      ).toBe(0);
      const printed = io.out.slice(io.out.indexOf('locals {'));
      expect(printed).toContain(
        [
          '  integrations = {',
          '    # Your Nango integrations made by hand: taken over and updated in place, connections kept (set their unique keys if not kindo-<id>).',
          '    "teams"   = { existing_app = local.kindo_existing_apps["teams"], nango = { adopt_existing = true } }',
          '    "outlook" = { existing_app = local.kindo_existing_apps["outlook"], nango = { adopt_existing = true } }',
          '    # and the integrations you do not adopt, as before',
          '  }',
        ].join('\n'),
      );
      expect(printed).toContain(
        'import {\n  for_each = local.kindo_existing_apps\n  to       = module.kindo_prod.azuread_application.this[each.key]\n  id       = "/applications/${each.value.application_object_id}"\n}',
      );
      // The module's own variables (types and validation) and locals; azuread cannot be downloaded here, so
      // terraform_data with the module's for_each stands in for its resources, and the import targets follow.
      await writeStandIn(
        dir,
        'main',
        [
          'azuread_application.this',
          'azuread_service_principal.this',
          'azuread_service_principal_delegated_permission_grant.this',
        ],
        printed,
        'kindo_prod',
        `  nango_secret_key = "${randomUUID()}"`,
      );
      expect((await terraform(dir, ['init', '-input=false'])).status).toBe(0);
      const plan = await terraform(dir, ['plan', '-input=false']);
      const imported = plannedImports(plan.output);
      expect(imported.sort(), plan.output).toEqual(
        [
          `module.kindo_prod.terraform_data.azuread_application__this["outlook"] /applications/${OUTLOOK.objectId}`,
          `module.kindo_prod.terraform_data.azuread_application__this["teams"] /applications/${TEAMS.objectId}`,
          `module.kindo_prod.terraform_data.azuread_service_principal__this["outlook"] /servicePrincipals/${OUTLOOK.sp}`,
          `module.kindo_prod.terraform_data.azuread_service_principal__this["teams"] /servicePrincipals/${TEAMS.sp}`,
          `module.kindo_prod.terraform_data.azuread_service_principal_delegated_permission_grant__this["teams/Microsoft Graph"] /oauth2PermissionGrants/${TEAMS_GRANT}`,
        ].sort(),
      );
      expect(plan.output).toContain('Plan: 5 to import, 1 to add, 0 to change, 0 to destroy.');
    },
  );
});
