import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { catalog } from '../../src/catalog/catalog';
import { cliError, main } from '../../src/cli/main';
import { KindoMicrosoftIntegrations } from '../../src/constructs/kindo-microsoft-integrations';
import {
  KindoMicrosoftIntegrationsStack,
  adoptionFromFile,
} from '../../src/constructs/kindo-microsoft-integrations-stack';
import { FIXTURE, MCP_CLIENT, OUTLOOK, TEAMS, TEAMS_GRANT } from '../support/adopt-fixture';
import { captureOutput } from '../support/output';
import { readAzObjects } from '../../src/adopt/az-output';
import { matchApps } from '../../src/adopt/match';
import { parseJsonDocuments } from '../../src/adopt/az-output';
import { shQuote } from '../../src/adopt/escape';
import { expectKindoError } from '../support/errors';
import { checkServiceUrl } from '../../src/core/validate';

const root = join(__dirname, '..', '..');

describe('adopt command', () => {
  const io = captureOutput();
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kindo-adopt-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('without --input prints read-only az commands that find the apps by the guide’s names and the Nango callback', () => {
    expect(
      main(['adopt', '--integrations', 'teams,defender', '--callback-url', 'https://nango.example.com/oauth/callback']),
    ).toBe(0);
    expect(io.out).toContain(
      `apps=${shQuote('[?displayName==`"Kindo - Microsoft Teams"` || displayName==`"Kindo - Microsoft Defender"` || contains(web.redirectUris, `"https://nango.example.com/oauth/callback"`)]')}`,
    );
    expect(io.out).toContain('  az ad app list --all --query "$apps" --output json');
    expect(io.out).toContain(`az ad sp list --filter "appId eq '$app'" --output json`);
    expect(io.out).toContain(
      `az rest --method get --url "https://graph.microsoft.com/v1.0/oauth2PermissionGrants?\\$filter=clientId eq '$sp'"`,
    );
    // The service principals of every API the chosen integrations use, to name the grants' resources.
    for (const api of catalog().defender.apis)
      expect(io.out).toContain(`az ad sp list --filter "appId eq '${api.resourceAppId}'"`);
    expect(io.out).toContain("out='kindo-adopt.json'\n");
    expect(io.out).toContain('} > "$out"');
    // Reads only: no az command that creates, updates or deletes.
    expect(io.out).not.toMatch(
      /\baz (ad (app|sp) (create|update|delete|credential)|rest --method (post|patch|put|delete))/i,
    );
  });

  test('turns the az output into the existingApps prop and the module’s existing apps, with what the first apply changes', () => {
    expect(main(['adopt', '--integrations', 'teams,outlook,excel-online', '--input', FIXTURE])).toBe(0);
    // What was found and what could not be matched go to standard error; standard output holds only settings.
    expect(io.err).toContain(
      "Found 2 app registration(s) made by hand: teams ('Kindo - Microsoft Teams', client ID 6e5d4c3b-2a19-4f08-8e7d-6c5b4a392817), outlook ('Kindo - Microsoft Outlook'",
    );
    expect(io.err).toContain('No app registration found for: excel-online; the stack creates theirs.');
    expect(io.err).toContain(
      `Not matched to any integration (adopt one with --app <integration id>=<client ID>): 'Kindo Microsoft MCP' (client ID ${MCP_CLIENT}).`,
    );
    expect(io.out).toContain(
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
    expect(io.out).toContain('  // Kindo - Microsoft Teams: the first apply changes:');
    expect(io.out).toContain(
      '  //   - redirect URIs https://nango.example.com/oauth/callback become https://api.nango.dev/oauth/callback: set nango.callbackUrl if Nango uses another',
    );
    expect(io.out).toContain(
      '  //   - drops 1 permission(s) beyond the guide: Mail.Send (keep one with addPermissions and a justification)',
    );
    expect(io.out).toContain('  //   - admin consent on Microsoft Graph removes Mail.Send');
    // Outlook was set up without offline_access, which the catalog requests, and never consented: the stack creates its grant.
    expect(io.out).toContain(
      '  // Kindo - Microsoft Outlook: the first apply changes:\n  //   - requests 1 guide permission(s) it lacks: offline_access (or leave them out with removePermissions)\n  //   - admin consent is created for Microsoft Graph',
    );
    expect(io.out).toContain(
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
    const literal = io.out.slice(
      io.out.indexOf('existingApps: {') + 'existingApps: '.length,
      io.out.lastIndexOf('},') + 1,
    );
    // The printed code is an object literal: evaluated as one, it is what a user pastes.
    const existingApps = new Function(`return (${literal});`)();
    expect(io.out).toContain("adoptExistingNangoIntegrations: ['teams', 'outlook'],\nexistingApps: {");
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
    expect(io.out).not.toContain('HCL (module inputs):');
  });

  test('--format json prints only the adoption file of the default stack, which the stack takes as it is', () => {
    expect(main(['adopt', '--integrations', 'teams,outlook', '--input', FIXTURE, '--format', 'json'])).toBe(0);
    const file = JSON.parse(io.out);
    expect(file.adoptExistingNangoIntegrations).toEqual(['teams', 'outlook']);
    expect(file.existingApps.teams).toEqual({
      applicationObjectId: TEAMS.objectId,
      servicePrincipalObjectId: TEAMS.sp,
      permissionGrantIds: { 'Microsoft Graph': TEAMS_GRANT },
      clientSecrets: [{ keyId: TEAMS.key, expires: '2027-04-18T09:12:44.518Z', description: 'Kindo integration' }],
    });
    expect(io.err).toContain("Found 2 app registration(s) made by hand: teams ('Kindo - Microsoft Teams'");
    // The warnings the other formats print, on standard error: redirect URI change, dropped scopes, unmatched apps.
    expect(io.err).toContain(
      '  - redirect URIs https://nango.example.com/oauth/callback become https://api.nango.dev/oauth/callback',
    );
    expect(io.err).toContain('  - drops 1 permission(s) beyond the guide: Mail.Send');
    expect(io.err).toContain(`'Kindo Microsoft MCP' (client ID ${MCP_CLIENT})`);
    writeFileSync(join(dir, 'adopt.json'), io.out);
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
    expect(io.out).toContain('    # Kindo Microsoft MCP: the first apply changes:');
    expect(io.out).toContain('    #   - no service principal yet: the stack creates it');
    expect(io.out).toContain(
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
    expect(io.out).not.toContain(planted);
    expect(io.out).not.toContain('abc8Q~');
  });

  test('exits 3 when no chosen integration has an app made by hand', () => {
    expect(main(['adopt', '--integrations', 'intune', '--input', FIXTURE])).toBe(3);
    expect(io.err).toContain('Found 0 app registration(s) made by hand: none.');
    expect(io.out).toBe('');
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
      const error = expectKindoError(
        () =>
          matchApps(readAzObjects(text, file), ['teams'], {
            namePrefix: 'Kindo - ',
            callbackUrl: 'https://api.nango.dev/oauth/callback',
            picks: {},
          }),
        'ADOPT_AMBIGUOUS',
        ["'teams'", TEAMS.clientId, MCP_CLIENT],
      );
      expect(io.err).toBe(`${cliError(error)}\n`);
    });

    test('fails if the input is not the az output', () => {
      const file = join(dir, 'az.json');
      const notJson = 'ERROR: Please run `az login` to setup account.\n';
      writeFileSync(file, notJson);
      expect(main(['adopt', '--input', file])).toBe(1);
      const error = expectKindoError(() => parseJsonDocuments(notJson, file), 'ADOPT_INPUT_INVALID', [
        `'${file}'`,
        "'ERROR: Please run `a'",
      ]);
      expect(io.err).toBe(`${cliError(error)}\n`);
      io.clear();
      writeFileSync(file, '[{"appId": "x"');
      expect(main(['adopt', '--input', file])).toBe(1);
      const unfinished = expectKindoError(() => parseJsonDocuments('[{"appId": "x"', file), 'ADOPT_INPUT_INVALID', [
        `'${file}'`,
      ]);
      expect(io.err).toBe(`${cliError(unfinished)}\n`);
    });

    test('fails if the input file does not exist', () => {
      expect(main(['adopt', '--input', join(dir, 'missing.json')])).toBe(1);
      expect(io.err).toMatch(
        /^Error \[ADOPT_INPUT_INVALID\]: cannot read '.*missing\.json': ENOENT: no such file or directory/,
      );
    });

    test.each([
      [
        ['--integrations', 'teams,teamz'],
        "adopt: unknown integration in --integrations: 'teamz'; expected one of defender, ",
      ],
      [
        ['--app', 'teams'],
        "adopt: option --app: 'teams'; expected <integration id>=<GUID>, e.g. teams=6e5d4c3b-2a19-4f08-8e7d-6c5b4a392817, for an integration in --integrations",
      ],
      [
        ['--integrations', 'teams', '--app', `outlook=${MCP_CLIENT}`],
        `adopt: option --app: 'outlook=${MCP_CLIENT}'; expected <integration id>=<GUID>`,
      ],
      [['--format', 'yaml'], "adopt: option --format: 'yaml'; expected ts, hcl, json or both"],
      [
        ['--module', 'module.kindo'],
        "adopt: option --module: 'module.kindo'; expected the name of your module block, e.g. kindo",
      ],
      [
        ['--name-prefix', 'Kindo\n; touch x #'],
        'adopt: option --name-prefix has U+000A at character 6; expected printable text',
      ],
      [['--out', 'a\u2028b.json'], 'adopt: option --out has U+2028 at character 2; expected printable text'],
      [
        ['--callback-url', 'https://nango.example.com/cb\n$(id)'],
        'adopt: option --callback-url has U+000A at character 29; expected printable text',
      ],
      [['--name-prefix', '\u202eKindo'], 'adopt: option --name-prefix has U+202E at character 1'],
      [['--integrations', '\u001b[2Jteams'], "adopt: unknown integration in --integrations: '\\u{1B}[2Jteams'"],
      [['--format', 'ts\u0007'], "adopt: option --format: 'ts\\u{7}'"],
      [['--client-id', `teams=${MCP_CLIENT}`], 'adopt: option --client-id without --saas; expected --saas --client-id'],
      [['--saas'], "adopt: --saas without --client-id; expected --client-id <id>=<GUID> for each of Kindo's apps"],
      [
        ['--saas', '--client-id', 'teams=nope'],
        "adopt: option --client-id: 'teams=nope'; expected <integration id>=<GUID>",
      ],
      [
        ['--saas', '--client-id', `teams=${MCP_CLIENT}`, '--client-id', `teams=${MCP_CLIENT}`],
        `adopt: option --client-id: 'teams=${MCP_CLIENT}'; expected <integration id>=<GUID>, e.g. teams=6e5d4c3b-2a19-4f08-8e7d-6c5b4a392817, each integration once`,
      ],
      [
        ['--saas', '--client-id', `teams=${MCP_CLIENT}`, '--format', 'json'],
        "adopt: option --format: 'json'; expected ts, hcl or both",
      ],
      [['--saas', '--integrations', 'teams'], 'adopt: option --integrations with --saas; expected --client-id'],
      [['--saas', '--app', `teams=${MCP_CLIENT}`], 'adopt: option --app with --saas; expected --client-id'],
    ])('fails on %j with status 2, naming the option and the value', (args, message) => {
      expect(main(['adopt', ...args])).toBe(2);
      expect(io.err.startsWith(message)).toBe(true);
      expect(io.err).toContain('Usage: kindo-microsoft-integrations adopt');
    });

    test('fails if the callback URL is not https', () => {
      expect(main(['adopt', '--callback-url', 'http://nango.example.com/oauth/callback'])).toBe(1);
      const error = expectKindoError(
        () => checkServiceUrl('--callback-url', 'http://nango.example.com/oauth/callback'),
        'INSECURE_URL',
        ['`--callback-url`', "'http://nango.example.com/oauth/callback'"],
      );
      expect(io.err).toBe(`${cliError(error)}\n`);
    });
  });
});
