import { KindoConfigError } from '../../src/core/errors';
import { registrationsFromState } from '../../src/nango/verify';
import { expectKindoError } from '../support/errors';

type Json = Record<string, any>;

describe('registrationsFromState with a state not shaped as terraform show -json writes it', () => {
  const state: Json = {
    format_version: '1.0',
    values: {
      root_module: {
        resources: [
          {
            address: 'terraform_data.registration',
            mode: 'managed',
            type: 'terraform_data',
            values: {
              triggers_replace: { integration: 'teams', server_url: 'https://nango.example.com', unique_key: 'k' },
              input: { unique_key: 'k' },
            },
          },
          {
            address: 'terraform_data.sync',
            mode: 'managed',
            type: 'terraform_data',
            values: {
              triggers_replace: {
                server_url: 'https://nango.example.com',
                unique_key: 'k',
                provider: 'p',
                client_id: 'c',
                client_secret_key_id: 'id',
                'field.tenant_id': 't',
              },
            },
          },
          {
            address: 'azuread_application.a',
            mode: 'managed',
            type: 'azuread_application',
            values: { client_id: 'c', web: [{ redirect_uris: ['https://x'] }] },
          },
          {
            address: 'azuread_application_password.p',
            mode: 'managed',
            type: 'azuread_application_password',
            values: { key_id: 'id', value: 's' },
          },
        ],
        child_modules: [{ resources: [] }],
      },
    },
  };

  test.each<[(string | number)[], unknown, string]>([
    [['values', 'root_module', 'resources'], [null], '`values.root_module.resources[0]` is null'],
    [
      ['values', 'root_module', 'resources', 1, 'address'],
      { toString: 1 },
      '`values.root_module.resources[1].address` is {"toString":1}',
    ],
    [['values', 'root_module', 'child_modules'], 5, '`values.root_module.child_modules` is 5'],
    [
      ['values', 'root_module', 'child_modules', 0, 'resources'],
      [5],
      '`values.root_module.child_modules[0].resources[0]` is 5',
    ],
  ])('refuses %j set to %j, naming the file, the path and the value', (path, value, fragment) => {
    const copy = JSON.parse(JSON.stringify(state));
    path.slice(0, -1).reduce((o, k) => o[k], copy)[path.at(-1)!] = value;
    expectKindoError(() => registrationsFromState(copy, 's.json'), 'VERIFY_STATE_UNREADABLE', ["'s.json'", fragment]);
  });

  test('any value anywhere gives registrations or VERIFY_STATE_UNREADABLE/VERIFY_NOTHING_REGISTERED naming the path', () => {
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, path: (string | number)[]) => {
      if (path.length > 0) paths.push(path);
      if (typeof v === 'object' && v !== null)
        for (const [k, child] of Object.entries(v)) walk(child, [...path, Array.isArray(v) ? Number(k) : k]);
    };
    walk(state, []);
    for (const path of paths)
      for (const replacement of [7, 'x', null, [null], [5], { x: 1 }, { toString: 1 }]) {
        const copy = JSON.parse(JSON.stringify(state));
        path.slice(0, -1).reduce((o, k) => o[k], copy)[path.at(-1)!] = replacement;
        const at = `${path.join('.')} = ${JSON.stringify(replacement)}`;
        try {
          registrationsFromState(copy, 's.json');
        } catch (e) {
          expect(e, at).toBeInstanceOf(KindoConfigError);
        }
      }
  });
});
