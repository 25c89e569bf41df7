import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INTEGRATION_IDS } from '../../src/catalog/catalog';
import { main } from '../../src/cli/main';
import { loadModule } from '../support/module';
import { captureOutput } from '../support/output';
import { hasTerraform, terraform, terraformEnv } from '../support/terraform';
import { HOSTILE_NAMES, HOSTILE_PICKS, hostileAzOutput, idsOf } from './hostile';
import { plannedImports, writeStandIn } from './stand-in';

/** What HCL can carry of a name: a lone surrogate is not text, and is written as U+FFFD. */
const asHcl = (s: string) => s.replace(/[\ud800-\udfff]/g, '\ufffd');

describe.skipIf(!hasTerraform)('adopt --format hcl on apps with hostile display names, read by terraform', () => {
  const io = captureOutput();
  let dir: string;
  beforeAll(() => loadModule(), 120_000);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kindo-hostile-hcl-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('is formatted as terraform fmt formats it, validates, plans only the imports meant, and holds each name byte for byte', async () => {
    writeFileSync(join(dir, 'az.json'), hostileAzOutput());
    const picks = Object.entries(HOSTILE_PICKS).flatMap(([id, client]) => ['--app', `${id}=${client}`]);
    expect(main(['adopt', '--input', join(dir, 'az.json'), ...picks, '--format', 'hcl'])).toBe(0);
    const printed = io.out;
    const fmt = spawnSync('terraform', ['fmt', '-'], { input: printed, encoding: 'utf8', env: terraformEnv() });
    expect(fmt.status, fmt.stderr).toBe(0);
    expect(fmt.stdout).toBe(printed);

    await writeStandIn(
      dir,
      'main',
      [
        'azuread_application.this',
        'azuread_service_principal.this',
        'azuread_service_principal_delegated_permission_grant.this',
      ],
      printed,
      'kindo',
      `  nango_secret_key = "${randomUUID()}"`,
    );
    expect((await terraform(dir, ['init', '-input=false'])).status).toBe(0);
    const validate = await terraform(dir, ['validate']);
    expect(validate.status, validate.output).toBe(0);
    const plan = await terraform(dir, ['plan', '-input=false']);
    expect(plan.status, plan.output).toBe(0);
    // One import per app, into the module; no resource a name tried to add (terraform_data.pwn, .cr).
    expect(plannedImports(plan.output).sort()).toEqual(
      INTEGRATION_IDS.map(
        (id, i) => `module.kindo.terraform_data.azuread_application__this["${id}"] /applications/${idsOf(i).objectId}`,
      ).sort(),
    );
    expect(plan.output).not.toMatch(/terraform_data\.(pwn|cr)\b/);
    // Base64, so that the value crosses the console's HCL quoting unchanged.
    const console = spawnSync('terraform', ['console'], {
      cwd: dir,
      env: terraformEnv(),
      input: 'base64encode(jsonencode(local.kindo_existing_apps))\n',
      encoding: 'utf8',
    });
    expect(console.status, console.stderr).toBe(0);
    const apps = JSON.parse(Buffer.from(JSON.parse(console.stdout.trim()), 'base64').toString('utf8'));
    INTEGRATION_IDS.forEach((id, i) => {
      expect(apps[id].client_secrets[0].description).toBe(asHcl(HOSTILE_NAMES[i]));
    });
  }, 120_000);
});
