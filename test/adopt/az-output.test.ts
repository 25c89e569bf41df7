import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseJsonDocuments, readAzObjects } from '../../src/adopt/az-output';
import { cliError, main } from '../../src/cli/main';
import { FIXTURE, TEAMS } from '../support/adopt-fixture';
import { expectKindoError } from '../support/errors';
import { captureOutput } from '../support/output';

// The az output read by `adopt --input`: every object of a type the command reads is checked against
// src/adopt/az-output.schema.json, and a refusal names the file, the document and item, the field and
// the value, before anything is printed.

const text = readFileSync(FIXTURE, 'utf8');
const [applications] = parseJsonDocuments(text, FIXTURE) as Record<string, any>[][];
const teamsApp = applications[0];
/** The fixture with the Teams app (document 1, item 1) changed. */
const withTeams = (change: Record<string, unknown>) =>
  [JSON.stringify([{ ...teamsApp, ...change }, ...applications.slice(1)]), text.slice(text.indexOf('\n]\n') + 3)].join(
    '\n',
  );
const grant = {
  id: 'g1',
  clientId: TEAMS.sp,
  consentType: 'AllPrincipals',
  resourceId: TEAMS.sp,
  scope: 'User.Read',
};
const assignment = {
  id: 'a1',
  appRoleId: TEAMS.sp,
  principalId: TEAMS.sp,
  resourceId: TEAMS.sp,
  principalType: 'Group',
};

describe('the az output adopt reads', () => {
  const io = captureOutput();
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kindo-az-output-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test.each([
    [
      'a number as client ID',
      withTeams({ appId: 5 }),
      ['document 1, item 1', "application 'Kindo - Microsoft Teams'", '`appId` is 5', 'a GUID'],
    ],
    ['no display name', withTeams({ displayName: null }), ['`displayName` is null', 'a string']],
    [
      'a string of redirect URIs',
      withTeams({ web: { redirectUris: 'https://x' } }),
      ['`web.redirectUris`', "'https://x'", 'a list'],
    ],
    ['an object of secrets', withTeams({ passwordCredentials: {} }), ['`passwordCredentials` is {}', 'a list']],
    [
      'a secret without key ID',
      withTeams({ passwordCredentials: [{ keyId: null }] }),
      ['`passwordCredentials[0].keyId` is null'],
    ],
    [
      'an expiry that is not a date',
      withTeams({ passwordCredentials: [{ keyId: TEAMS.key, endDateTime: 'soon' }] }),
      ["'soon'", 'a date and time'],
    ],
    [
      'a requested API that is not a GUID',
      withTeams({ requiredResourceAccess: [{ resourceAppId: 'graph', resourceAccess: [] }] }),
      ['`requiredResourceAccess[0].resourceAppId`', "'graph'"],
    ],
    [
      'a key named __proto__',
      withTeams({ web: JSON.parse('{"__proto__": {"redirectUris": []}}') }),
      ['`web.__proto__`', 'prototype'],
    ],
    [
      'a grant whose scope is a number',
      `${text}\n{"value": [${JSON.stringify({ ...grant, scope: 5 })}]}`,
      ['document 8, item 1', 'permissionGrant', '`scope` is 5'],
    ],
    [
      'a service principal ID that is not one',
      `${text}\n[{"id": "x", "appId": "${TEAMS.clientId}", "servicePrincipalType": "Application"}]`,
      ["servicePrincipal 'x'", '`id`', 'a GUID'],
    ],
    [
      'an assignment of a number',
      `${text}\n{"value": [${JSON.stringify({ ...assignment, principalId: 7 })}]}`,
      ['appRoleAssignment', '`principalId` is 7'],
    ],
  ])(
    'refuses %s with exit 1, naming the file, the item, the field and the value, and prints nothing',
    (_name, input, fragments) => {
      const file = join(dir, 'az.json');
      writeFileSync(file, input);
      expect(main(['adopt', '--integrations', 'teams', '--input', file])).toBe(1);
      const error = expectKindoError(() => readAzObjects(input, file), 'ADOPT_INPUT_INVALID', [
        `'${file}'`,
        ...fragments,
      ]);
      expect(io.err).toBe(`${cliError(error)}\n`);
      expect(io.out).toBe('');
    },
  );

  test('GUIDs come out in lower case; Graph lists cut into pages are counted', () => {
    const input = `${withTeams({ id: TEAMS.objectId.toUpperCase(), appId: TEAMS.clientId.toUpperCase() })}\n{"value": [], "@odata.nextLink": "https://graph.microsoft.com/v1.0/next"}`;
    const objects = readAzObjects(input, 'az.json');
    expect(objects.applications[0]).toMatchObject({ id: TEAMS.objectId, appId: TEAMS.clientId });
    expect(objects.truncatedLists).toBe(1);
  });
});
