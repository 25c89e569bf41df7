import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { catalog } from '../../src/catalog/catalog';
import { main } from '../../src/cli/main';
import { hasTerraform, terraform } from '../support/terraform';
import { KindoMicrosoftIntegrations } from '../../src/constructs/kindo-microsoft-integrations';
import {
  KindoMicrosoftIntegrationsStack,
  adoptionFromFile,
} from '../../src/constructs/kindo-microsoft-integrations-stack';

// Sample output of the commands `adopt` prints: `az ad app list` and `az ad sp list` (arrays of Microsoft
// Graph v1.0 application and servicePrincipal objects) and `az rest` on /oauth2PermissionGrants (Graph's
// `{ "value": [...] }` envelope), one document after another as the printed script writes them.
const root = join(__dirname, '..', '..');
const FIXTURE = join(root, 'test', 'fixtures', 'az-adopt-output.json');
const TEAMS = {
  objectId: '0f8e2c6d-1b2a-4c3d-9e8f-7a6b5c4d3e2f',
  clientId: '6e5d4c3b-2a19-4f08-8e7d-6c5b4a392817',
  sp: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  key: '3d0b3d5f-8c55-4f1e-9d0c-2b7f0a1e4c11',
};
const OUTLOOK = {
  objectId: '5b4a3928-1706-4f5e-8d4c-3b2a19081726',
  sp: '7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2918',
  key: '4c3b2a19-0817-4f6e-9d5c-4b3a29180716',
};
const MCP_CLIENT = '8d7c6b5a-4938-4271-a6b5-c4d3e2f1a0b9';
const TEAMS_GRANT = 'bWV0YUdyYW50VGVhbXNHcmFwaEFsbFByaW5jaXBhbHM';

describe('adopt command', () => {
  let out = '';
  let err = '';
  let dir: string;
  beforeEach(() => {
    out = err = '';
    dir = mkdtempSync(join(tmpdir(), 'kindo-adopt-'));
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
      out += String(s);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      err += String(s);
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  test('without --input prints read-only az commands that find the apps by the guide’s names and the Nango callback', () => {
    expect(
      main(['adopt', '--integrations', 'teams,defender', '--callback-url', 'https://nango.example.com/oauth/callback']),
    ).toBe(0);
    expect(out).toContain(
      `az ad app list --all --query "[?displayName=='Kindo - Microsoft Teams' || displayName=='Kindo - Microsoft Defender' || contains(web.redirectUris, 'https://nango.example.com/oauth/callback')]" --output json`,
    );
    expect(out).toContain(`az ad sp list --filter "appId eq '$app'" --output json`);
    expect(out).toContain(
      `az rest --method get --url "https://graph.microsoft.com/v1.0/oauth2PermissionGrants?\\$filter=clientId eq '$sp'"`,
    );
    // The service principals of every API the chosen integrations use, to name the grants' resources.
    for (const api of catalog().defender.apis)
      expect(out).toContain(`az ad sp list --filter "appId eq '${api.resourceAppId}'"`);
    expect(out).toContain("} > 'kindo-adopt.json'");
    // Reads only: no az command that creates, updates or deletes.
    expect(out).not.toMatch(
      /\baz (ad (app|sp) (create|update|delete|credential)|rest --method (post|patch|put|delete))/i,
    );
  });

  test('turns the az output into the existingApps prop and the module’s existing_apps, with what the first apply changes', () => {
    expect(main(['adopt', '--integrations', 'teams,outlook,excel-online', '--input', FIXTURE])).toBe(0);
    expect(out).toContain(
      "Found 2 app registration(s) made by hand: teams ('Kindo - Microsoft Teams', client ID 6e5d4c3b-2a19-4f08-8e7d-6c5b4a392817), outlook ('Kindo - Microsoft Outlook'",
    );
    expect(out).toContain('No app registration found for: excel-online; the stack creates theirs.');
    expect(out).toContain(
      `Not matched to any integration (adopt one with --app <integration id>=<client ID>): 'Kindo Microsoft MCP' (client ID ${MCP_CLIENT}).`,
    );
    expect(out).toContain(
      [
        "  'teams': {",
        `    applicationObjectId: '${TEAMS.objectId}',`,
        `    servicePrincipalObjectId: '${TEAMS.sp}',`,
        `    permissionGrantIds: { 'Microsoft Graph': '${TEAMS_GRANT}' },`,
        '    // Hand-made secrets: left in place; delete them once Kindo works with the new one.',
        '    clientSecrets: [',
        `      { keyId: '${TEAMS.key}', expires: '2027-04-18T09:12:44.518Z', description: 'Kindo integration' },`,
        '    ],',
        '  },',
      ].join('\n'),
    );
    expect(out).toContain('  // Kindo - Microsoft Teams: the first apply changes:');
    expect(out).toContain(
      '  //   - redirect URIs https://nango.example.com/oauth/callback become https://api.nango.dev/oauth/callback: set nango.callbackUrl if Nango uses another',
    );
    expect(out).toContain(
      '  //   - drops 1 permission(s) beyond the guide: Mail.Send (keep one with addPermissions and a justification)',
    );
    expect(out).toContain('  //   - admin consent on Microsoft Graph removes Mail.Send');
    // Outlook was set up without offline_access, which the catalog requests, and never consented: the stack creates its grant.
    expect(out).toContain(
      '  // Kindo - Microsoft Outlook: the first apply changes:\n  //   - requests 1 guide permission(s) it lacks: offline_access (or leave them out with removePermissions)\n  //   - admin consent is created for Microsoft Graph',
    );
    expect(out).toContain(
      [
        '    "outlook" = {',
        `      application_object_id       = "${OUTLOOK.objectId}"`,
        `      service_principal_object_id = "${OUTLOOK.sp}"`,
        '      # Hand-made secrets: left in place; delete them once Kindo works with the new one.',
        '      client_secrets = [',
        `        { key_id = "${OUTLOOK.key}", expires = "2027-10-21T14:05:00Z", description = "Kindo integration" },`,
        '      ]',
        '    }',
      ].join('\n'),
    );
  });

  test('the TypeScript it prints is accepted by KindoMicrosoftIntegrations and imports exactly what was found', () => {
    expect(main(['adopt', '--integrations', 'teams,outlook', '--input', FIXTURE, '--format', 'ts'])).toBe(0);
    const literal = out.slice(out.indexOf('existingApps: {') + 'existingApps: '.length, out.lastIndexOf('},') + 1);
    // The printed code is an object literal: evaluated as one, it is what a user pastes.
    const existingApps = new Function(`return (${literal});`)();
    expect(out).toContain("adoptExistingNangoIntegrations: ['teams', 'outlook'],\nexistingApps: {");
    const stack = new TerraformStack(Testing.app(), 'test');
    const secretKey = new TerraformVariable(stack, 'nango_secret_key', { type: 'string', sensitive: true }).stringValue;
    new KindoMicrosoftIntegrations(stack, 'Kindo', {
      integrations: ['teams', 'outlook'],
      nango: { secretKey },
      existingApps,
      adoptExistingNangoIntegrations: ['teams', 'outlook'],
    });
    const tf = JSON.parse(Testing.synth(stack));
    expect(tf.import.map((i: Record<string, string>) => i.id).sort()).toEqual(
      [
        `/applications/${TEAMS.objectId}`,
        `/servicePrincipals/${TEAMS.sp}`,
        `/oauth2PermissionGrants/${TEAMS_GRANT}`,
        `/applications/${OUTLOOK.objectId}`,
        `/servicePrincipals/${OUTLOOK.sp}`,
      ].sort(),
    );
    expect(out).not.toContain('HCL (module inputs):');
  });

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
      const printed = out.slice(out.indexOf('locals {'));
      expect(printed).toContain('  existing_apps = local.kindo_existing_apps\n');
      expect(printed).toContain('  adopt_existing_nango_integrations = ["teams", "outlook"]\n');
      expect(printed).toContain(
        'import {\n  for_each = local.kindo_existing_apps\n  to       = module.kindo_prod.azuread_application.this[each.key]\n  id       = "/applications/${each.value.application_object_id}"\n}',
      );
      // The module's own variables (types and validation) and locals; azuread cannot be downloaded here, so
      // terraform_data with the module's for_each stands in for its resources, and the import targets follow.
      const child = join(dir, 'module');
      mkdirSync(child);
      for (const file of ['variables.tf', 'catalog.tf', 'locals.tf'])
        cpSync(join(root, 'module', file), join(child, file));
      const forEach = {
        azuread_application: 'local.integrations',
        azuread_service_principal: 'local.integrations',
        azuread_service_principal_delegated_permission_grant: 'local.admin_consents',
      };
      writeFileSync(
        join(child, 'main.tf'),
        Object.entries(forEach)
          .map(([type, e]) => `resource "terraform_data" "${type}" {\n  for_each = ${e}\n}\n`)
          .join(''),
      );
      const standIn = printed.replace(
        /module\.kindo_prod\.(azuread_\w+)\.this/g,
        'module.kindo_prod.terraform_data.$1',
      );
      writeFileSync(
        join(dir, 'main.tf'),
        standIn.replace(
          '  # source, integrations, nango_secret_key… as before',
          '  source = "./module"\n  integrations = ["teams", "outlook"]\n  nango_secret_key = "k"',
        ),
      );
      expect((await terraform(dir, ['init', '-input=false'])).status).toBe(0);
      const plan = await terraform(dir, ['plan', '-input=false']);
      const imported = [
        ...plan.output.matchAll(/# (.+?) will be imported\n\s+resource "terraform_data" "\w+" \{\n\s+id = "([^"]+)"/g),
      ].map((m) => `${m[1]} ${m[2]}`);
      expect(imported.sort(), plan.output).toEqual(
        [
          `module.kindo_prod.terraform_data.azuread_application["outlook"] /applications/${OUTLOOK.objectId}`,
          `module.kindo_prod.terraform_data.azuread_application["teams"] /applications/${TEAMS.objectId}`,
          `module.kindo_prod.terraform_data.azuread_service_principal["outlook"] /servicePrincipals/${OUTLOOK.sp}`,
          `module.kindo_prod.terraform_data.azuread_service_principal["teams"] /servicePrincipals/${TEAMS.sp}`,
          `module.kindo_prod.terraform_data.azuread_service_principal_delegated_permission_grant["teams/Microsoft Graph"] /oauth2PermissionGrants/${TEAMS_GRANT}`,
        ].sort(),
      );
      expect(plan.output).toContain('Plan: 5 to import, 1 to add, 0 to change, 0 to destroy.');
    },
  );

  test('--format json prints only the adoption file of the default stack, which the stack takes as it is', () => {
    expect(main(['adopt', '--integrations', 'teams,outlook', '--input', FIXTURE, '--format', 'json'])).toBe(0);
    const file = JSON.parse(out);
    expect(file.adoptExistingNangoIntegrations).toEqual(['teams', 'outlook']);
    expect(file.existingApps.teams).toEqual({
      applicationObjectId: TEAMS.objectId,
      servicePrincipalObjectId: TEAMS.sp,
      permissionGrantIds: { 'Microsoft Graph': TEAMS_GRANT },
      clientSecrets: [{ keyId: TEAMS.key, expires: '2027-04-18T09:12:44.518Z', description: 'Kindo integration' }],
    });
    expect(err).toContain('Found 2 app registration(s) made by hand: teams, outlook.');
    writeFileSync(join(dir, 'adopt.json'), out);
    const stack = new KindoMicrosoftIntegrationsStack(Testing.app(), 'default', {
      integrations: ['teams', 'outlook'],
      adoption: adoptionFromFile(join(dir, 'adopt.json')),
    });
    const tf = JSON.parse(Testing.synth(stack));
    expect(tf.import).toHaveLength(5);
  });

  test('reads the output piped in (--input -)', () => {
    const run = spawnSync(
      join(root, 'node_modules', '.bin', 'tsx'),
      [join(root, 'src', 'cli', 'main.ts'), 'adopt', '--integrations', 'teams', '--input', '-', '--format', 'hcl'],
      {
        input: readFileSync(FIXTURE),
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`application_object_id       = "${TEAMS.objectId}"`);
    // A fresh tsx process starts slowly on a loaded machine.
  }, 60_000);

  test('--app adopts an app by client ID under another name', () => {
    expect(
      main([
        'adopt',
        '--integrations',
        'excel-online',
        '--input',
        FIXTURE,
        '--app',
        `excel-online=${MCP_CLIENT}`,
        '--format',
        'hcl',
      ]),
    ).toBe(0);
    expect(out).toContain('    # Kindo Microsoft MCP: the first apply changes:');
    expect(out).toContain('    #   - no service principal yet: the stack creates it');
    expect(out).toContain(
      '    "excel-online" = {\n      application_object_id = "1e2d3c4b-5a69-4788-9a6b-5c4d3e2f1a0b"\n    }',
    );
  });

  test('never prints a secret value or hint, even when the output carries one', () => {
    const planted = `abc8Q~${randomUUID()}`;
    const text = readFileSync(FIXTURE, 'utf8')
      .replace('"secretText": null', `"secretText": "${planted}"`)
      .replace('"hint": "abc"', '"hint": "abc8Q~planted-hint"');
    expect(text).toContain(planted);
    const file = join(dir, 'az.json');
    writeFileSync(file, text);
    expect(main(['adopt', '--integrations', 'teams', '--input', file])).toBe(0);
    expect(out).not.toContain(planted);
    expect(out).not.toContain('abc8Q~');
  });

  test('exits 3 when no chosen integration has an app made by hand', () => {
    expect(main(['adopt', '--integrations', 'intune', '--input', FIXTURE])).toBe(3);
    expect(out).toContain('Found 0 app registration(s) made by hand: none.');
    expect(out).not.toContain('existingApps');
  });

  describe('bad input', () => {
    test('fails if two apps carry an integration’s name, naming both and the way to pick one', () => {
      const text = readFileSync(FIXTURE, 'utf8').replace(
        '"displayName": "Kindo Microsoft MCP"',
        '"displayName": "Kindo - Microsoft Teams"',
      );
      const file = join(dir, 'az.json');
      writeFileSync(file, text);
      expect(main(['adopt', '--integrations', 'teams', '--input', file])).toBe(1);
      expect(err).toBe(
        `integration 'teams' matches 2 app registrations ('Kindo - Microsoft Teams' client ID ${TEAMS.clientId}; 'Kindo - Microsoft Teams' client ID ${MCP_CLIENT}); expected one: pass --app teams=<client id> for the one Kindo's Nango integration uses (its Client ID in the Nango dashboard)\n`,
      );
    });

    test('fails if the input is not the az output', () => {
      const file = join(dir, 'az.json');
      writeFileSync(file, 'ERROR: Please run `az login` to setup account.\n');
      expect(main(['adopt', '--input', file])).toBe(1);
      expect(err).toBe(
        `cannot read '${file}' (unexpected "ERROR: Please run \`a" at character 0, outside any JSON array or object); expected the JSON output of the \`az\` commands that \`kindo-microsoft-integrations adopt\` prints without --input, as one file or piped in (--input -)\n`,
      );
      writeFileSync(file, '[{"appId": "x"');
      expect(main(['adopt', '--input', file])).toBe(1);
      expect(err).toContain('(it ends inside a JSON document)');
    });

    test('fails if the input file does not exist', () => {
      expect(main(['adopt', '--input', join(dir, 'missing.json')])).toBe(1);
      expect(err).toMatch(/^cannot read '.*missing\.json' \(ENOENT: no such file or directory/);
    });

    test.each([
      [
        ['--integrations', 'teams,teamz'],
        "adopt: unknown integration in --integrations: 'teamz'; expected one of defender, ",
      ],
      [
        ['--app', 'teams'],
        "adopt: option --app: 'teams'; expected <integration id>=<client ID>, e.g. teams=6e5d4c3b-2a19-4f08-8e7d-6c5b4a392817, for an integration in --integrations",
      ],
      [
        ['--integrations', 'teams', '--app', `outlook=${MCP_CLIENT}`],
        `adopt: option --app: 'outlook=${MCP_CLIENT}'; expected <integration id>=<client ID>`,
      ],
      [['--format', 'yaml'], "adopt: option --format: 'yaml'; expected ts, hcl, json or both"],
      [
        ['--module', 'module.kindo'],
        "adopt: option --module: 'module.kindo'; expected the name of your module block, e.g. kindo",
      ],
    ])('fails on %j with status 2, naming the option and the value', (args, message) => {
      expect(main(['adopt', ...args])).toBe(2);
      expect(err.startsWith(message)).toBe(true);
      expect(err).toContain('Usage: kindo-microsoft-integrations adopt');
    });

    test('fails if the callback URL is not https', () => {
      expect(main(['adopt', '--callback-url', 'http://nango.example.com/oauth/callback'])).toBe(1);
      expect(err).toContain("`--callback-url` is 'http://nango.example.com/oauth/callback'; expected an https:// URL");
    });
  });
});
