import { catalog, type IntegrationDefinition } from '../../src/catalog/catalog';
import { MIN_JUSTIFICATION, effectivePermissions } from '../../src/catalog/effective-permissions';

const defender = catalog().defender;
const wdatp = defender.apis.find((a) => a.name === 'WindowsDefenderATP')!;
const graph = defender.apis[0];
// A definition where Graph and WindowsDefenderATP both list a scope of the same name.
const shared = { ...graph.permissions[0], name: wdatp.permissions[0].name };
const twoApisOneName: IntegrationDefinition = { ...defender, apis: [{ ...graph, permissions: [...graph.permissions, shared] }, wdatp] };

describe('effectivePermissions', () => {
  test('fails if a removal names a permission two APIs share without its API, naming both', () => {
    expect(() => effectivePermissions(twoApisOneName, [shared.name])).toThrow(
      `\`removePermissions[0]\` is '${shared.name}', which Microsoft Graph and WindowsDefenderATP both have; expected the API named too, e.g. 'WindowsDefenderATP/${shared.name}'`,
    );
  });

  test('removes the named API\'s scope only when the removal is qualified', () => {
    const { apis, deviations } = effectivePermissions(twoApisOneName, [`WindowsDefenderATP/${shared.name}`]);
    expect(apis.find((a) => a.name === 'Microsoft Graph')!.permissions.map((p) => p.name)).toContain(shared.name);
    expect(apis.find((a) => a.name === 'WindowsDefenderATP')!.permissions.map((p) => p.name)).not.toContain(shared.name);
    expect(deviations).toEqual([{ change: 'removed', api: 'WindowsDefenderATP', permission: shared.name, id: wdatp.permissions[0].id }]);
  });

  test('keeps the guide lists untouched without changes, and leaves out an API all of whose scopes are removed', () => {
    expect(effectivePermissions(defender)).toEqual({ apis: defender.apis, deviations: [] });
    const mtp = defender.apis.find((a) => a.name === 'Microsoft Threat Protection')!;
    const { apis } = effectivePermissions(defender, mtp.permissions.map((p) => `Microsoft Threat Protection/${p.name}`));
    expect(apis.map((a) => a.name)).toEqual(defender.apis.map((a) => a.name).filter((n) => n !== 'Microsoft Threat Protection'));
  });

  test(`accepts a justification of ${MIN_JUSTIFICATION} characters and refuses one of ${MIN_JUSTIFICATION - 1}`, () => {
    const add = (justification: string) => effectivePermissions(catalog().outlook, [], [{ api: 'Microsoft Graph', name: 'Mail.Read', id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca', justification }]);
    expect(add('j'.repeat(MIN_JUSTIFICATION)).deviations[0].justification).toBe('j'.repeat(MIN_JUSTIFICATION));
    expect(() => add('j'.repeat(MIN_JUSTIFICATION - 1))).toThrow('`addPermissions[0].justification` is');
  });
});
