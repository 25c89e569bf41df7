import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { ADOPT_EXAMPLE_DIR, EXAMPLE_DIR, MODULE_DIR } from '../../scripts/generate-module';
import v010 from '../../scripts/module/v0.1.0-addresses.json';
import { INTEGRATION_IDS, catalog, type IntegrationId } from '../../src/catalog/catalog';
import {
  KindoMicrosoftIntegrations,
  type KindoMicrosoftIntegrationsProps,
} from '../../src/constructs/kindo-microsoft-integrations';
import { missingApiServicePrincipalMessage, scopeIdMismatchMessage } from '../../src/constructs/stack-lookups';
import { checkNangoFields } from '../../src/nango/nango-fields';
import { NANGO_ENVIRONMENT_VARIABLE } from '../../src/nango/nango-registration';
import { FakeNango } from '../support/fake-nango';
import { type Body, blocks, built, unwrap } from '../support/module';
import { consoleValue, hasTerraform, terraform, terraformEnv } from '../support/terraform';

/** A folded block's expression for one integration: `each.key` is its id, `each.value` its catalog entry. */
const forIntegration = (template: string, id: string) =>
  unwrap(template)
    .replace(/\beach\.key\b/g, JSON.stringify(id))
    .replace(/\beach\.value\b/g, `local.catalog[${JSON.stringify(id)}]`);
/** Instances Terraform's own synth of the constructs holds, by resource type, for a selection. */
function constructInstances(
  integrations: readonly IntegrationId[],
  props: Partial<KindoMicrosoftIntegrationsProps> = {},
): Record<string, number> {
  const stack = new TerraformStack(Testing.app(), 'constructs');
  const secretKey = new TerraformVariable(stack, 'nango_secret_key', { type: 'string', sensitive: true }).stringValue;
  // As the module gives it: a variable, so the environment is recorded for every registration.
  const environment = new TerraformVariable(stack, 'nango_environment', NANGO_ENVIRONMENT_VARIABLE).stringValue;
  new KindoMicrosoftIntegrations(stack, 'Kindo', { integrations, nango: { secretKey, environment }, ...props });
  const config = stack.toTerraform() as { resource: Record<string, Body>; data: Record<string, Body> };
  const counts: Record<string, number> = {};
  for (const [kind, prefix] of [
    ['resource', ''],
    ['data', 'data.'],
  ] as const) {
    for (const [type, blocks] of Object.entries(config[kind] ?? {}))
      counts[`${prefix}${type}`] = Object.keys(blocks).length;
  }
  return counts;
}

/** What an integration's app requests, by API application ID, as constructs or module state it. */
interface Requested {
  /** required_resource_access: scope IDs by API. */
  readonly access: Record<string, string[]>;
  /** Admin-consent grants that exist: scope names by API. */
  readonly grants: Record<string, string[]>;
  /** The scopes registered with Nango. */
  readonly scopes: string;
  readonly notes: string;
}

/** Per integration, what Terraform's synth of the constructs requests for a selection. */
function constructRequests(
  integrations: readonly IntegrationId[],
  props: Partial<KindoMicrosoftIntegrationsProps>,
): Record<string, Requested> {
  const stack = new TerraformStack(Testing.app(), 'constructs');
  const secretKey = new TerraformVariable(stack, 'nango_secret_key', { type: 'string', sensitive: true }).stringValue;
  // As the module gives it: a variable, so the environment is recorded for every registration.
  const environment = new TerraformVariable(stack, 'nango_environment', NANGO_ENVIRONMENT_VARIABLE).stringValue;
  new KindoMicrosoftIntegrations(stack, 'Kindo', { integrations, nango: { secretKey, environment }, ...props });
  const config = stack.toTerraform() as {
    resource: Record<string, Record<string, Body>>;
    data: Record<string, Record<string, Body>>;
  };
  // Construct paths are constructs/Kindo/<integration id>/…
  const of = (type: string, id: string) =>
    Object.values(config.resource[type] ?? {}).filter((b) => b['//'].metadata.path.split('/')[2] === id);
  return Object.fromEntries(
    integrations.map((id) => {
      const [app] = of('azuread_application', id);
      const apiOf = (grant: Body) =>
        config.data.azuread_service_principal[
          /data\.azuread_service_principal\.(\w+)(\[0\])?\./.exec(grant.resource_service_principal_object_id)![1]
        ].client_id;
      const requested: Requested = {
        access: Object.fromEntries(
          app.required_resource_access.map((r: Body) => [r.resource_app_id, r.resource_access.map((a: Body) => a.id)]),
        ),
        grants: Object.fromEntries(
          of('azuread_service_principal_delegated_permission_grant', id).map((g) => [apiOf(g), g.claim_values]),
        ),
        scopes: of('terraform_data', id).find((d) => d.triggers_replace?.scopes)!.triggers_replace.scopes,
        notes: app.notes,
      };
      return [id, requested];
    }),
  );
}

/** The module's variables for a selection and the constructs' props. */
function moduleVars(
  integrations: readonly IntegrationId[],
  props: Partial<KindoMicrosoftIntegrationsProps>,
): Record<string, string> {
  const vars: Record<string, string> = { integrations: JSON.stringify(integrations) };
  if (props.adminConsent === false) vars.admin_consent = 'false';
  // JSON is valid HCL for the map inputs; the module spells one attribute of an addition in snake case.
  if (props.removePermissions) vars.remove_permissions = JSON.stringify(props.removePermissions);
  if (props.addPermissions)
    vars.add_permissions = JSON.stringify(props.addPermissions).replace(
      /"adminConsentRequired"/g,
      '"admin_consent_required"',
    );
  return vars;
}

const OUTLOOK_WITHOUT_MAIL_SEND: Partial<KindoMicrosoftIntegrationsProps> = {
  removePermissions: { outlook: ['Mail.Send'] },
};
const TEAMS_WITH_MAIL_READ: Partial<KindoMicrosoftIntegrationsProps> = {
  addPermissions: {
    teams: [
      {
        api: 'Microsoft Graph',
        name: 'Mail.Read',
        id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca',
        justification: 'Kindo summarizes mail about the channels it reads',
      },
    ],
  },
};
// Every WindowsDefenderATP scope of defender's guide list, so that its grant and lookup go away.
const DEFENDER_WITHOUT_WDATP: Partial<KindoMicrosoftIntegrationsProps> = {
  removePermissions: {
    defender: catalog()
      .defender.apis.find((a) => a.name === 'WindowsDefenderATP')!
      .permissions.map((p) => `WindowsDefenderATP/${p.name}`),
  },
};
const ADOPTED_APP = '0f8e2c6d-1b2a-4c3d-9e8f-7a6b5c4d3e2f';
/** The module's inputs and the locals they and its for_each expressions read: enough for `terraform console` and variable validation. */
const INPUT_FILES = ['variables.tf', 'catalog.tf', 'locals.tf'];
/** The constructs' message for fields of one integration, with the module's variable entry in place of the prop's name. */
function constructFieldsMessage(id: string, fields: Record<string, string>): string {
  try {
    checkNangoFields('nangoFields', fields);
  } catch (e) {
    return `${(e as Error).message.replace('nangoFields', `nango_fields["${id}"]`)}.`;
  }
  throw new Error(`the constructs accept ${JSON.stringify(fields)}`);
}

describe.skipIf(!hasTerraform)('Terraform module evaluated by terraform (terraform on the PATH)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kindo-module-vars-'));
    // Only the module's inputs and the locals they and the for_each expressions read: validation runs
    // at plan, with no provider to download.
    for (const file of INPUT_FILES) cpSync(join(MODULE_DIR, file), join(dir, file));
    // An ephemeral input cannot reach a resource; its validation runs all the same.
    const input = Object.fromEntries(
      Object.entries(built().variable)
        .filter(([, v]) => !v.ephemeral)
        .map(([name]) => [name, `\${var.${name}}`]),
    );
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ resource: { terraform_data: { inputs: { input } } } }));
    const init = await terraform(dir, ['init', '-input=false']);
    expect(init.status, init.output).toBe(0);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** An expression with the presence lookup finding every API the catalog knows, as in a tenant that has them all. */
  const allApisPresent = (expression: string) =>
    expression.replace(
      /data\.azuread_service_principals\.api_presence\.service_principals\[\*\]\.client_id/g,
      '[for a in values(local.apis) : a.resource_app_id]',
    );

  /** `terraform console`'s value of an HCL expression, with the module's variables set. */
  function evaluate(vars: Record<string, string>, expression: string): any {
    return consoleValue(dir, { nango_secret_key: 'k', ...vars }, expression);
  }

  test("gives each client secret the constructs' end date and each app and service principal the constructs' owners", () => {
    const caller = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
    const other = '8f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
    // plantimestamp() as a fixed time, and the caller's lookup as a literal, on both sides.
    // A list of references (the constructs' owners without a list given) as one HCL list.
    const bind = (template: string | string[]) =>
      (Array.isArray(template) ? `[${template.map(unwrap).join(', ')}]` : unwrap(template))
        .replace(/plantimestamp\(\)/g, '"2026-11-26T00:00:00Z"')
        .replace(/data\.azuread_client_config\.\w+\.object_id/g, JSON.stringify(caller))
        // The record of the identity that first applied the integration (src/constructs/ownership.ts), as that caller.
        .replace(/terraform_data\.\w+(\[[^\]]+\])?\.input\.object_id/g, JSON.stringify(caller));
    const constructs = (props: Partial<KindoMicrosoftIntegrationsProps>) => {
      const stack = new TerraformStack(Testing.app(), 'constructs');
      const secretKey = new TerraformVariable(stack, 'nango_secret_key', { type: 'string', sensitive: true })
        .stringValue;
      new KindoMicrosoftIntegrations(stack, 'Kindo', { integrations: ['teams'], nango: { secretKey }, ...props });
      const tf = stack.toTerraform() as { resource: Record<string, Record<string, Body>> };
      return (type: string) => Object.values(tf.resource[type])[0];
    };
    const module = (type: string) => built().resource[type].this;
    // Object IDs as the portal may show them, in capitals: the constructs compare them in lower case.
    for (const [days, owners] of [
      [180, undefined],
      [1, [other]],
      [730, [other, caller]],
      [30, [caller]],
      [90, [caller.toUpperCase(), other.toUpperCase()]],
    ] as const) {
      const made = constructs({ secretLifetimeDays: days, ...(owners ? { owners: [...owners] } : {}) });
      const vars = {
        integrations: '["teams"]',
        secret_lifetime_days: String(days),
        owners: JSON.stringify(owners ?? []),
      };
      const password = [made('azuread_application_password'), module('azuread_application_password')];
      expect(evaluate(vars, bind(password[1].end_date)), `end_date, ${days} days`).toBe(
        evaluate({ integrations: '["teams"]' }, bind(password[0].end_date)),
      );
      expect(password[1].lifecycle).toEqual(password[0].lifecycle);
      for (const type of ['azuread_application', 'azuread_service_principal']) {
        // A set in azuread: compared without order.
        const [fromModule, fromConstructs] = [
          evaluate(vars, bind(module(type).owners)),
          evaluate({ integrations: '["teams"]' }, bind(made(type).owners)),
        ];
        expect(fromModule.sort(), `${type} owners ${JSON.stringify(owners)}`).toEqual(fromConstructs.sort());
      }
    }
  }, 60_000);

  test('is formatted as `terraform fmt` formats it, and so are examples/basic and examples/adopt', () => {
    for (const target of [MODULE_DIR, EXAMPLE_DIR, ADOPT_EXAMPLE_DIR]) {
      const run = spawnSync('terraform', ['fmt', '-check', '-diff', '-no-color', target], {
        env: terraformEnv(),
        encoding: 'utf8',
      });
      expect(run.status, run.stdout).toBe(0);
    }
  }, 60_000);

  /** Instances the module would hold, by resource type: each for_each evaluated by `terraform console`. */
  function moduleInstances(vars: Record<string, string>): Record<string, number> {
    const all = blocks();
    const counts = evaluate(
      vars,
      `[${all.map((b) => (b.body.for_each ? `length(${allApisPresent(unwrap(b.body.for_each))})` : '1')).join(', ')}]`,
    ) as number[];
    const byType: Record<string, number> = {};
    all.forEach((b, i) => {
      const type = `${b.data ? 'data.' : ''}${b.type}`;
      if (counts[i] > 0) byType[type] = (byType[type] ?? 0) + counts[i];
    });
    return byType;
  }

  /** Per integration, what the module requests: its own expressions evaluated by `terraform console` for that integration. */
  function moduleRequests(
    vars: Record<string, string>,
    integrations: readonly IntegrationId[],
  ): Record<string, Requested> {
    const app = built().resource.azuread_application.this;
    const grant = built().resource.azuread_service_principal_delegated_permission_grant.this;
    const api = built().data.azuread_service_principal.api;
    const sync = built().resource.terraform_data.nango_sync;
    // A grant's values for its pair: each.value is the pair, each.key its key.
    const forPair = (template: string) => unwrap(template).replace(/\beach\.value\b/g, 'pair');
    const expressions = integrations.map((id) => {
      const grants = `{ for key, pair in ${unwrap(grant.for_each)} : ${unwrap(api.client_id).replace(/\beach\.key\b/g, 'pair.api')} => ${forPair(grant.claim_values)} if pair.integration == ${JSON.stringify(id)} }`;
      return `${JSON.stringify(id)} = { access = ${forIntegration(app.dynamic.required_resource_access.for_each, id)}, grants = ${grants}, scopes = ${forIntegration(sync.triggers_replace.scopes, id)}, notes = ${forIntegration(app.notes, id)} }`;
    });
    return evaluate(vars, `{ ${expressions.join(', ')} }`);
  }

  test.each<[string, readonly IntegrationId[], Partial<KindoMicrosoftIntegrationsProps>]>([
    ['one delegated integration', ['teams'], {}],
    ['Fabric alone, without Nango or grants', ['fabric'], {}],
    ['an integration with three APIs and one with two', ['defender', 'purview-data-governance', 'outlook'], {}],
    ['all 14', INTEGRATION_IDS, {}],
    ['a subset without admin consent', ['defender', 'sharepoint-online'], { adminConsent: false }],
    ['defender without any WindowsDefenderATP scope', ['defender', 'outlook'], DEFENDER_WITHOUT_WDATP],
    [
      'a subset with a permission removed and one added',
      ['outlook', 'teams'],
      { ...OUTLOOK_WITHOUT_MAIL_SEND, ...TEAMS_WITH_MAIL_READ },
    ],
  ])(
    'enabling %s yields exactly the objects the constructs create for it',
    (_, integrations, props) => {
      expect(moduleInstances(moduleVars(integrations, props))).toEqual(constructInstances(integrations, props));
    },
    60_000,
  );

  test('removing Mail.Send from outlook and adding Mail.Read to teams changes their required permissions, consent and Nango scopes', () => {
    const props = { ...OUTLOOK_WITHOUT_MAIL_SEND, ...TEAMS_WITH_MAIL_READ };
    const requested = moduleRequests(moduleVars(['outlook', 'teams'], props), ['outlook', 'teams']);
    const graph = '00000003-0000-0000-c000-000000000000';
    const [mailSend, mailRead] = ['e383f46e-2787-4529-855e-0e479a3ffac0', '570282fd-fa5c-430d-a7fd-fc8dc98a9dca'];
    const guide = moduleRequests(moduleVars(['outlook', 'teams'], {}), ['outlook', 'teams']);
    expect(guide.outlook.access[graph]).toContain(mailSend);
    expect(guide.outlook.grants[graph]).toContain('Mail.Send');
    expect(guide.outlook.scopes.split(',')).toContain('Mail.Send');

    expect(requested.outlook.access[graph]).toEqual(guide.outlook.access[graph].filter((id) => id !== mailSend));
    expect(requested.outlook.grants[graph]).toEqual(guide.outlook.grants[graph].filter((n) => n !== 'Mail.Send'));
    expect(requested.outlook.scopes).toBe(guide.outlook.scopes.replace(',Mail.Send', ''));
    expect(requested.outlook.notes).toMatch(/ Deviates from Kindo's guide: -Mail\.Send$/);
    expect(requested.teams.access[graph]).toEqual([...guide.teams.access[graph], mailRead]);
    expect(requested.teams.grants[graph]).toEqual([...guide.teams.grants[graph], 'Mail.Read']);
    expect(requested.teams.scopes).toBe(`${guide.teams.scopes},Mail.Read`);
    expect(requested.teams.notes).toMatch(/ Deviates from Kindo's guide: \+Mail\.Read$/);
    expect(requested).toEqual(constructRequests(['outlook', 'teams'], props));
  }, 60_000);

  test.each<[string, readonly IntegrationId[], Partial<KindoMicrosoftIntegrationsProps>]>([
    ["Kindo's guide", ['defender', 'outlook', 'purview-data-governance'], {}],
    [
      'removals by name and by "<API>/<name>", with a whole API gone',
      ['defender', 'outlook'],
      {
        removePermissions: {
          ...DEFENDER_WITHOUT_WDATP.removePermissions,
          outlook: ['Microsoft Graph/Mail.Send', 'People.Read'],
        },
      },
    ],
    [
      'additions to a second API and to Graph, with one scope removed and added back',
      ['defender', 'purview-data-governance'],
      {
        removePermissions: { defender: ['Incident.Read'] },
        addPermissions: {
          defender: [
            {
              api: 'Microsoft Threat Protection',
              name: 'Incident.Read',
              id: '12c153a4-4204-4224-aa3c-4626e2f47c2b',
              justification: 'read back to test the round trip of a removed scope',
            },
          ],
          'purview-data-governance': [
            {
              api: 'Microsoft Graph',
              name: 'Mail.Read',
              id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca',
              justification: 'Kindo links governance findings to the mail that caused them',
              access: 'read',
              adminConsentRequired: false,
            },
          ],
        },
      },
    ],
    [
      'overrides without admin consent',
      ['outlook', 'teams'],
      { ...OUTLOOK_WITHOUT_MAIL_SEND, ...TEAMS_WITH_MAIL_READ, adminConsent: false },
    ],
  ])(
    'with %s, the module requests what the constructs request',
    (_, integrations, props) => {
      expect(moduleRequests(moduleVars(integrations, props), integrations)).toEqual(
        constructRequests(integrations, props),
      );
    },
    60_000,
  );

  /** A lookup's postcondition evaluated with `self` (and, for the per-API lookup, the API) given. */
  function postcondition(
    vars: Record<string, string>,
    lookup: Body,
    self: string,
    api?: string,
  ): { holds: boolean; message: string } {
    const [{ condition, error_message: message }] = lookup.lifecycle.postcondition;
    const bind = (template: string) =>
      unwrap(template)
        .replace(/\bself\b/g, `(${self})`)
        .replace(/\beach\.value\b/g, `local.requested_apis[${JSON.stringify(api)}]`)
        .replace(/\beach\.key\b/g, JSON.stringify(api));
    return evaluate(vars, `{ holds = ${bind(condition)}, message = ${bind(message)} }`);
  }

  test('stops the plan when an API the enabled integrations request has no service principal, naming them as the constructs do', () => {
    const presence = built().data.azuread_service_principals.api_presence;
    const vars = { integrations: '["defender","teams","purview-data-governance"]' };
    const graphOnly = '{ service_principals = [{ client_id = "00000003-0000-0000-c000-000000000000" }] }';
    const result = postcondition(vars, presence, graphOnly);
    expect(result.holds).toBe(false);
    const api = (name: string) =>
      Object.values(catalog())
        .flatMap((d) => d.apis)
        .find((a) => a.name === name)!;
    expect(result.message.split('\n').sort()).toEqual(
      [
        missingApiServicePrincipalMessage('Microsoft Purview', api('Microsoft Purview').resourceAppId, [
          "integration 'purview-data-governance'",
        ]),
        missingApiServicePrincipalMessage(
          'Microsoft Threat Protection',
          api('Microsoft Threat Protection').resourceAppId,
          ["integration 'defender'"],
        ),
        missingApiServicePrincipalMessage('WindowsDefenderATP', api('WindowsDefenderATP').resourceAppId, [
          "integration 'defender'",
        ]),
      ].sort(),
    );
    // Only the enabled integrations' APIs count: teams alone needs Microsoft Graph only.
    expect(postcondition({ integrations: '["teams"]' }, presence, graphOnly)).toEqual({ holds: true, message: '' });
    expect(evaluate({ integrations: '["teams"]' }, unwrap(presence.client_ids))).toEqual([
      '00000003-0000-0000-c000-000000000000',
    ]);
  }, 60_000);

  test('stops the plan when the tenant publishes a requested scope under another ID, naming every integration that requests it', () => {
    const lookup = built().data.azuread_service_principal.api;
    const vars = {
      integrations: '["outlook","teams","fabric"]',
      ...moduleVars(['outlook', 'teams', 'fabric'], TEAMS_WITH_MAIL_READ),
    };
    const graph = catalog().outlook.apis[0];
    const published = Object.fromEntries(
      Object.values(catalog()).flatMap((d) =>
        d.apis.filter((a) => a.name === graph.name).flatMap((a) => a.permissions.map((p) => [p.name, p.id])),
      ),
    );
    const other = '00000000-0000-0000-0000-000000000001';
    const self = (ids: Record<string, string>) =>
      `{ oauth2_permission_scope_ids = ${JSON.stringify(ids).replace(/":/g, '" =')} }`;
    expect(
      postcondition(
        vars,
        lookup,
        self({ ...published, 'Mail.Read': '570282fd-fa5c-430d-a7fd-fc8dc98a9dca' }),
        graph.name,
      ),
    ).toEqual({ holds: true, message: '' });
    const { 'Mail.Read': _, ...withoutMailRead } = published;
    const result = postcondition(vars, lookup, self({ ...withoutMailRead, 'User.Read': other }), graph.name);
    expect(result.holds).toBe(false);
    const found = (scope: string) =>
      `lookup(self.oauth2_permission_scope_ids, ${JSON.stringify(scope)}, "none (not published)")`;
    const expected = (scope: string, id: string, requesters: string[], publishedId: string) =>
      scopeIdMismatchMessage(graph.name, scope, id, found(scope), requesters).replace(
        `\${${found(scope)}}`,
        publishedId,
      );
    expect(result.message.split('\n').sort()).toEqual(
      [
        expected(
          'User.Read',
          published['User.Read'],
          ["integration 'fabric'", "integration 'outlook'", "integration 'teams'"],
          other,
        ),
        expected('Mail.Read', '570282fd-fa5c-430d-a7fd-fc8dc98a9dca', ["integration 'teams'"], 'none (not published)'),
      ].sort(),
    );
  }, 60_000);

  const base = { integrations: '["teams","outlook","fabric"]', nango_secret_key: 'k' };
  /** add_permissions with one entry for teams: Graph Mail.Read, with fields replaced. */
  const added = (fields: Record<string, string> = {}) =>
    JSON.stringify({
      teams: [
        {
          api: 'Microsoft Graph',
          name: 'Mail.Read',
          id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca',
          justification: 'Kindo summarizes mail about the channels it reads',
          ...fields,
        },
      ],
    });
  test.concurrent.each<[string, Record<string, string>, string]>([
    [
      'integrations',
      { integrations: '["teams","skype"]' },
      'integrations has unknown ids: skype; expected ids from: defender,',
    ],
    ['integrations', { integrations: '[]' }, 'integrations is empty; expected at least one integration id'],
    ['nango_server_url', { nango_server_url: 'http://nango.example.com' }, 'nango_server_url must be an https:// URL'],
    [
      'nango_server_url',
      { nango_server_url: 'https://user:pw@nango.example.com' },
      'nango_server_url must be an https:// URL without credentials',
    ],
    [
      'nango_callback_url',
      { nango_callback_url: 'https://nango.example.com/oauth/callback?x=1' },
      'nango_callback_url must be an https:// URL',
    ],
    ['nango_secret_key', { nango_secret_key: '' }, 'nango_secret_key is empty'],
    ['name_prefix', { name_prefix: 'x'.repeat(61) }, 'name_prefix is "xxx'],
    [
      'secret_lifetime_days',
      { secret_lifetime_days: '731' },
      'secret_lifetime_days is 731; expected a whole number of days from 1 to 730',
    ],
    [
      'secret_lifetime_days',
      { secret_lifetime_days: '1.5' },
      'secret_lifetime_days is 1.5; expected a whole number of days',
    ],
    [
      'secret_expiry_warning_days',
      { secret_expiry_warning_days: '-1' },
      'secret_expiry_warning_days is -1; expected a whole number of days from 0 to 730',
    ],
    [
      'owners',
      { owners: '["8f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b","alice"]' },
      'owners has alice; expected object IDs (GUIDs)',
    ],
    ['tenant_id', { tenant_id: 'contoso.onmicrosoft.com' }, 'tenant_id is "contoso.onmicrosoft.com"; expected a GUID'],
    [
      'nango_unique_keys',
      { nango_unique_keys: '{teams="kindo/teams"}' },
      'nango_unique_keys has {"teams":"kindo/teams"}; expected keys of 1 to 255 letters',
    ],
    [
      'nango_unique_keys',
      { nango_unique_keys: '{fabric="kindo-fabric"}' },
      'nango_unique_keys has entries for fabric; expected unique keys only for integrations registered with Nango',
    ],
    [
      'nango_unique_keys',
      { nango_unique_keys: '{intune="kindo-intune"}' },
      'nango_unique_keys has entries for intune, which are not in integrations',
    ],
    [
      'nango_unique_keys',
      { nango_unique_keys: '{teams="kindo-outlook"}' },
      'nango_unique_keys gives two enabled integrations the same Nango unique key',
    ],
    [
      'nango_providers',
      { nango_providers: '{teams="microsoft"}' },
      'nango_providers has {"teams":"microsoft"}; expected OAUTH2 providers',
    ],
    [
      'nango_providers',
      { nango_providers: '{teams="no-such-provider"}' },
      'nango_providers has {"teams":"no-such-provider"}; expected OAUTH2 providers',
    ],
    [
      'nango_providers',
      { nango_providers: '{outlook="github-app"}' },
      'nango_providers has {"outlook":"github-app"}; expected OAUTH2 providers',
    ],
    [
      'fabric_sql_endpoint_host',
      { fabric_sql_endpoint_host: 'foo.datawarehouse.fabric.microsoft.com' },
      'fabric_sql_endpoint_host is "foo.datawarehouse.fabric.microsoft.com"; expected host,port',
    ],
    [
      'fabric_sql_endpoint_host',
      { fabric_sql_endpoint_host: 'foo.example.com,65536' },
      'fabric_sql_endpoint_host is "foo.example.com,65536"; expected host,port',
    ],
    [
      'fabric_sql_endpoint_host',
      { integrations: '["teams"]', fabric_sql_endpoint_host: 'foo.example.com,1433' },
      'fabric_sql_endpoint_host is set, but fabric is not in integrations',
    ],
    [
      'fabric_lakehouse_database',
      { fabric_lakehouse_database: 'db];drop' },
      'fabric_lakehouse_database is "db];drop"; expected a database name',
    ],
    [
      'remove_permissions',
      { remove_permissions: '{fabric=["User.Read"]}' },
      'remove_permissions has entries for fabric; expected removals only for delegated integrations',
    ],
    [
      'remove_permissions',
      { remove_permissions: '{intune=["User.Read"]}' },
      'remove_permissions has entries for intune, which are not in integrations',
    ],
    [
      'remove_permissions',
      { remove_permissions: '{outlook=["Mail.Send","Mail.Read"]}' },
      `remove_permissions["outlook"][1] is "Mail.Read", which does not name exactly one permission of outlook; expected one of its guide list: ${catalog()
        .outlook.apis.flatMap((a) => a.permissions.map((p) => p.name))
        .join(', ')}.`,
    ],
    [
      'remove_permissions',
      { remove_permissions: '{outlook=["WindowsDefenderATP/Mail.Send"]}' },
      'remove_permissions["outlook"][0] is "WindowsDefenderATP/Mail.Send", which does not name exactly one permission of outlook',
    ],
    [
      'add_permissions',
      { add_permissions: added().replace('teams', 'fabric') },
      'add_permissions has entries for fabric; expected additions only for delegated integrations',
    ],
    [
      'add_permissions',
      { add_permissions: added().replace('teams', 'intune') },
      'add_permissions has entries for intune, which are not in integrations',
    ],
    [
      'add_permissions',
      { add_permissions: added({ api: 'Graph' }) },
      'add_permissions["teams"][0].api is "Graph"; expected one of the APIs the catalog knows: Microsoft Graph, Microsoft Threat Protection, WindowsDefenderATP, Microsoft Purview.',
    ],
    [
      'add_permissions',
      { add_permissions: added({ api: 'WindowsDefenderATP', name: 'Alert.Read.All' }) },
      'add_permissions["teams"][0].api is "WindowsDefenderATP", which the guide list of teams does not use; expected one of its APIs, Microsoft Graph, since the module grants admin consent only to those.',
    ],
    [
      'add_permissions',
      { add_permissions: added({ name: 'Mail Read' }) },
      'add_permissions["teams"][0].name is "Mail Read"; expected a delegated scope name such as "Mail.Read".',
    ],
    [
      'add_permissions',
      { add_permissions: added({ id: 'mail-read' }) },
      'add_permissions["teams"][0].id is "mail-read"; expected a GUID such as "00000000-0000-0000-0000-000000000000".',
    ],
    [
      'add_permissions',
      { add_permissions: added({ justification: '  needed for mail   ' }) },
      'add_permissions["teams"][0].justification is " needed for mail "; expected a justification of at least 20 characters',
    ],
    [
      'add_permissions',
      { add_permissions: added({ access: 'admin' }) },
      'add_permissions["teams"][0].access is "admin"; expected "read" or "write".',
    ],
    [
      'add_permissions',
      { add_permissions: added({ name: 'Mail.Send' }) },
      'add_permissions["teams"][0].id is "570282fd-fa5c-430d-a7fd-fc8dc98a9dca", but the catalog gives Microsoft Graph Mail.Send the scope ID e383f46e-2787-4529-855e-0e479a3ffac0; expected that ID.',
    ],
    [
      'add_permissions',
      { add_permissions: added({ name: 'Mail.SendAs', id: 'e383f46e-2787-4529-855e-0e479a3ffac0' }) },
      'add_permissions["teams"][0].name is "Mail.SendAs", but e383f46e-2787-4529-855e-0e479a3ffac0 is Microsoft Graph Mail.Send in the catalog; expected that name.',
    ],
    [
      'add_permissions',
      { add_permissions: added({ name: 'User.Read', id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d' }) },
      'add_permissions["teams"][0].name is "User.Read", which teams already requests; expected a permission beyond its list.',
    ],
    [
      'add_permissions',
      { add_permissions: added().replace(/\[(.*)\]/, '[$1,$1]') },
      'add_permissions["teams"][1].name is "Mail.Read", which teams already requests; expected a permission beyond its list.',
    ],
    [
      'allowed_groups',
      { allowed_groups: '{teams=["5b1c7e4a-9d2f-4e8b-a1c3-6f7d8e9a0b1c"]}' },
      'allowed_groups["teams"] is ["5b1c7e4a-9d2f-4e8b-a1c3-6f7d8e9a0b1c"] but require_assignment is not true',
    ],
    [
      'allowed_groups',
      { require_assignment: 'true', allowed_groups: '{intune=["5b1c7e4a-9d2f-4e8b-a1c3-6f7d8e9a0b1c"]}' },
      'allowed_groups has entries for intune, which are not in integrations',
    ],
    [
      'allowed_groups',
      { require_assignment: 'true', allowed_groups: '{teams=["security team"]}' },
      'allowed_groups["teams"][0] is "security team"; expected a GUID',
    ],
    [
      'nango_environment',
      { nango_environment: 'Prod' },
      'nango_environment is "Prod"; expected a Nango environment name: 1 to 255 lower-case letters, digits, _ or -, e.g. "prod".',
    ],
    [
      'nango_fields',
      { nango_fields: '{fabric={tenant_id=""}}' },
      'nango_fields has entries for fabric; expected fields only for integrations registered with Nango',
    ],
    [
      'nango_fields',
      { nango_fields: '{intune={tenant_id=""}}' },
      'nango_fields has entries for intune, which are not in integrations',
    ],
    [
      'nango_fields',
      { nango_fields: '{teams={tenant_id="contoso.onmicrosoft.com"}}' },
      constructFieldsMessage('teams', { tenant_id: 'contoso.onmicrosoft.com' }),
    ],
    [
      'nango_fields',
      { nango_fields: '{outlook={purview_endpoint="https://contoso.example.com"}}' },
      constructFieldsMessage('outlook', { purview_endpoint: 'https://contoso.example.com' }),
    ],
    [
      'nango_fields',
      { nango_fields: '{teams={target_user_id="alex"}}' },
      constructFieldsMessage('teams', { target_user_id: 'alex' }),
    ],
    [
      'nango_fields',
      { nango_fields: '{teams={"Purview-Endpoint"="x"}}' },
      constructFieldsMessage('teams', { 'Purview-Endpoint': 'x' }),
    ],
    ['nango_fields', { nango_fields: '{teams={app_id="x"}}' }, constructFieldsMessage('teams', { app_id: 'x' })],
    [
      'adopt_existing_nango_integrations',
      { adopt_existing_nango_integrations: '["fabric"]' },
      'adopt_existing_nango_integrations has fabric; expected ids of integrations registered with Nango:',
    ],
    [
      'adopt_existing_nango_integrations',
      { adopt_existing_nango_integrations: '["intune"]' },
      'adopt_existing_nango_integrations has intune, which are not in integrations; expected ids of enabled integrations only.',
    ],
    [
      'existing_apps',
      { existing_apps: `{intune={application_object_id="${ADOPTED_APP}"}}` },
      'existing_apps has entries for intune, which are not in integrations; expected entries only for enabled integrations.',
    ],
    [
      'existing_apps',
      {
        existing_apps: `{fabric={application_object_id="Kindo - Microsoft Fabric",client_secrets=[{key_id="abc"}],permission_grant_ids={"Microsoft Graph"="/oauth2PermissionGrants/x"}}}`,
      },
      'existing_apps["fabric"].application_object_id is "Kindo - Microsoft Fabric"; existing_apps["fabric"].client_secrets[0].key_id is "abc"; existing_apps["fabric"].permission_grant_ids["Microsoft Graph"] is "/oauth2PermissionGrants/x"; expected GUIDs such as "00000000-0000-0000-0000-000000000000" for object and key IDs, and oauth2PermissionGrant ids (base64url text) for grants.',
    ],
    [
      'existing_apps',
      {
        existing_apps: `{teams={application_object_id="${ADOPTED_APP}"},fabric={application_object_id="${ADOPTED_APP}"}}`,
        adopt_existing_nango_integrations: '["outlook"]',
      },
      'existing_apps adopts teams without saying whether the Nango integration made by hand with each is taken over; expected each in adopt_existing_nango_integrations, with nango_unique_keys giving its unique key unless it is "kindo-<id>".',
    ],
  ])(
    'fails if %s is invalid (%j), naming the input',
    async (_, vars, message) => {
      const result = await terraform(dir, ['plan', '-input=false', '-lock=false'], { ...base, ...vars });
      expect(result.status).toBe(1);
      expect(result.output.replace(/[│╷╵]/g, '').replace(/\s+/g, ' ')).toContain(message);
    },
    60_000,
  );

  test('refuses a Nango field named like a secret without showing its value', async () => {
    const planted = `planted-${randomUUID()}`;
    const result = await terraform(dir, ['plan', '-input=false', '-lock=false'], {
      ...base,
      nango_fields: `{teams={client_secret="${planted}"},outlook={purview_password="${planted}"}}`,
    });
    expect(result.status).toBe(1);
    const output = result.output.replace(/[│╷╵]/g, '').replace(/\s+/g, ' ');
    expect(output).toContain(constructFieldsMessage('outlook', { purview_password: planted }).slice(0, -1));
    expect(output).toContain(constructFieldsMessage('teams', { client_secret: planted }).slice(0, -1));
    expect(result.output).not.toContain(planted);
  }, 60_000);

  test('accepts every input set to a valid value', async () => {
    const result = await terraform(dir, ['plan', '-input=false', '-lock=false'], {
      ...base,
      nango_server_url: 'https://nango.example.com/',
      nango_callback_url: 'https://nango.example.com/oauth/callback',
      nango_environment: 'prod',
      name_prefix: 'Contoso Kindo - ',
      secret_lifetime_days: '730',
      secret_rotation: '2026-11',
      secret_expiry_warning_days: '0',
      owners: '["8f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b"]',
      admin_consent: 'false',
      tenant_id: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      nango_unique_keys: '{teams="teams-prod",outlook="kindo outlook@contoso"}',
      nango_providers: '{teams="microsoft-teams-bot",outlook="microsoft-tenant-specific"}',
      fabric_sql_endpoint_host: 'foo.datawarehouse.fabric.microsoft.com,1433',
      fabric_lakehouse_database: 'Sales Lakehouse',
      prevent_duplicate_names: 'false',
      nango_fields:
        '{teams={tenant_id="72f988bf-86f1-41af-91ab-2d7cd011db47",target_user_id="alex@contoso.com",region_hint="west"},outlook={target_user_id="",subscription_id="00000000-0000-0000-0000-000000000001"}}',
      existing_apps: `{teams={application_object_id="${ADOPTED_APP}",service_principal_object_id="${ADOPTED_APP}",permission_grant_ids={"Microsoft Graph"="xyz0AbCdEfGhIjKlMnOpQrStUvWx-AbCdEfGhIjKlMn"},client_secrets=[{key_id="${ADOPTED_APP}"}]},fabric={application_object_id="${ADOPTED_APP}"}}`,
      adopt_existing_nango_integrations: '["teams","outlook"]',
      // A removed permission may come back as an addition, as the constructs allow.
      remove_permissions: '{outlook=["Microsoft Graph/Mail.Send"],teams=["User.Read"]}',
      add_permissions: added({
        name: 'User.Read',
        id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d',
        access: 'read',
        admin_consent_required: 'false',
      }).replace('"false"', 'false'),
    });
    expect(result.status, result.output).toBe(0);
  }, 60_000);
});

/** A stand-in address for `terraform_data`: the type goes into the name, `azuread_application.this` → `terraform_data.azuread_application__this`. */
const standInAddress = (address: string) =>
  address.replace(
    /^(data\.)?([a-z_]+)\.([\w-]+)/,
    (_, data: string | undefined, type: string, name: string) =>
      `terraform_data.${data ? 'data_' : ''}${type}__${name}`,
  );

// Anyone who applied v0.1.0 upgrades with no change but the new Nango environment records: its
// addresses are applied in a stand-in configuration (terraform_data with the same names and keys), then
// the module's blocks replace them with the module's own for_each expressions and moved blocks, and the
// plan must move every object, change none and add only the records.
describe.skipIf(!hasTerraform)('upgrading from v0.1.0 (terraform on the PATH)', () => {
  let dir: string;
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  test("plans only the new records (Nango environment, first applier) after v0.1.0 was applied: every other object moves to the module's address for it", async () => {
    dir = mkdtempSync(join(tmpdir(), 'kindo-module-moved-'));
    const vars = { integrations: JSON.stringify(INTEGRATION_IDS), nango_secret_key: 'k' };
    const keysByBlock = new Map<string, string[]>();
    for (const address of v010.addresses) {
      const [, block, key] = /^(.+)\["(.+)"\]$/.exec(standInAddress(address))!;
      keysByBlock.set(block, [...(keysByBlock.get(block) ?? []), key]);
    }
    const standIns = (entries: [string, string][]) =>
      Object.fromEntries(
        entries.map(([block, forEach]) => [
          block.replace(/^terraform_data\./, ''),
          { for_each: forEach, input: 'stand-in' },
        ]),
      );
    writeFileSync(
      join(dir, 'main.tf.json'),
      JSON.stringify({
        resource: {
          terraform_data: standIns([...keysByBlock].map(([b, keys]) => [b, `\${toset(${JSON.stringify(keys)})}`])),
        },
      }),
    );
    expect((await terraform(dir, ['init', '-input=false'])).status).toBe(0);
    const old = await terraform(dir, ['apply', '-auto-approve', '-input=false'], vars);
    expect(old.output).toContain(`Apply complete! Resources: ${v010.addresses.length} added, 0 changed, 0 destroyed.`);

    for (const file of INPUT_FILES) cpSync(join(MODULE_DIR, file), join(dir, file));
    const moduleBlocks = blocks().filter((b) => !b.data);
    writeFileSync(
      join(dir, 'main.tf.json'),
      JSON.stringify({
        resource: { terraform_data: standIns(moduleBlocks.map((b) => [standInAddress(b.address), b.body.for_each])) },
        moved: built().moved.map(({ from, to }) => ({ from: standInAddress(from), to: standInAddress(to) })),
      }),
    );
    const plan = await terraform(dir, ['plan', '-input=false'], vars);
    const records = [
      ...INTEGRATION_IDS.filter((id) => catalog()[id].authFlow === 'delegated').map((id) =>
        standInAddress(`terraform_data.nango_environment["${id}"]`),
      ),
      ...INTEGRATION_IDS.map((id) => standInAddress(`terraform_data.first_applier["${id}"]`)),
    ];
    expect(plan.output).toContain(`Plan: ${records.length} to add, 0 to change, 0 to destroy.`);
    expect(plan.output.match(/ has moved to /g)?.length).toBe(v010.addresses.length);
    expect((await terraform(dir, ['apply', '-auto-approve', '-input=false'], vars)).status).toBe(0);
    const state = spawnSync('terraform', ['state', 'list'], { cwd: dir, env: terraformEnv(), encoding: 'utf8' });
    expect(state.stdout.trim().split('\n').sort()).toEqual(
      [...built().moved.map((m) => standInAddress(m.to)), ...records].sort(),
    );
  }, 180_000);
});

// The module through its HCL interface, with the Nango stand-in of test/support. The azuread provider
// cannot be downloaded here, so a copy of the module swaps each azuread resource and data source for a
// terraform_data with the same for_each; the Nango resources, their provisioners, the check and
// the outputs are the module's own.
describe.skipIf(!hasTerraform)('Terraform module lifecycle with a Nango stand-in (terraform on the PATH)', () => {
  const nango = new FakeNango(randomUUID());
  let root: string;
  let vars: Record<string, string>;
  let serverUrl: string;
  const run = (...args: string[]) => terraform(root, args, vars);
  /**
   * Each test starts from here, so that it passes alone and in any order: an empty state and Nango,
   * the inputs below with `overrides`, and (unless `apply` is false) the first apply they make.
   * @returns the index in the stand-in's log of the first request of that apply
   */
  const fresh = async (overrides: Record<string, string> = {}, apply = true) => {
    for (const file of ['terraform.tfstate', 'terraform.tfstate.backup']) rmSync(join(root, file), { force: true });
    nango.integrations.clear();
    nango.connections.clear();
    vars = {
      ...moduleVars(['teams', 'outlook'], { ...OUTLOOK_WITHOUT_MAIL_SEND, ...TEAMS_WITH_MAIL_READ }),
      nango_server_url: serverUrl,
      nango_secret_key: nango.secretKey,
      nango_fields: '{outlook={target_user_id="alex@contoso.com"}}',
      ...overrides,
    };
    const since = nango.requests.length;
    if (apply) await applied();
    return since;
  };
  const sinceLast = async (fn: () => Promise<unknown>) => {
    const before = nango.requests.length;
    await fn();
    return nango.requests.slice(before).map((r) => `${r.method} ${r.path} ${r.status}`);
  };
  const applied = async () => {
    const result = await run('apply', '-auto-approve', '-input=false');
    expect(result.status, result.output).toBe(0);
    return result.output;
  };
  // stdout only: Terraform writes warnings about its CLI configuration to stderr. A null output is not stored.
  const output = (name: string) => {
    const result = spawnSync('terraform', ['output', '-json'], { cwd: root, env: terraformEnv(), encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    return (JSON.parse(result.stdout) as Record<string, { value: any }>)[name]?.value ?? null;
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'kindo-module-e2e-'));
    const copy = join(root, 'module');
    mkdirSync(copy);
    for (const file of [...INPUT_FILES, 'nango-registration.sh']) cpSync(join(MODULE_DIR, file), join(copy, file));
    // References to azuread resources read their stand-in's output; to data sources, a local that stands in for them.
    const local = (address: string) => standInAddress(address).replace(/^terraform_data\./, 'local.');
    const swap = (text: string) =>
      text.replace(
        /(?<![\w.-])(data\.)?(azuread_[a-z_]+)\.([\w-]+)(\[[^\]]+\])?(?:\.(\w+))?/g,
        (_, data: string | undefined, type: string, name: string, index = '', attr?: string) =>
          data
            ? `${local(`data.${type}.${name}`)}${index}${attr ? `.${attr}` : ''}`
            : `${standInAddress(`${type}.${name}`)}${index}${attr ? `.output.${attr}` : ''}`,
      );
    const attrs = (b: { type: string; name: string }, key: string) =>
      Object.fromEntries(
        ['id', 'client_id', 'object_id', 'tenant_id', 'display_name', 'key_id', 'value'].map((a) => [
          a,
          `${b.type}-${b.name}-${key}-${a}`,
        ]),
      );
    const resources: Record<string, Body> = {};
    const locals: Record<string, unknown> = {};
    for (const b of blocks()) {
      if (b.type === 'terraform_data') {
        resources[b.name] = JSON.parse(swap(JSON.stringify(b.body)));
      } else if (b.data) {
        // Every API the presence lookup is asked for is found, as in a tenant that has them all.
        const found = b.body.client_ids
          ? { service_principals: `\${[for id in ${swap(unwrap(b.body.client_ids))} : { client_id = id }]}` }
          : {};
        locals[local(b.address).replace(/^local\./, '')] = b.body.for_each
          ? `\${{ for key, _ in ${swap(unwrap(b.body.for_each))} : key => ${JSON.stringify(attrs(b, '${key}')).replace(/":/g, '" =')} }}`
          : { ...attrs(b, 'single'), ...found };
      } else {
        resources[standInAddress(b.address).replace(/^terraform_data\./, '')] = {
          ...(b.body.for_each ? { for_each: swap(b.body.for_each) } : {}),
          ...(b.body.lifecycle
            ? { lifecycle: { create_before_destroy: b.body.lifecycle.create_before_destroy ?? false } }
            : {}),
          input: {
            ...attrs(b, '${each.key}'),
            // A client secret's expiry, set per integration by the test of the expiry warning.
            end_date: '${lookup(var.stand_in_secret_end_dates, each.key, "2099-01-01T00:00:00Z")}',
          },
        };
      }
    }
    writeFileSync(
      join(copy, 'main.tf.json'),
      JSON.stringify(
        {
          variable: { stand_in_secret_end_dates: { type: 'map(string)', default: {} } },
          locals,
          resource: { terraform_data: resources },
        },
        null,
        2,
      ),
    );
    for (const file of ['outputs.tf', 'checks.tf'])
      writeFileSync(join(copy, file), swap(readFileSync(join(MODULE_DIR, file), 'utf8')));
    writeFileSync(
      join(root, 'main.tf.json'),
      JSON.stringify({
        variable: {
          integrations: { type: 'set(string)' },
          nango_server_url: { type: 'string' },
          nango_secret_key: { type: 'string', sensitive: true },
          remove_permissions: { type: 'map(list(string))' },
          add_permissions: { type: 'any' },
          nango_fields: { type: 'map(map(string))', default: {} },
          adopt_existing_nango_integrations: { type: 'list(string)', default: [] },
          nango_environment: { type: 'string', default: null },
          stand_in_secret_end_dates: { type: 'map(string)', default: {} },
        },
        module: {
          kindo: {
            source: './module',
            integrations: '${var.integrations}',
            nango_server_url: '${var.nango_server_url}',
            nango_secret_key: '${var.nango_secret_key}',
            nango_unique_keys: { teams: 'teams-prod' },
            remove_permissions: '${var.remove_permissions}',
            add_permissions: '${var.add_permissions}',
            nango_fields: '${var.nango_fields}',
            adopt_existing_nango_integrations: '${var.adopt_existing_nango_integrations}',
            nango_environment: '${var.nango_environment}',
            stand_in_secret_end_dates: '${var.stand_in_secret_end_dates}',
          },
        },
        output: {
          integrations: { value: '${module.kindo.integrations}' },
          fabric_connection: { value: '${module.kindo.fabric_connection}' },
          client_secrets: { value: '${module.kindo.client_secrets}', sensitive: true },
        },
      }),
    );
    serverUrl = await nango.start();
    const init = await run('init', '-input=false');
    expect(init.status, init.output).toBe(0);
  }, 60_000);

  afterAll(async () => {
    await nango.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  test('apply registers each enabled integration with Nango under its unique key; outputs are keyed by integration id', async () => {
    await fresh({}, false);
    const requests = await sinceLast(applied);
    // Registration claims the key (POST), then Sync pushes the credentials (PATCH), as the constructs do.
    expect(requests.sort()).toEqual(
      [
        'GET /integrations/kindo-outlook?include=credentials 404',
        'GET /integrations/teams-prod?include=credentials 404',
        'POST /integrations 200',
        'POST /integrations 200',
        'GET /integrations/kindo-outlook 200',
        'GET /integrations/teams-prod 200',
        'PATCH /integrations/kindo-outlook 200',
        'PATCH /integrations/teams-prod 200',
      ].sort(),
    );
    expect([...nango.integrations.keys()].sort()).toEqual(['kindo-outlook', 'teams-prod']);
    const integrations = output('integrations');
    expect(Object.keys(integrations).sort()).toEqual(['outlook', 'teams']);
    expect(integrations.teams).toMatchObject({
      nango_unique_key: 'teams-prod',
      nango_provider: 'microsoft-tenant-specific',
      redirect_uri: `${vars.nango_server_url}/oauth/callback`,
    });
    expect(nango.integrations.get('teams-prod')!.credentials.client_id).toBe(integrations.teams.client_id);
    expect(Object.keys(output('client_secrets')).sort()).toEqual(['outlook', 'teams']);
    expect(output('fabric_connection')).toBeNull();
  }, 120_000);

  test('nango_fields reach the POST and PATCH bodies over the tenant_id default; a change replaces that Sync only, shown in the plan', async () => {
    const since = await fresh();
    const tenant = 'azuread_client_config-client_config-single-tenant_id';
    const requests = () => nango.requests.slice(since);
    const bodies = (method: string, path: string) =>
      requests()
        .filter((r) => r.method === method && r.path === path)
        .map((r) => (r.body as { custom?: unknown }).custom);
    expect(
      requests()
        .filter((r) => r.method === 'POST')
        .map((r) => r.body as { unique_key: string; custom?: unknown })
        .sort((a, b) => a.unique_key.localeCompare(b.unique_key)),
    ).toMatchObject([
      { unique_key: 'kindo-outlook', custom: { tenant_id: tenant, target_user_id: 'alex@contoso.com' } },
      { unique_key: 'teams-prod', custom: { tenant_id: tenant } },
    ]);
    const cleared = { tenant_id: '', purview_endpoint: '', subscription_id: '', target_user_id: '' };
    expect(bodies('PATCH', '/integrations/kindo-outlook').at(-1)).toEqual({
      ...cleared,
      tenant_id: tenant,
      target_user_id: 'alex@contoso.com',
    });
    expect(bodies('PATCH', '/integrations/teams-prod').at(-1)).toEqual({ ...cleared, tenant_id: tenant });
    expect(output('integrations').outlook.nango_fields).toEqual({
      tenant_id: tenant,
      target_user_id: 'alex@contoso.com',
    });

    vars = { ...vars, nango_fields: '{outlook={target_user_id="",region_hint="west"}}' };
    const plan = await run('plan', '-input=false');
    expect([...plan.output.matchAll(/# (module\.kindo\.\S+) (?:will|must) be/g)].map((m) => m[1])).toEqual([
      'module.kindo.terraform_data.nango_sync["outlook"]',
    ]);
    expect(plan.output).toMatch(/\+ *"?region_hint"? *= *"west"/);
    expect(await sinceLast(applied)).toEqual([
      'GET /integrations/kindo-outlook 200',
      'PATCH /integrations/kindo-outlook 200',
    ]);
    expect(bodies('PATCH', '/integrations/kindo-outlook').at(-1)).toEqual({
      ...cleared,
      tenant_id: tenant,
      region_hint: 'west',
    });
    expect(nango.integrations.get('kindo-outlook')!.custom).toEqual({
      ...cleared,
      tenant_id: tenant,
      region_hint: 'west',
    });
    expect(plan.output).not.toContain(nango.secretKey);
  }, 120_000);

  test('POST and PATCH bodies carry the scopes after remove_permissions and add_permissions', async () => {
    await fresh();
    const scopes = () => ({
      outlook: nango.integrations.get('kindo-outlook')!.credentials.scopes,
      teams: nango.integrations.get('teams-prod')!.credentials.scopes,
    });
    const overridden = constructRequests(['outlook', 'teams'], {
      ...OUTLOOK_WITHOUT_MAIL_SEND,
      ...TEAMS_WITH_MAIL_READ,
    });
    expect(scopes()).toEqual({ outlook: overridden.outlook.scopes, teams: overridden.teams.scopes });
    expect(scopes().outlook).not.toContain('Mail.Send');
    expect(scopes().teams).toMatch(/,Mail\.Read$/);

    // Back to the guide's lists: the scopes change, so each registration is replaced and PATCHed.
    vars = { ...vars, remove_permissions: '{}', add_permissions: '{}' };
    const requests = await sinceLast(applied);
    expect(requests.sort()).toEqual([
      'GET /integrations/kindo-outlook 200',
      'GET /integrations/teams-prod 200',
      'PATCH /integrations/kindo-outlook 200',
      'PATCH /integrations/teams-prod 200',
    ]);
    const guide = constructRequests(['outlook', 'teams'], {});
    expect(scopes()).toEqual({ outlook: guide.outlook.scopes, teams: guide.teams.scopes });
  }, 120_000);

  test("turning an integration off plans the removal of that integration's objects only, and deletes it from Nango", async () => {
    // Neither outlook's fields nor its removed permission: inputs may name enabled integrations only.
    await fresh({ nango_fields: '{}', remove_permissions: '{}' });
    vars = { ...vars, integrations: '["teams","fabric"]' };
    const plan = await run('plan', '-input=false');
    const changes = [...plan.output.matchAll(/# (module\.kindo\.\S+) (will be \w+|must be \w+)/g)].map((m) => [
      m[1],
      m[2],
    ]);
    const destroyed = changes.filter(([, what]) => what === 'will be destroyed').map(([a]) => a);
    expect(destroyed.length).toBeGreaterThan(0);
    expect(destroyed.filter((a) => !/\["outlook(\/[^"]+)?"\]$/.test(a))).toEqual([]);
    expect(changes.filter(([a, what]) => what !== 'will be destroyed' && !a.endsWith('["fabric"]'))).toEqual([]);
    expect(await sinceLast(applied)).toEqual(['DELETE /integrations/kindo-outlook 200']);
    expect(Object.keys(output('integrations')).sort()).toEqual(['fabric', 'teams']);
    expect(output('fabric_connection')).toMatchObject({ client_id: expect.stringContaining('fabric') });
  }, 120_000);

  test('warns, naming each integration whose client secret expires within secret_expiry_warning_days, and no other', async () => {
    await fresh({ integrations: '["teams","fabric"]', nango_fields: '{}', remove_permissions: '{}' });
    const soon = new Date(Date.now() + 10 * 24 * 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    vars = { ...vars, stand_in_secret_end_dates: JSON.stringify({ teams: soon }) };
    const out = (await applied()).replace(/[│╷╵]/g, '').replace(/\s+/g, ' ');
    expect(out).toContain('Warning: Check block assertion failed');
    expect(out).toContain(`The client secret of Kindo integration 'teams' expires at ${soon}, within 30 days`);
    expect(out).not.toContain("Kindo integration 'fabric' expires");
    // The message names the secret's expiry, never the secret or the Nango key.
    // (The stand-in's secret is a plain value, shown in its plan: only the warning is searched for it.)
    const warning = out.slice(out.indexOf('Warning: Check block assertion failed'), out.indexOf('Apply complete!'));
    expect(out).not.toContain(nango.secretKey);
    expect(warning).not.toContain('azuread_application_password-this-teams-value');

    vars = { ...vars, stand_in_secret_end_dates: '{}' };
    expect(await applied()).not.toContain('Check block assertion failed');
  }, 120_000);

  test('an existing Nango integration is refused without adopt_existing_nango_integrations, and with it is updated in place, its connections kept', async () => {
    await fresh({ integrations: '["teams","fabric"]', nango_fields: '{}', remove_permissions: '{}' });
    nango.integrations.set('kindo-outlook', {
      unique_key: 'kindo-outlook',
      provider: 'microsoft-tenant-specific',
      display_name: 'Made by hand',
      credentials: {
        type: 'OAUTH2',
        client_id: 'hand-made-client',
        client_secret: 'hand~made~secret',
        scopes: 'offline_access',
        webhook_secret: null,
      },
      created_at: 'then',
      updated_at: 'then',
    });
    nango.connections.set('kindo-outlook', 3);
    const theirs = structuredClone(nango.integrations.get('kindo-outlook'));
    vars = { ...vars, integrations: '["teams","fabric","outlook"]' };
    let failed = '';
    expect(
      await sinceLast(async () => {
        const result = await run('apply', '-auto-approve', '-input=false');
        expect(result.status).not.toBe(0);
        failed = result.output.replace(/[│╷╵]/g, '').replace(/\s+/g, ' ');
      }),
    ).toEqual(['GET /integrations/kindo-outlook?include=credentials 200']);
    expect(failed).toContain(
      "Kindo integration 'outlook': Nango already has an integration 'kindo-outlook' with another client ID or secret; it is left as it is.",
    );
    expect(failed).toContain('adopt_existing_nango_integrations in the module');
    expect(nango.integrations.get('kindo-outlook')).toEqual(theirs);

    vars = { ...vars, adopt_existing_nango_integrations: '["outlook"]' };
    const plan = await run('plan', '-input=false');
    // Visible in the plan: the failed claim left the registration tainted; its replacement takes the integration over.
    expect(plan.output).toMatch(
      /# module\.kindo\.terraform_data\.nango_registration\["outlook"\] is tainted, so must be replaced\n-\/\+ resource "terraform_data" "nango_registration" \{\n.*\n\s+~ input\s+= \{\n\s+~ adopt_existing = false -> true/,
    );
    expect(await sinceLast(applied)).toEqual([
      'GET /integrations/kindo-outlook?include=credentials 200',
      'GET /integrations/kindo-outlook 200',
      'PATCH /integrations/kindo-outlook 200',
    ]);
    expect(nango.integrations.get('kindo-outlook')).toMatchObject({
      display_name: 'Microsoft Outlook',
      created_at: 'then',
      credentials: { client_id: output('integrations').outlook.client_id },
    });
    expect(nango.connections.get('kindo-outlook')).toBe(3);

    // The adopted integration is this state's now: destroy deletes it, as adopt_existing_nango_integrations says.
    const destroyed = await sinceLast(() => run('destroy', '-auto-approve', '-input=false'));
    expect(destroyed.sort()).toEqual(['DELETE /integrations/kindo-outlook 200', 'DELETE /integrations/teams-prod 200']);
    expect(nango.integrations.size).toBe(0);
  }, 180_000);

  test('destroy deletes every Nango integration the state registered', async () => {
    await fresh();
    const result = await sinceLast(() => run('destroy', '-auto-approve', '-input=false'));
    expect(result.sort()).toEqual(['DELETE /integrations/kindo-outlook 200', 'DELETE /integrations/teams-prod 200']);
    expect(nango.integrations.size).toBe(0);
  }, 120_000);

  test('nango_environment: a plan naming another environment fails for every integration and sends nothing; destroy -target of the records with the old key, then apply with the new one, moves them', async () => {
    const prod = nango.addEnvironment();
    const prodKey = prod.secretKey;
    await fresh({}, false);
    const devVars = { ...vars, nango_environment: 'dev' };
    try {
      vars = devVars;
      await applied();
      const registered = [...nango.integrations.keys()].sort();
      expect(registered).toEqual(['kindo-outlook', 'teams-prod']);

      vars = { ...devVars, nango_secret_key: prodKey, nango_environment: 'prod' };
      const refused = await sinceLast(async () => {
        const plan = await run('plan', '-input=false');
        expect(plan.status, plan.output).toBe(1);
        const text = plan.output.replace(/\s+/g, ' ');
        for (const id of ['outlook', 'teams']) {
          expect(text).toContain(
            `Kindo integration '${id}': this state registered its Nango integration in environment 'dev', and this plan names 'prod'`,
          );
          expect(text).toContain(
            `terraform destroy -target='terraform_data.nango_environment["${id}"]' (module.<name>.`,
          );
        }
        expect(text).not.toContain(prodKey);
      });
      expect(refused).toEqual([]);

      vars = devVars;
      const deleted = await sinceLast(async () => {
        const destroy = await run(
          'destroy',
          '-auto-approve',
          '-input=false',
          '-target=module.kindo.terraform_data.nango_environment',
        );
        expect(destroy.status, destroy.output).toBe(0);
      });
      expect(deleted.sort()).toEqual(['DELETE /integrations/kindo-outlook 200', 'DELETE /integrations/teams-prod 200']);

      vars = { ...devVars, nango_secret_key: prodKey, nango_environment: 'prod' };
      await applied();
      expect(nango.integrations.size).toBe(0);
      expect([...prod.integrations.keys()].sort()).toEqual(registered);
      expect((await run('destroy', '-auto-approve', '-input=false')).status).toBe(0);
      expect(prod.integrations.size).toBe(0);
    } finally {
      nango.otherEnvironments.delete(prodKey);
    }
  }, 180_000);
});
