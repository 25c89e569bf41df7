import { KindoConfigError } from '../../src/core/errors';
import { type TestProps, synthApp } from '../support/integration-app';
import { expectKindoError } from '../support/errors';

// A template sequence that Terraform would evaluate: `${` or `%{` not written as its escape `$${` / `%%{`.
const LIVE_TEMPLATE = /(?<![$%])[$%]\{(file|if)/;
const HOSTILE = 'x${file("/etc/hostname")}%{if true}y%{endif}"\\\n\u2028';

const GRAPH_MAIL_READ = { api: 'Microsoft Graph', name: 'Mail.Read', id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca' };

// Every prop that takes free text, with the hostile value where the prop takes it.
const CASES: [string, TestProps][] = [
  ['namePrefix', { integration: 'teams', namePrefix: HOSTILE }],
  ['secretRotation', { integration: 'teams', secretRotation: HOSTILE }],
  ['nangoUniqueKey', { integration: 'teams', nangoUniqueKey: HOSTILE }],
  ['nangoProvider', { integration: 'teams', nangoProvider: HOSTILE }],
  ['nangoFields', { integration: 'outlook', nangoFields: { note: HOSTILE } }],
  ['nango.environment', { integration: 'teams', nango: { environment: HOSTILE } }],
  ['nango.serverUrl', { integration: 'teams', nango: { serverUrl: `https://n.example.com/${HOSTILE}` } }],
  ['nango.callbackUrl', { integration: 'teams', nango: { callbackUrl: `https://n.example.com/${HOSTILE}` } }],
  ['tenantId', { integration: 'teams', tenantId: HOSTILE }],
  ['owners', { integration: 'teams', owners: [HOSTILE] }],
  ['fabricSqlEndpointHost', { integration: 'fabric', nango: undefined, fabricSqlEndpointHost: HOSTILE }],
  ['fabricLakehouseDatabase', { integration: 'fabric', nango: undefined, fabricLakehouseDatabase: HOSTILE }],
  [
    'addPermissions[].justification',
    { integration: 'outlook', addPermissions: [{ ...GRAPH_MAIL_READ, justification: `Kindo reads mail ${HOSTILE}` }] },
  ],
];

describe('MicrosoftIntegrationApp with free text that looks like Terraform', () => {
  test.each(CASES)('%s is refused by name, or reaches the configuration as a literal', (field, props) => {
    let json: string;
    try {
      // What Terraform reads: Testing.synth leaves out the "//" comments (a justification lives there,
      // for the review, which escapes it for Markdown; Terraform ignores "//" keys).
      ({ json } = synthApp(props));
    } catch (e) {
      // Refused: a configuration error that names the field.
      expect(e).toBeInstanceOf(KindoConfigError);
      expect((e as Error).message).toContain(field.replace(/\[\]\..*$/, ''));
      return;
    }
    expect(json).not.toMatch(LIVE_TEMPLATE);
    if (field !== 'addPermissions[].justification') expect(json).toContain('$${file(');
  });

  test('a URL with a line break, a quote or a brace is refused, though the URL parser would drop or encode them', () => {
    for (const serverUrl of ['https://n.example.com/a\nb', 'https://n.example.com/"x', 'https://n.example.com/${x}'])
      expectKindoError(() => synthApp({ integration: 'teams', nango: { serverUrl } }), 'MALFORMED_URL', [
        '`nango.serverUrl`',
      ]);
  });
});
