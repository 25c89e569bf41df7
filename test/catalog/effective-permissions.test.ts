import { catalog, type IntegrationDefinition } from '../../src/catalog/catalog';
import { MIN_JUSTIFICATION, effectivePermissions } from '../../src/catalog/effective-permissions';
import type { AddedPermission } from '../../src/catalog/permission-changes';
import { expectKindoError } from '../support/errors';

const defender = catalog().defender;
const wdatp = defender.apis.find((a) => a.name === 'WindowsDefenderATP')!;
const graph = defender.apis[0];
// A definition where Graph and WindowsDefenderATP both list a scope of the same name.
const shared = { ...graph.permissions[0], name: wdatp.permissions[0].name };
const twoApisOneName: IntegrationDefinition = {
  ...defender,
  apis: [{ ...graph, permissions: [...graph.permissions, shared] }, wdatp],
};

describe('effectivePermissions', () => {
  test('fails if a removal names a permission two APIs share without its API, naming both', () => {
    expectKindoError(() => effectivePermissions(twoApisOneName, [shared.name]), 'AMBIGUOUS_PERMISSION', [
      '`removePermissions[0]`',
      `'${shared.name}'`,
      'Microsoft Graph',
      'WindowsDefenderATP',
    ]);
  });

  test("removes the named API's scope only when the removal is qualified", () => {
    const { apis, deviations } = effectivePermissions(twoApisOneName, [`WindowsDefenderATP/${shared.name}`]);
    expect(apis.find((a) => a.name === 'Microsoft Graph')!.permissions.map((p) => p.name)).toContain(shared.name);
    expect(apis.find((a) => a.name === 'WindowsDefenderATP')!.permissions.map((p) => p.name)).not.toContain(
      shared.name,
    );
    expect(deviations).toEqual([
      { change: 'removed', api: 'WindowsDefenderATP', permission: shared.name, id: wdatp.permissions[0].id },
    ]);
  });

  test('keeps the guide lists untouched without changes, and leaves out an API all of whose scopes are removed', () => {
    expect(effectivePermissions(defender)).toEqual({ apis: defender.apis, deviations: [] });
    const mtp = defender.apis.find((a) => a.name === 'Microsoft Threat Protection')!;
    const { apis } = effectivePermissions(
      defender,
      mtp.permissions.map((p) => `Microsoft Threat Protection/${p.name}`),
    );
    expect(apis.map((a) => a.name)).toEqual(
      defender.apis.map((a) => a.name).filter((n) => n !== 'Microsoft Threat Protection'),
    );
  });

  test(`accepts a justification of ${MIN_JUSTIFICATION} characters and refuses one of ${MIN_JUSTIFICATION - 1}`, () => {
    const add = (justification: string) =>
      effectivePermissions(
        catalog().outlook,
        [],
        [{ api: 'Microsoft Graph', name: 'Mail.Read', id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca', justification }],
      );
    expect(add('j'.repeat(MIN_JUSTIFICATION)).deviations[0].justification).toBe('j'.repeat(MIN_JUSTIFICATION));
    expectKindoError(() => add('j'.repeat(MIN_JUSTIFICATION - 1)), 'MISSING_JUSTIFICATION', [
      '`addPermissions[0].justification`',
    ]);
  });

  const outlook = catalog().outlook;
  const mailRead = {
    api: 'Microsoft Graph',
    name: 'Mail.Read',
    id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca',
    justification: 'Reads mail for the summary feature',
  };
  const addToOutlook = (...add: AddedPermission[]) => effectivePermissions(outlook, [], add);

  test('fails if a removal names a permission the integration does not request, listing its permissions (qualified when it has several APIs)', () => {
    const names = outlook.apis.flatMap((a) => a.permissions.map((p) => p.name));
    expectKindoError(() => effectivePermissions(outlook, ['Nope.Read']), 'UNKNOWN_PERMISSION', [
      '`removePermissions[0]`',
      "'Nope.Read'",
      names.join(', '),
    ]);
    const qualified = defender.apis.flatMap((a) => a.permissions.map((p) => `${a.name}/${p.name}`));
    const error = expectKindoError(
      () =>
        effectivePermissions(defender, [graph.permissions[0].name, `WindowsDefenderATP/${graph.permissions[0].name}`]),
      'UNKNOWN_PERMISSION',
      ['`removePermissions[1]`', `'WindowsDefenderATP/${graph.permissions[0].name}'`],
    );
    // Defender's are too many to list: those of the same resource, and where all of them are.
    const resource = graph.permissions[0].name.split('.')[0];
    const alike = qualified.filter((q) => q.split('/')[1].split('.')[0] === resource);
    expect(alike.length).toBeGreaterThan(0);
    expect(error.message).toContain(`one of its ${qualified.length} permissions, such as ${alike.join(', ')}`);
    expect(error.message).toContain('(PERMISSIONS.md#defender)');
    expect(error.message.length).toBeLessThan(300);
  });

  test('names no permission of another resource when a long list has none of the same', () => {
    const error = expectKindoError(() => effectivePermissions(defender, ['Nope.Read']), 'UNKNOWN_PERMISSION', [
      "'Nope.Read'",
    ]);
    expect(error.message).not.toContain('such as');
  });

  test('an added permission defaults to write access with admin consent, keeps the given ones, and records the trimmed justification', () => {
    const { apis, deviations } = addToOutlook({ ...mailRead, justification: `  ${mailRead.justification}  ` });
    const added = {
      name: 'Mail.Read',
      id: mailRead.id,
      description: mailRead.justification,
      access: 'write',
      adminConsentRequired: true,
    };
    expect(apis).toEqual([{ ...outlook.apis[0], permissions: [...outlook.apis[0].permissions, added] }]);
    expect(deviations).toEqual([
      {
        change: 'added',
        api: 'Microsoft Graph',
        permission: 'Mail.Read',
        id: mailRead.id,
        justification: mailRead.justification,
        access: 'write',
        adminConsentRequired: true,
      },
    ]);
    const explicit = addToOutlook({ ...mailRead, access: 'read', adminConsentRequired: false });
    expect(explicit.apis[0].permissions.at(-1)).toEqual({ ...added, access: 'read', adminConsentRequired: false });
    expect(explicit.deviations[0]).toMatchObject({ access: 'read', adminConsentRequired: false });
  });

  test('fails if a justification is shorter than the minimum once its padding is trimmed', () => {
    const padded = `  ${'j'.repeat(MIN_JUSTIFICATION - 1)}  `;
    expectKindoError(() => addToOutlook({ ...mailRead, justification: padded }), 'MISSING_JUSTIFICATION', [
      '`addPermissions[0].justification`',
      `'${padded}'`,
    ]);
  });

  test('adds a permission of an API the integration does not use yet as that API, from the catalog', () => {
    const scope = wdatp.permissions[0];
    const { apis } = addToOutlook({
      api: 'WindowsDefenderATP',
      name: scope.name,
      id: scope.id,
      justification: mailRead.justification,
    });
    expect(apis.map((a) => a.name)).toEqual([...outlook.apis.map((a) => a.name), 'WindowsDefenderATP']);
    expect(apis.at(-1)).toEqual({
      ...wdatp,
      permissions: [
        {
          name: scope.name,
          id: scope.id,
          description: mailRead.justification,
          access: 'write',
          adminConsentRequired: true,
        },
      ],
    });
  });

  test('fails if an added permission names an API the catalog does not know, listing the known ones', () => {
    expectKindoError(() => addToOutlook({ ...mailRead, api: 'Graph' }), 'UNKNOWN_API', [
      '`addPermissions[0].api`',
      "'Graph'",
      /Microsoft Graph, .*WindowsDefenderATP/,
    ]);
  });

  test('fails if an added permission has a malformed scope name or ID', () => {
    expectKindoError(() => addToOutlook({ ...mailRead, name: '1Mail' }), 'PATTERN_MISMATCH', [
      '`addPermissions[0].name`',
      "'1Mail'",
    ]);
    expectKindoError(() => addToOutlook({ ...mailRead, name: 'Mail Read' }), 'PATTERN_MISMATCH', [
      '`addPermissions[0].name`',
      "'Mail Read'",
    ]);
    expectKindoError(() => addToOutlook(mailRead, { ...mailRead, name: 'Mail.Send', id: 'not-a-guid' }), 'NOT_A_GUID', [
      '`addPermissions[1].id`',
      "'not-a-guid'",
    ]);
  });

  test('fails if an added permission contradicts the catalog: a known name with another ID, or a known ID under another name', () => {
    const scope = wdatp.permissions[0];
    const otherId = '00000000-0000-0000-0000-000000000001';
    expectKindoError(
      () => addToOutlook({ ...mailRead, api: 'WindowsDefenderATP', name: scope.name, id: otherId }),
      'CONFLICTING_PERMISSION',
      ['`addPermissions[0].id`', `'${otherId}'`, `WindowsDefenderATP ${scope.name}`, scope.id],
    );
    expectKindoError(
      () => addToOutlook({ ...mailRead, api: 'WindowsDefenderATP', name: 'Other.Name', id: scope.id }),
      'CONFLICTING_PERMISSION',
      ['`addPermissions[0].name`', "'Other.Name'", `WindowsDefenderATP ${scope.name}`, scope.id],
    );
  });

  test('fails if an added permission is one the integration already requests', () => {
    const own = outlook.apis[0].permissions[0];
    expectKindoError(() => addToOutlook({ ...mailRead, name: own.name, id: own.id }), 'CONFLICTING_PERMISSION', [
      '`addPermissions[0].name`',
      `'${own.name}'`,
    ]);
  });
});
