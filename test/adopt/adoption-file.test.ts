import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { adoptionFromFile } from '../../src/adopt/adoption-file';
import { firstInvisible } from '../../src/core/visible';
import { KindoMicrosoftIntegrationsStack } from '../../src/constructs/kindo-microsoft-integrations-stack';
import { expectKindoError } from '../support/errors';

const APP = '0f8e2c6d-1b2a-4c3d-9e8f-7a6b5c4d3e2f';
const KEY = '3d0b3d5f-8c55-4f1e-9d0c-2b7f0a1e4c11';
const teams = (app: unknown) =>
  JSON.stringify({ adoptExistingNangoIntegrations: ['teams'], existingApps: { teams: app } });

describe('the adoption file of the default stack (KINDO_EXISTING_APPS)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kindo-adoption-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const file = (text: string) => {
    const path = join(dir, 'kindo-existing-apps.json');
    writeFileSync(path, text);
    return path;
  };

  test('unset or empty means nothing adopted', () => {
    expect(adoptionFromFile(undefined)).toEqual({});
    expect(adoptionFromFile('')).toEqual({});
  });

  // Each refusal names the variable, the file, the field (with its entry) and the value found.
  test.each([
    ['not JSON', '{"existingApps": ', [': it is not JSON: it ends early (line 1, column 18)']],
    ['a list', '[]', ['is []', 'a JSON object with adoptExistingNangoIntegrations']],
    ['an unknown top-level key', '{"existing_apps": {}}', ['`existing_apps`', 'no such field']],
    [
      'a string for the list',
      '{"adoptExistingNangoIntegrations": "teams"}',
      ['`adoptExistingNangoIntegrations`', "'teams'"],
    ],
    ['a list for the apps', '{"existingApps": []}', ['`existingApps` is []', 'an object keyed by integration id']],
    [
      '__proto__ as an integration',
      '{"existingApps": {"__proto__": {"applicationObjectId": "x"}}}',
      ['existingApps.__proto__', 'prototype'],
    ],
    [
      'constructor as an integration',
      '{"nangoUniqueKeys": {"constructor": "k"}}',
      ['nangoUniqueKeys.constructor', 'prototype'],
    ],
    [
      'prototype as an API name',
      teams({ applicationObjectId: APP, permissionGrantIds: { prototype: 'g' } }),
      ['permissionGrantIds.prototype'],
    ],
    [
      'an unknown integration',
      '{"existingApps": {"hubspot": {"applicationObjectId": "x"}}}',
      ['existingApps.hubspot', "'hubspot'", 'integration id'],
    ],
    [
      'a wrongly cased field',
      teams({ applicationObjectID: APP }),
      ['existingApps.teams.applicationObjectID', `'${APP}'`, 'no such field (known: applicationObjectId'],
    ],
    [
      'null for an app',
      teams(null),
      ['existingApps.teams` is null', 'exactly one of applicationObjectId and applicationClientId'],
    ],
    ['an app without its ID', teams({ servicePrincipalObjectId: APP }), ['existingApps.teams', 'exactly one of']],
    [
      'an app with both IDs',
      teams({ applicationObjectId: APP, applicationClientId: APP }),
      ['existingApps.teams', 'exactly one of'],
    ],
    [
      'a non-GUID object ID',
      teams({ applicationObjectId: 'Kindo - Microsoft Teams' }),
      ['existingApps.teams.applicationObjectId', "'Kindo - Microsoft Teams'", 'a GUID'],
    ],
    [
      'a number as unique key',
      '{"nangoUniqueKeys": {"teams": 5}}',
      ['nangoUniqueKeys.teams` is 5', 'a Nango unique key'],
    ],
    ['a unique key with a slash', '{"nangoUniqueKeys": {"teams": "a/b"}}', ["'a/b'", 'a Nango unique key']],
    [
      'an object for the secrets',
      teams({ applicationObjectId: APP, clientSecrets: {} }),
      ['existingApps.teams.clientSecrets` is {}', 'a list'],
    ],
    ['a string as a secret', teams({ applicationObjectId: APP, clientSecrets: ['x'] }), ['clientSecrets[0]', "'x'"]],
    [
      'a number as key ID',
      teams({ applicationObjectId: APP, clientSecrets: [{ keyId: 5 }] }),
      ['clientSecrets[0].keyId` is 5', 'a GUID'],
    ],
    [
      'a secret without key ID',
      teams({ applicationObjectId: APP, clientSecrets: [{ expires: '2027-01-01T00:00:00Z' }] }),
      ['clientSecrets[0].keyId` is nothing'],
    ],
    [
      'an unknown secret field',
      teams({ applicationObjectId: APP, clientSecrets: [{ keyId: KEY, value: 's3cr3t' }] }),
      ['clientSecrets[0].value'],
    ],
    [
      'a date that is not one',
      teams({ applicationObjectId: APP, clientSecrets: [{ keyId: KEY, expires: 'soon' }] }),
      ["'soon'", 'a date and time'],
    ],
    [
      'a number as grant ID',
      teams({ applicationObjectId: APP, permissionGrantIds: { 'Microsoft Graph': 5 } }),
      ["permissionGrantIds['Microsoft Graph']` is 5"],
    ],
    [
      'an API the integration does not use',
      teams({ applicationObjectId: APP, permissionGrantIds: { WindowsDefenderATP: 'g' } }),
      ['permissionGrantIds.WindowsDefenderATP', "integration 'teams' uses: Microsoft Graph"],
    ],
    [
      'an integration twice',
      '{"adoptExistingNangoIntegrations": ["teams", "teams"]}',
      ['adoptExistingNangoIntegrations[1]', 'each value once'],
    ],
    [
      'an unknown integration in the list',
      '{"adoptExistingNangoIntegrations": ["hubspot"]}',
      ['adoptExistingNangoIntegrations[0]', "'hubspot'"],
    ],
    ['an escape sequence in a value', teams({ applicationObjectId: '\u001b[31mx' }), ["'\\u{1B}[31mx'"]],
  ])('refuses %s, naming the file, the entry, the field and the value', (_name, text, fragments) => {
    const path = file(text);
    const error = expectKindoError(() => adoptionFromFile(path), 'ADOPTION_FILE_INVALID', [
      'KINDO_EXISTING_APPS',
      `'${path}'`,
      ...fragments,
    ]);
    expect(error.message).toContain('(docs/adopting.md#the-adoption-file)');
    // A few lines at most, and nothing a terminal would interpret.
    expect(error.message.split('\n')).toHaveLength(1);
    expect(firstInvisible(error.message)).toBeUndefined();
  });

  test('a file that is not JSON is refused by position, never by its content (it could be a secret or terminal escapes)', () => {
    const path = file('s3cr3t-\u001b[31m');
    const error = expectKindoError(() => adoptionFromFile(path), 'ADOPTION_FILE_INVALID', [
      'it is not JSON at line 1, column 1',
    ]);
    expect(error.message).not.toContain('s3cr3t');
    expect(error.message).not.toContain('\u001b');
  });

  test('refuses a missing file, naming it', () => {
    const path = join(dir, 'missing.json');
    expectKindoError(() => adoptionFromFile(path), 'ADOPTION_FILE_INVALID', [`'${path}'`, 'ENOENT']);
  });

  test('a __proto__ key reaches no prototype: refused before anything reads it', () => {
    const path = file('{"__proto__": {"polluted": true}, "existingApps": {}}');
    expectKindoError(() => adoptionFromFile(path), 'ADOPTION_FILE_INVALID', ["`__proto__` is '__proto__'"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('GUIDs come out in lower case, as Graph returns them and azuread compares them', () => {
    const path = file(
      teams({
        applicationObjectId: APP.toUpperCase(),
        servicePrincipalObjectId: APP.toUpperCase(),
        clientSecrets: [{ keyId: KEY.toUpperCase() }],
      }),
    );
    expect(adoptionFromFile(path).existingApps?.teams).toEqual({
      applicationObjectId: APP,
      servicePrincipalObjectId: APP,
      clientSecrets: [{ keyId: KEY }],
    });
  });

  test('the stack imports what the file names, its settings checked as the construct checks them', () => {
    const path = file(
      JSON.stringify({
        adoptExistingNangoIntegrations: ['teams'],
        nangoUniqueKeys: { teams: 'microsoft-teams' },
        existingApps: { teams: { applicationObjectId: APP } },
      }),
    );
    const stack = new KindoMicrosoftIntegrationsStack(Testing.app(), 'default', {
      integrations: ['teams', 'outlook'],
      adoption: adoptionFromFile(path),
    });
    const tf = JSON.parse(Testing.synth(stack));
    expect(tf.import.map((i: { id: string }) => i.id)).toEqual([`/applications/${APP}`]);
    expect(tf.output.integrations.value.teams.nango_unique_key).toBe('microsoft-teams');
    const unsaid = file(JSON.stringify({ existingApps: { teams: { applicationObjectId: APP } } }));
    expectKindoError(
      () =>
        new KindoMicrosoftIntegrationsStack(Testing.app(), 'default', {
          integrations: ['teams'],
          adoption: adoptionFromFile(unsaid),
        }),
      'ADOPTED_APP_WITHOUT_NANGO_DECISION',
      ["'teams'", '`adoptExistingNangoIntegrations`'],
    );
  });

  test('main.ts stops on a malformed file with its message and exit 1, and synthesizes no stack', () => {
    const outdir = join(dir, 'cdktf.out');
    const path = file(teams({ applicationObjectID: APP }));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], {
      cwd: join(__dirname, '..', '..'),
      env: { ...process.env, CDKTF_OUTDIR: outdir, KINDO_INTEGRATIONS: 'teams', KINDO_EXISTING_APPS: path },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    const error = expectKindoError(() => adoptionFromFile(path), 'ADOPTION_FILE_INVALID');
    expect(run.stderr).toContain(error.message);
    // cdktf's App makes the (empty) output directories before the stack reads the file.
    expect(existsSync(join(outdir, 'stacks', 'kindo-microsoft-integrations'))).toBe(false);
  }, 60_000);
});
