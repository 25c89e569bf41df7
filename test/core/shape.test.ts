import { randomUUID } from 'node:crypto';
import { TerraformStack, TerraformVariable, Testing, Token } from 'cdktf';
import { KindoMicrosoftIntegrations } from '../../src/constructs/kindo-microsoft-integrations';
import { MicrosoftIntegrationApp } from '../../src/constructs/microsoft-integration-app';
import { checkShapes } from '../../src/core/shape';
import { expectKindoError } from '../support/errors';

/** Props as a JavaScript caller or a JSON file could give them, past TypeScript. */
type Loose = Record<string, unknown>;

function integrations(props: Loose): void {
  const stack = new TerraformStack(Testing.app(), 'test');
  const secretKey = new TerraformVariable(stack, 'key', { type: 'string', sensitive: true }).stringValue;
  new KindoMicrosoftIntegrations(stack, 'Kindo', { integrations: ['teams'], nango: { secretKey }, ...props } as never);
}

describe('construct props of another kind than their type', () => {
  // Each was a TypeError naming neither the prop nor the value.
  test.each<[string, Loose, string, string]>([
    ['owners', { owners: 'x' }, '`owners`', 'a list of strings'],
    ['allowedGroups', { allowedGroups: { teams: 'x' } }, '`allowedGroups`', 'a list of strings or a map'],
    ['integrations', { integrations: 'teams' }, '`integrations`', 'a list of strings'],
    ['integrations null', { integrations: null }, '`integrations` is null (null)', 'a list of strings'],
    ['adoptExistingNangoIntegrations', { adoptExistingNangoIntegrations: 'teams' }, '`adoptExisting', 'a list'],
    ['nangoUniqueKeys', { nangoUniqueKeys: { teams: 42 } }, '`nangoUniqueKeys.teams` is 42 (a number)', 'a string'],
    ['fabricLakehouseDatabase', { fabricLakehouseDatabase: null }, '`fabricLakehouseDatabase`', 'a string'],
    ['removePermissions', { removePermissions: { teams: [42] } }, '`removePermissions.teams[0]`', 'a string'],
    [
      'addPermissions justification',
      { addPermissions: { teams: [{ api: 'Microsoft Graph', name: 'Mail.Read', id: 'x', justification: 42 }] } },
      '`addPermissions.teams[0].justification` is 42',
      'a string',
    ],
    ['nangoFields', { nangoFields: null }, '`nangoFields` is null', 'a map (object) of maps (objects) of strings'],
    ['existingApps', { existingApps: null }, '`existingApps` is null', 'a map (object)'],
    ['namePrefix', { namePrefix: 42 }, '`namePrefix` is 42', 'a string'],
    [
      'nango.environment',
      { nango: { secretKey: '${var.key}', environment: [] } },
      '`nango.environment` is []',
      'a string',
    ],
  ])('%s is refused by name, with the value and the kind expected', (_, props, named, expected) => {
    expectKindoError(() => integrations(props), 'WRONG_TYPE', [named, expected]);
  });

  test('never shows a Nango secret key of another kind, nor a value that holds one', () => {
    const planted = randomUUID();
    for (const nango of [{ secretKey: [planted] }, [{ secretKey: planted }], `{"secretKey":"${planted}"}`]) {
      const error = expectKindoError(() => integrations({ nango }), 'WRONG_TYPE', ['`nango', 'its value not shown']);
      expect(error.message).not.toContain(planted);
    }
  });

  test('MicrosoftIntegrationApp checks its own props the same way', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    expectKindoError(
      () => new MicrosoftIntegrationApp(stack, 'App', { integration: 'fabric', secretLifetimeDays: '90' } as never),
      'WRONG_TYPE',
      ["`secretLifetimeDays` is '90' (a string); expected a number"],
    );
  });

  test('a Terraform token of any kind passes: its value is Terraform’s', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const v = new TerraformVariable(stack, 'v', { type: 'any' });
    expect(() =>
      checkShapes(
        {
          owners: v.listValue,
          namePrefix: v.stringValue,
          secretLifetimeDays: v.numberValue,
          admin: Token.asAny(v.value),
        },
        { owners: { list: 'string' }, namePrefix: 'string', secretLifetimeDays: 'number', admin: 'boolean' },
      ),
    ).not.toThrow();
  });
});
