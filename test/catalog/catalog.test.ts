import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { CATALOG_DIR, INTEGRATION_IDS, catalog, guideSource, loadCatalog } from '../../src/catalog/catalog';
import { expectKindoError } from '../support/errors';
import { GUIDE, parseGuide } from '../support/guide';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const rawFile = (id: string) => JSON.parse(readFileSync(join(CATALOG_DIR, `${id}.json`), 'utf8'));

describe('permission catalog', () => {
  const entries = Object.values(catalog());

  test('every file is valid against permissions/schema.json', () => {
    const validate = new Ajv().compile(JSON.parse(readFileSync(join(CATALOG_DIR, 'schema.json'), 'utf8')));
    for (const id of INTEGRATION_IDS) {
      expect(validate(rawFile(id)), `${id}.json: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  test('holds one file per integration, named after its id', () => {
    expect(entries.map((e) => e.id).sort()).toEqual([...INTEGRATION_IDS].sort());
  });

  test('every resource app ID and scope ID is a lower-case GUID', () => {
    for (const e of entries) {
      for (const api of e.apis) {
        expect(api.resourceAppId).toMatch(GUID);
        for (const p of api.permissions) expect(p.id, `${e.id} ${p.name}`).toMatch(GUID);
      }
    }
  });

  test('maps one name to one scope ID (and back) per API across all integrations', () => {
    const ids = new Map<string, Set<string>>();
    const names = new Map<string, Set<string>>();
    for (const e of entries) {
      for (const api of e.apis) {
        for (const p of api.permissions) {
          ids.set(`${api.name}/${p.name}`, (ids.get(`${api.name}/${p.name}`) ?? new Set()).add(p.id));
          names.set(`${api.name}/${p.id}`, (names.get(`${api.name}/${p.id}`) ?? new Set()).add(p.name));
        }
      }
    }
    for (const [k, v] of [...ids, ...names]) expect(v.size, k).toBe(1);
  });

  test('names each API by the resource app ID Microsoft publishes for it', () => {
    const apps = Object.fromEntries(
      entries.flatMap((e) => e.apis.map((a) => [a.name, [a.resourceAppId, a.identifierUri]])),
    );
    expect(apps).toEqual({
      'Microsoft Graph': ['00000003-0000-0000-c000-000000000000', 'https://graph.microsoft.com'],
      WindowsDefenderATP: ['fc780465-2017-40d4-a0c5-307022471b92', 'https://api.securitycenter.microsoft.com'],
      'Microsoft Threat Protection': ['8ee8fdad-f234-4243-8f3b-15c294843740', 'https://api.security.microsoft.com'],
      'Microsoft Purview': ['73c2949e-da2d-457a-9607-fcc665198967', 'https://purview.azure.net'],
    });
  });

  const rows = () =>
    entries
      .filter((e) => e.id !== 'fabric')
      .flatMap((e) =>
        e.apis.flatMap((api) =>
          api.permissions
            .filter((p) => p.directedBy === undefined)
            .map((p) => ({
              integration: e.displayName,
              api: api.name,
              name: p.name,
              description: p.description,
              adminConsentRequired: p.adminConsentRequired,
            })),
        ),
      );

  test("holds the guide's 143 rows: Graph 113, WindowsDefenderATP 27, Threat Protection 2, Purview 1", () => {
    const count = (api: string) => rows().filter((r) => r.api === api).length;
    expect(rows()).toHaveLength(143);
    expect([
      count('Microsoft Graph'),
      count('WindowsDefenderATP'),
      count('Microsoft Threat Protection'),
      count('Microsoft Purview'),
    ]).toEqual([113, 27, 2, 1]);
  });

  test("records where its facts come from: the public URL of Kindo's guide and the day it was read", () => {
    expect(guideSource()).toEqual({
      title: 'Connect to Microsoft MCP integrations',
      publisher: 'Kindo',
      url: 'https://docs.kindo.ai/connecting-integrations/microsoft-mcp/',
      read: '2026-11-26',
      recorded: expect.stringContaining('Admin consent required'),
    });
  });

  test('equals the guide text in test/fixtures/kindo-guide.txt row for row', () => {
    const key = (r: { integration: string; api: string; name: string }) => `${r.integration}/${r.api}/${r.name}`;
    const sort = <T extends { integration: string; api: string; name: string }>(list: T[]) =>
      [...list].sort((a, b) => key(a).localeCompare(key(b)));
    const guide = parseGuide(readFileSync(GUIDE, 'utf8'));
    expect(guide).toHaveLength(143);
    expect(sort(rows())).toEqual(sort(guide));
    // The troubleshooting row the guide-directed offline_access rests on.
    expect(readFileSync(GUIDE, 'utf8')).toMatch(
      /Kindo reports Unauthorized or cannot refresh the connection \| Recreate the connection and confirm the integration includes offline_access when delegated refresh is required\./,
    );
  });

  test("adds offline_access to every delegated integration whose table lacks it, as the guide's troubleshooting table directs, and nothing else", () => {
    const directed = entries.flatMap((e) =>
      e.apis.flatMap((api) =>
        api.permissions
          .filter((p) => p.directedBy !== undefined)
          .map((p) => ({ integration: e.id, api: api.name, ...p })),
      ),
    );
    const withoutOfflineAccess = entries
      .filter(
        (e) =>
          e.authFlow === 'delegated' &&
          !rows().some((r) => r.integration === e.displayName && r.name === 'offline_access'),
      )
      .map((e) => e.id);
    expect(withoutOfflineAccess).toHaveLength(10);
    expect(directed).toEqual(
      withoutOfflineAccess.map((integration) => ({
        integration,
        api: 'Microsoft Graph',
        name: 'offline_access',
        id: '7427e0e9-2fba-42fe-b0c0-848c9e6a8182',
        description: 'Maintain access to data you have given it access to',
        access: 'read',
        adminConsentRequired: false,
        directedBy: 'troubleshooting',
      })),
    );
    for (const e of entries.filter((x) => x.authFlow === 'delegated')) {
      expect(
        e.apis[0].permissions.map((p) => p.name),
        e.id,
      ).toContain('offline_access');
    }
  });

  test('gives Fabric only the portal default Graph User.Read, without admin consent, and no redirect URI', () => {
    const fabric = catalog().fabric;
    expect(fabric.authFlow).toBe('client-credentials');
    expect(fabric.redirectUri).toBe(false);
    expect(fabric.nangoProvider).toBeNull();
    expect(fabric.apis.map((a) => [a.name, a.permissions.map((p) => [p.name, p.adminConsentRequired])])).toEqual([
      ['Microsoft Graph', [['User.Read', false]]],
    ]);
    expect(fabric.connectionFields?.map((f) => f.field)).toEqual([
      'Tenant ID',
      'SQL Endpoint Host',
      'Lakehouse Database',
      'Client ID',
      'Client Secret',
    ]);
  });
});

describe('loadCatalog', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'catalog-'));
    cpSync(CATALOG_DIR, dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const edit = (id: string, change: (doc: any) => void) => {
    const doc = JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8'));
    change(doc);
    writeFileSync(join(dir, `${id}.json`), JSON.stringify(doc));
  };

  test('fails if a scope ID is not a GUID', () => {
    edit('teams', (d) => (d.apis[0].permissions[2].id = 'not-a-guid'));
    expectKindoError(() => loadCatalog(dir), 'CATALOG_FIELD_INVALID', [
      'permissions/teams.json',
      '`apis[0].permissions[2].id`',
      "'not-a-guid'",
    ]);
  });

  test('fails if a required field is missing', () => {
    edit('outlook', (d) => delete d.apis[0].permissions[0].adminConsentRequired);
    expectKindoError(() => loadCatalog(dir), 'CATALOG_FIELD_INVALID', [
      'permissions/outlook.json',
      '`apis[0].permissions[0].adminConsentRequired`',
      'nothing',
    ]);
  });

  test('fails if a file has a field the schema does not define', () => {
    edit('intune', (d) => (d.apis[0].scopes = []));
    expectKindoError(() => loadCatalog(dir), 'CATALOG_FIELD_INVALID', [
      'permissions/intune.json',
      '`apis[0].scopes`',
      '[]',
    ]);
  });

  test('fails if an API is not one the guide names', () => {
    edit('defender', (d) => (d.apis[1].name = 'Office 365 Management APIs'));
    expectKindoError(() => loadCatalog(dir), 'CATALOG_FIELD_INVALID', [
      'permissions/defender.json',
      '`apis[1].name`',
      "'Office 365 Management APIs'",
    ]);
  });

  test("fails if a file's id differs from its name", () => {
    edit('teams', (d) => (d.id = 'sharepoint-online'));
    expectKindoError(() => loadCatalog(dir), 'CATALOG_FIELD_INVALID', [
      'permissions/teams.json',
      '`id`',
      "'sharepoint-online'",
    ]);
  });

  test('fails if the same permission name has two scope IDs', () => {
    edit('outlook', (d) => (d.apis[0].permissions[3].id = '00000000-0000-0000-0000-000000000001'));
    expectKindoError(() => loadCatalog(dir), 'CATALOG_PERMISSION_CONFLICT', [
      'Microsoft Graph',
      'the ID of User.Read',
      'e1fe6dd8-ba31-4d61-89e7-88639da4683d',
      '00000000-0000-0000-0000-000000000001',
    ]);
  });

  test('fails if two files give one API different app IDs', () => {
    edit('teams', (d) => (d.apis[0].resourceAppId = '00000000-0000-0000-0000-000000000001'));
    expectKindoError(() => loadCatalog(dir), 'CATALOG_API_CONFLICT', [
      'Microsoft Graph',
      'resourceAppId',
      '00000003-0000-0000-c000-000000000000',
      '00000000-0000-0000-0000-000000000001',
    ]);
  });

  test('fails if two files give one API different identifier URIs', () => {
    edit('teams', (d) => (d.apis[0].identifierUri = 'https://graph.microsoft.us'));
    expectKindoError(() => loadCatalog(dir), 'CATALOG_API_CONFLICT', [
      'Microsoft Graph',
      'identifierUri',
      'https://graph.microsoft.com',
      'https://graph.microsoft.us',
    ]);
  });

  test('fails if two files give one scope ID different names', () => {
    edit(
      'teams',
      (d) => (d.apis[0].permissions.find((p: { name: string }) => p.name === 'User.Read').name = 'User.ReadBasic'),
    );
    expectKindoError(() => loadCatalog(dir), 'CATALOG_PERMISSION_CONFLICT', [
      'Microsoft Graph',
      'the name of scope e1fe6dd8-ba31-4d61-89e7-88639da4683d',
      /\bUser\.Read\b/,
      'User.ReadBasic',
    ]);
  });

  test('fails if an integration lists an API before Microsoft Graph', () => {
    edit('defender', (d) => d.apis.reverse());
    expectKindoError(() => loadCatalog(dir), 'CATALOG_FIELD_INVALID', [
      'permissions/defender.json',
      '`apis[0].name`',
      "'WindowsDefenderATP'",
    ]);
  });

  test('reads a catalog that differs from the shipped one without a conflict', () => {
    edit('teams', (d) => (d.displayName = 'Teams (pilot)'));
    expect(loadCatalog(dir).teams.displayName).toBe('Teams (pilot)');
    expect(loadCatalog(dir).outlook).toEqual(catalog().outlook);
  });

  test('fails if a file is missing or unexpected', () => {
    rmSync(join(dir, 'teams.json'));
    writeFileSync(join(dir, 'hubspot.json'), '{}');
    expectKindoError(() => loadCatalog(dir), 'CATALOG_FILES_MISMATCH', [
      dir,
      'missing teams.json',
      'unexpected hubspot.json',
    ]);
  });

  test('fails if a file is not JSON', () => {
    writeFileSync(join(dir, 'teams.json'), '{ nope');
    expectKindoError(() => loadCatalog(dir), 'CATALOG_UNREADABLE', ['permissions/teams.json']);
  });

  test("fails if a file's $schema is not the catalog schema, quoting the one it expects", () => {
    edit('teams', (d) => (d.$schema = './other.json'));
    expectKindoError(() => loadCatalog(dir), 'CATALOG_FIELD_INVALID', [
      'permissions/teams.json',
      '`$schema`',
      "'./other.json'",
      "'./schema.json'",
    ]);
  });

  test("fails if a value has the wrong type, with the schema's words", () => {
    edit('teams', (d) => (d.redirectUri = 'yes'));
    expectKindoError(() => loadCatalog(dir), 'CATALOG_FIELD_INVALID', [
      'permissions/teams.json',
      '`redirectUri`',
      "'yes'",
      'must be boolean',
    ]);
  });

  test('fails if a file is not an object, naming the root', () => {
    writeFileSync(join(dir, 'teams.json'), '[]');
    expectKindoError(() => loadCatalog(dir), 'CATALOG_FIELD_INVALID', ['permissions/teams.json', '`(root)`', '[]']);
  });

  test('checks a catalog folder against its own schema when that schema differs from the packaged one', () => {
    const schemaFile = join(dir, 'schema.json');
    writeFileSync(
      schemaFile,
      readFileSync(schemaFile, 'utf8').replace(
        '"WindowsDefenderATP",',
        '"WindowsDefenderATP", "Office 365 Management APIs",',
      ),
    );
    edit('defender', (d) => (d.apis[1].name = 'Office 365 Management APIs'));
    expect(loadCatalog(dir).defender.apis[1].name).toBe('Office 365 Management APIs');
    edit('teams', (d) => (d.redirectUri = 'yes'));
    expectKindoError(() => loadCatalog(dir), 'CATALOG_FIELD_INVALID', [
      'permissions/teams.json',
      '`redirectUri`',
      "'yes'",
      'must be boolean',
    ]);
  });

  test('names a list entry past the ninth by its index and a field with digits by its name', () => {
    edit('entra-id', (d) => (d.apis[0].permissions[12].id = 'not-a-guid'));
    expectKindoError(() => loadCatalog(dir), 'CATALOG_FIELD_INVALID', [
      'permissions/entra-id.json',
      '`apis[0].permissions[12].id`',
      "'not-a-guid'",
    ]);
    cpSync(CATALOG_DIR, dir, { recursive: true });
    edit('intune', (d) => (d.apis[0].scope2 = 1));
    expectKindoError(() => loadCatalog(dir), 'CATALOG_FIELD_INVALID', [
      'permissions/intune.json',
      '`apis[0].scope2` is 1',
    ]);
    cpSync(CATALOG_DIR, dir, { recursive: true });
    edit('intune', (d) => (d.apis[0]['2scopes'] = 1));
    expectKindoError(() => loadCatalog(dir), 'CATALOG_FIELD_INVALID', [
      'permissions/intune.json',
      '`apis[0].2scopes` is 1',
    ]);
  });

  test('ignores files in the catalog folder that are not JSON', () => {
    writeFileSync(join(dir, 'README.md'), '# notes');
    expect(loadCatalog(dir)).toEqual(catalog());
  });

  test('fails if only a file is missing, or only an unexpected one is present', () => {
    rmSync(join(dir, 'teams.json'));
    expect(
      expectKindoError(() => loadCatalog(dir), 'CATALOG_FILES_MISMATCH', [dir, 'missing teams.json']).message,
    ).not.toContain('unexpected');
    cpSync(CATALOG_DIR, dir, { recursive: true });
    writeFileSync(join(dir, 'hubspot.json'), '{}');
    expect(
      expectKindoError(() => loadCatalog(dir), 'CATALOG_FILES_MISMATCH', [dir, 'unexpected hubspot.json']).message,
    ).not.toContain('missing');
  });

  test('catalog() is the shipped folder, read once', () => {
    expect(catalog()).toEqual(loadCatalog());
    expect(catalog()).toBe(catalog());
  });
});
