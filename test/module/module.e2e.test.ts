import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { ADOPT_EXAMPLE_DIR, EXAMPLE_DIR, MODULE_DIR } from '../../scripts/generate-module';
import { moduleWording } from '../../scripts/module/wording';
import { INTEGRATION_IDS, catalog, type IntegrationId } from '../../src/catalog/catalog';
import type { KindoMicrosoftIntegrationsProps } from '../../src/constructs/kindo-microsoft-integrations';
import { KindoMicrosoftIntegrations } from '../../src/constructs/kindo-microsoft-integrations';
import { missingApiServicePrincipalMessage, scopeIdMismatchMessage } from '../../src/constructs/stack-lookups';
import { checkNangoFields } from '../../src/nango/nango-fields';
import { NANGO_ENVIRONMENT_VARIABLE } from '../../src/nango/nango-variables';
import { type Body, blocks, built, loadModule, main, unwrap } from '../support/module';
import {
  ADDED_MAIL_READ,
  constructInstances,
  constructRequests,
  DEFENDER_WITHOUT_WDATP,
  moduleVars,
  OUTLOOK_WITHOUT_MAIL_SEND,
  settingsOf,
  TEAMS_WITH_MAIL_READ,
} from '../support/module-constructs';
import { inPreflight, inputsDir, STAND_IN_CALLER, STAND_IN_TENANT } from '../support/module-terraform';
import { consoleValue, hasTerraform, terraform, terraformEnv } from '../support/terraform';

/** A folded block's expression for one integration: `each.key` is its id, `each.value` its entry of `local.integrations`. */
const forIntegration = (template: string, id: string) =>
  unwrap(template)
    .replace(/\beach\.key\b/g, JSON.stringify(id))
    .replace(/\beach\.value\b/g, `local.integrations[${JSON.stringify(id)}]`);
const ADOPTED_APP = '0f8e2c6d-1b2a-4c3d-9e8f-7a6b5c4d3e2f';
/** The constructs' message for fields of one integration, with the module's path in place of the prop's name. */
function constructFieldsMessage(id: string, fields: Record<string, string>): string {
  try {
    checkNangoFields('nangoFields', fields);
  } catch (e) {
    return `${moduleWording((e as Error).message).replace('nangoFields', `integrations["${id}"].nango.fields`)}.`;
  }
  throw new Error(`the constructs accept ${JSON.stringify(fields)}`);
}

describe.skipIf(!hasTerraform)('Terraform module evaluated by terraform (terraform on the PATH)', () => {
  let dir: string;
  beforeAll(async () => {
    await loadModule();
    dir = await inputsDir('main');
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** `terraform console`'s value of an HCL expression, with the module's variables set. */
  function evaluate(vars: Record<string, string>, expression: string): any {
    return consoleValue(dir, { nango_secret_key: randomUUID(), ...vars }, expression);
  }

  test("gives each client secret the constructs' end date and each app and service principal the constructs' owners", () => {
    const caller = STAND_IN_CALLER;
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
    const module = (type: string) => main().resource[type].this;
    for (const [days, owners] of [
      [180, undefined],
      [1, [other]],
      [730, [other, caller]],
      [30, [caller]],
    ] as const) {
      const made = constructs({ secretLifetimeDays: days, ...(owners ? { owners: [...owners] } : {}) });
      const vars = {
        integrations: '{teams={}}',
        secret_lifetime_days: String(days),
        owners: JSON.stringify(owners ?? []),
      };
      const password = [made('azuread_application_password'), module('azuread_application_password')];
      expect(evaluate(vars, bind(password[1].end_date)), `end_date, ${days} days`).toBe(
        evaluate({ integrations: '{teams={}}' }, bind(password[0].end_date)),
      );
      expect(password[1].lifecycle).toEqual(password[0].lifecycle);
      for (const type of ['azuread_application', 'azuread_service_principal']) {
        // A set in azuread: compared without order.
        const [fromModule, fromConstructs] = [
          evaluate(vars, bind(module(type).owners).replace(/\beach\.key\b/g, '"teams"')),
          evaluate({ integrations: '{teams={}}' }, bind(made(type).owners)),
        ];
        expect(fromModule.sort(), `${type} owners ${JSON.stringify(owners)}`).toEqual(fromConstructs.sort());
      }
    }
  }, 60_000);

  test('writes every GUID it is given in lower case where it reaches a resource, Nango or an output', () => {
    const [owner, group, all, tenant] = [
      '8F1A2B3C-4D5E-4F60-8A7B-9C0D1E2F3A4B',
      '5B1C7E4A-9D2F-4E8B-A1C3-6F7D8E9A0B1C',
      '6C2D8F5B-0E3A-4F9C-B2D4-7A8E9F0B1C2D',
      '72F988BF-86F1-41AF-91AB-2D7CD011DB47',
    ];
    const vars = {
      integrations: `{teams={allowed_groups=["${group}"]},outlook={},fabric={existing_app={application_object_id="${ADOPTED_APP.toUpperCase()}",client_secrets=[{key_id="${ADOPTED_APP.toUpperCase()}"}]}}}`,
      allowed_groups: `["${all}"]`,
      require_assignment: 'true',
      owners: `["${owner}"]`,
      tenant_id: tenant,
    };
    const app = main().resource.azuread_application.this;
    const assignment = main().resource.azuread_app_role_assignment.allowed_groups;
    const sync = main().resource.terraform_data.nango_sync;
    const values = evaluate(
      vars,
      `{ owners = ${forIntegration(app.owners, 'teams')}, groups = [for key, pair in ${unwrap(assignment.for_each)} : ${unwrap(assignment.principal_object_id).replace('each.value', 'pair')}], fields = ${forIntegration(sync.triggers_replace.fields, 'outlook')}, tenant = local.tenant_id }`,
    );
    expect(values.owners).toEqual([owner.toLowerCase(), STAND_IN_CALLER]);
    // teams has its own group; outlook and fabric take the list for all.
    expect(values.groups.sort()).toEqual([group.toLowerCase(), all.toLowerCase(), all.toLowerCase()].sort());
    expect(JSON.parse(values.fields)).toEqual({ tenant_id: tenant.toLowerCase() });
    expect(values.tenant).toBe(tenant.toLowerCase());
    // Without tenant_id, the caller's tenant as azuread reports it.
    expect(evaluate({ integrations: '{teams={}}' }, 'local.tenant_id')).toBe(STAND_IN_TENANT);
  }, 60_000);

  test('is formatted as `terraform fmt` formats it, and so are examples/basic and examples/adopt', () => {
    for (const target of [MODULE_DIR, EXAMPLE_DIR, ADOPT_EXAMPLE_DIR]) {
      const run = spawnSync('terraform', ['fmt', '-check', '-diff', '-recursive', '-no-color', target], {
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
      `[${all.map((b) => (b.body.for_each ? `length(${unwrap(b.body.for_each)})` : '1')).join(', ')}]`,
    ) as number[];
    const byType: Record<string, number> = {};
    all.forEach((b, i) => {
      const type = `${b.data ? 'data.' : ''}${b.type}`;
      if (counts[i] > 0) byType[type] = (byType[type] ?? 0) + counts[i];
    });
    // The tenant preflight's lookups: one presence lookup, one lookup per requested API (all found).
    const apis = evaluate(vars, `length(${inPreflight('local.requested_apis')})`) as number;
    return {
      ...byType,
      'data.azuread_service_principals': 1,
      ...(apis > 0 ? { 'data.azuread_service_principal': apis } : {}),
    };
  }

  /** Per integration, what the module requests: its own expressions evaluated by `terraform console` for that integration. */
  function moduleRequests(vars: Record<string, string>, integrations: readonly IntegrationId[]) {
    const app = main().resource.azuread_application.this;
    const grant = main().resource.azuread_service_principal_delegated_permission_grant.this;
    const sync = main().resource.terraform_data.nango_sync;
    // A grant's values for its pair: each.value is the pair, each.key its key.
    const forPair = (template: string) => unwrap(template).replace(/\beach\.value\b/g, 'pair');
    const expressions = integrations.map((id) => {
      const appId =
        '[for p in local.integrations[pair.integration].permissions : p.resource_app_id if p.api == pair.api][0]';
      const grants = `{ for key, pair in ${unwrap(grant.for_each)} : ${appId} => ${forPair(grant.claim_values)} if pair.integration == ${JSON.stringify(id)} }`;
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

    expect(requested.outlook.access[graph]).toEqual(
      guide.outlook.access[graph].filter((id: string) => id !== mailSend),
    );
    expect(requested.outlook.grants[graph]).toEqual(
      guide.outlook.grants[graph].filter((n: string) => n !== 'Mail.Send'),
    );
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

  /** A lookup's postcondition of the tenant preflight, evaluated with `self` (and, for the per-API lookup, the API) given. */
  function postcondition(vars: Record<string, string>, lookup: Body, self: string, api?: string) {
    const [{ condition, error_message: message }] = lookup.lifecycle.postcondition;
    const bind = (template: string) =>
      inPreflight(unwrap(template))
        .replace(/\bself\b/g, `(${self})`)
        .replace(/\beach\.value\b/g, inPreflight(`local.requested_apis[${JSON.stringify(api)}]`))
        .replace(/\beach\.key\b/g, JSON.stringify(api));
    return evaluate(vars, `{ holds = ${bind(condition)}, message = ${bind(message)} }`);
  }
  const api = (name: string) =>
    Object.values(catalog())
      .flatMap((d) => d.apis)
      .find((a) => a.name === name)!;

  test('stops the plan when an API the enabled integrations request has no service principal, naming them as the constructs do', () => {
    const presence = built().preflight.data.azuread_service_principals.api_presence as Body;
    const vars = { integrations: '{defender={},teams={},purview-data-governance={}}' };
    const graphOnly = '{ service_principals = [{ client_id = "00000003-0000-0000-c000-000000000000" }] }';
    const result = postcondition(vars, presence, graphOnly);
    expect(result.holds).toBe(false);
    const missing = (name: string, requesters: string[]) =>
      moduleWording(missingApiServicePrincipalMessage(name, api(name).resourceAppId, requesters));
    expect(result.message.split('\n').sort()).toEqual(
      [
        missing('Microsoft Purview', ["integration 'purview-data-governance'"]),
        missing('Microsoft Threat Protection', ["integration 'defender'"]),
        missing('WindowsDefenderATP', ["integration 'defender'"]),
      ].sort(),
    );
    // Only the enabled integrations' APIs count: teams alone needs Microsoft Graph only.
    expect(postcondition({ integrations: '{teams={}}' }, presence, graphOnly)).toEqual({ holds: true, message: '' });
    expect(evaluate({ integrations: '{teams={}}' }, inPreflight(unwrap(presence.client_ids)))).toEqual([
      '00000003-0000-0000-c000-000000000000',
    ]);
  }, 60_000);

  test('stops the plan when the tenant publishes a requested scope under another ID, naming every integration that requests it', () => {
    const lookup = built().preflight.data.azuread_service_principal.api as Body;
    const vars = moduleVars(['outlook', 'teams', 'fabric'], TEAMS_WITH_MAIL_READ);
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
      moduleWording(scopeIdMismatchMessage(graph.name, scope, id, found(scope), requesters)).replace(
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

  const base = { integrations: '{teams={},outlook={},fabric={}}', nango_secret_key: randomUUID() };
  /** Settings for teams, outlook and fabric, teams' replaced. */
  const teams = (settings: Record<string, unknown>) => ({
    integrations: settingsOf({ teams: settings, outlook: {}, fabric: {} }),
  });
  /** add_permissions of teams: Graph Mail.Read, with fields replaced. */
  const added = (fields: Record<string, unknown> = {}) =>
    teams({ add_permissions: [{ ...ADDED_MAIL_READ, ...fields }] });
  const GROUP = '5b1c7e4a-9d2f-4e8b-a1c3-6f7d8e9a0b1c';
  test.concurrent.each<[string, Record<string, string>, string]>([
    [
      'integrations',
      { integrations: '{teams={},skype={}}' },
      'integrations has unknown ids: skype; expected ids from: defender,',
    ],
    ['integrations', { integrations: '{}' }, 'integrations is empty; expected at least one integration id'],
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
    [
      'nango_secret_key',
      { nango_secret_key: '' },
      'nango_secret_key is not a Nango secret key (its value is not shown)',
    ],
    [
      'nango_secret_key',
      { nango_secret_key: 'x"\nheader = "X: y' },
      'nango_secret_key is not a Nango secret key (its value is not shown); expected a UUID v4',
    ],
    [
      'nango_server_url',
      { nango_server_url: 'https://nango.example.com/a\nb' },
      'nango_server_url must be an https:// URL',
    ],
    ['name_prefix', { name_prefix: 'x'.repeat(61) }, 'name_prefix is "xxx'],
    [
      'sign_in_audience',
      { sign_in_audience: 'AzureADandPersonalMicrosoftAccount' },
      'sign_in_audience is "AzureADandPersonalMicrosoftAccount"; expected "AzureADMyOrg" or "AzureADMultipleOrgs".',
    ],
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
      'nango.unique_key',
      teams({ nango: { unique_key: 'kindo/teams' } }),
      'integrations["teams"].nango.unique_key is "kindo/teams"; expected keys of 1 to 255 letters',
    ],
    [
      'nango',
      { integrations: settingsOf({ teams: {}, fabric: { nango: { unique_key: 'kindo-fabric' } } }) },
      'integrations["fabric"].nango is set; expected Nango settings only for integrations registered with Nango',
    ],
    [
      'nango.unique_key',
      { integrations: settingsOf({ teams: { nango: { unique_key: 'kindo-outlook' } }, outlook: {} }) },
      'integrations gives two integrations the same Nango unique key ({"teams":"kindo-outlook"})',
    ],
    [
      'nango.provider',
      teams({ nango: { provider: 'microsoft' } }),
      'integrations["teams"].nango.provider is "microsoft"; expected OAUTH2 providers',
    ],
    [
      'nango.provider',
      teams({ nango: { provider: 'no-such-provider' } }),
      'integrations["teams"].nango.provider is "no-such-provider"; expected OAUTH2 providers',
    ],
    [
      'nango.provider',
      {
        integrations: settingsOf({ outlook: { nango: { provider: 'github-app' } } }),
        sign_in_audience: 'AzureADMultipleOrgs',
      },
      `integrations["outlook"].nango.provider is "github-app"; expected OAUTH2 providers of Nango's catalog (@nangohq/providers).`,
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
      { integrations: '{teams={}}', fabric_sql_endpoint_host: 'foo.example.com,1433' },
      'fabric_sql_endpoint_host is set, but fabric is not in integrations',
    ],
    [
      'fabric_lakehouse_database',
      { fabric_lakehouse_database: 'db];drop' },
      'fabric_lakehouse_database is "db];drop"; expected a database name',
    ],
    [
      'remove_permissions',
      { integrations: settingsOf({ teams: {}, fabric: { remove_permissions: ['User.Read'] } }) },
      'integrations["fabric"] changes its permissions; expected remove_permissions and add_permissions only for delegated integrations',
    ],
    [
      'remove_permissions',
      { integrations: settingsOf({ outlook: { remove_permissions: ['Mail.Send', 'Mail.Read'] } }) },
      `integrations["outlook"].remove_permissions[1] is "Mail.Read", which does not name exactly one permission of outlook; expected one of its guide list: ${catalog()
        .outlook.apis.flatMap((a) => a.permissions.map((p) => p.name))
        .join(', ')}.`,
    ],
    [
      'remove_permissions',
      { integrations: settingsOf({ outlook: { remove_permissions: ['WindowsDefenderATP/Mail.Send'] } }) },
      'integrations["outlook"].remove_permissions[0] is "WindowsDefenderATP/Mail.Send", which does not name exactly one permission of outlook',
    ],
    [
      'remove_permissions',
      { integrations: settingsOf({ teams: { remove_permissions: ['User.Read', 'Microsoft Graph/offline_access'] } }) },
      'integrations["teams"].remove_permissions[1] is "Microsoft Graph/offline_access"; expected it kept: Nango requests offline_access at every sign-in',
    ],
    [
      'add_permissions',
      { integrations: settingsOf({ teams: {}, fabric: { add_permissions: [ADDED_MAIL_READ] } }) },
      'integrations["fabric"] changes its permissions; expected remove_permissions and add_permissions only for delegated integrations',
    ],
    [
      'add_permissions',
      added({ api: 'Graph' }),
      'integrations["teams"].add_permissions[0].api is "Graph"; expected one of the APIs the catalog knows: Microsoft Graph, Microsoft Threat Protection, WindowsDefenderATP, Microsoft Purview.',
    ],
    [
      'add_permissions',
      added({ api: 'WindowsDefenderATP', name: 'Alert.Read.All' }),
      'integrations["teams"].add_permissions[0].api is "WindowsDefenderATP", which the guide list of teams does not use; expected one of its APIs, Microsoft Graph, since the module grants admin consent only to those.',
    ],
    [
      'add_permissions',
      added({ name: 'Mail Read' }),
      'integrations["teams"].add_permissions[0].name is "Mail Read"; expected a delegated scope name such as "Mail.Read".',
    ],
    [
      'add_permissions',
      added({ id: 'mail-read' }),
      'integrations["teams"].add_permissions[0].id is "mail-read"; expected a GUID such as "00000000-0000-0000-0000-000000000000".',
    ],
    [
      'add_permissions',
      added({ justification: '  needed for mail   ' }),
      'integrations["teams"].add_permissions[0].justification is " needed for mail "; expected a justification of at least 20 characters',
    ],
    [
      'add_permissions',
      added({ access: 'admin' }),
      'integrations["teams"].add_permissions[0].access is "admin"; expected "read" or "write".',
    ],
    [
      'add_permissions',
      added({ name: 'Mail.Send' }),
      'integrations["teams"].add_permissions[0].id is "570282fd-fa5c-430d-a7fd-fc8dc98a9dca", but the catalog gives Microsoft Graph Mail.Send the scope ID e383f46e-2787-4529-855e-0e479a3ffac0; expected that ID.',
    ],
    [
      'add_permissions',
      added({ name: 'Mail.SendAs', id: 'e383f46e-2787-4529-855e-0e479a3ffac0' }),
      'integrations["teams"].add_permissions[0].name is "Mail.SendAs", but e383f46e-2787-4529-855e-0e479a3ffac0 is Microsoft Graph Mail.Send in the catalog; expected that name.',
    ],
    [
      'add_permissions',
      added({ name: 'User.Read', id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d' }),
      'integrations["teams"].add_permissions[0].name is "User.Read", which teams already requests; expected a permission beyond its list.',
    ],
    [
      'add_permissions',
      teams({ add_permissions: [ADDED_MAIL_READ, ADDED_MAIL_READ] }),
      'integrations["teams"].add_permissions[1].name is "Mail.Read", which teams already requests; expected a permission beyond its list.',
    ],
    [
      'allowed_groups',
      teams({ allowed_groups: [GROUP] }),
      `integrations["teams"].allowed_groups is ["${GROUP}"] but require_assignment is not true`,
    ],
    [
      'allowed_groups',
      { allowed_groups: `["${GROUP}"]` },
      `allowed_groups is ["${GROUP}"] but require_assignment is not true`,
    ],
    [
      'allowed_groups',
      { ...teams({ allowed_groups: ['security team'] }), require_assignment: 'true' },
      'integrations["teams"].allowed_groups[0] is "security team"; expected a GUID',
    ],
    [
      'allowed_groups',
      { allowed_groups: '["security team"]', require_assignment: 'true' },
      'allowed_groups[0] is "security team"; expected a GUID',
    ],
    [
      'nango_environment',
      { nango_environment: 'Prod' },
      moduleWording(String(NANGO_ENVIRONMENT_VARIABLE.validation?.[0].errorMessage)).replace(
        '${jsonencode(var.nango_environment)}',
        '"Prod"',
      ),
    ],
    [
      'nango.fields',
      teams({ nango: { fields: { tenant_id: 'contoso.onmicrosoft.com' } } }),
      constructFieldsMessage('teams', { tenant_id: 'contoso.onmicrosoft.com' }),
    ],
    [
      'nango.fields',
      {
        integrations: settingsOf({
          outlook: { nango: { fields: { purview_endpoint: 'https://contoso.example.com' } } },
        }),
      },
      constructFieldsMessage('outlook', { purview_endpoint: 'https://contoso.example.com' }),
    ],
    [
      'nango.fields',
      teams({ nango: { fields: { target_user_id: 'alex' } } }),
      constructFieldsMessage('teams', { target_user_id: 'alex' }),
    ],
    [
      'nango.fields',
      teams({ nango: { fields: { 'Purview-Endpoint': 'x' } } }),
      constructFieldsMessage('teams', { 'Purview-Endpoint': 'x' }),
    ],
    ['nango.fields', teams({ nango: { fields: { app_id: 'x' } } }), constructFieldsMessage('teams', { app_id: 'x' })],
    [
      'existing_app',
      {
        integrations: settingsOf({
          teams: {},
          fabric: {
            existing_app: {
              application_object_id: 'Kindo - Microsoft Fabric',
              client_secrets: [{ key_id: 'abc' }],
              permission_grant_ids: { 'Microsoft Graph': '/oauth2PermissionGrants/x' },
            },
          },
        }),
      },
      'integrations["fabric"].existing_app.application_object_id is "Kindo - Microsoft Fabric"; integrations["fabric"].existing_app.client_secrets[0].key_id is "abc"; expected GUIDs such as "00000000-0000-0000-0000-000000000000".',
    ],
    [
      'existing_app',
      {
        integrations: settingsOf({
          teams: {},
          fabric: {
            existing_app: {
              application_object_id: ADOPTED_APP,
              permission_grant_ids: { 'Microsoft Graph': '/oauth2PermissionGrants/x' },
            },
          },
        }),
      },
      'integrations["fabric"].existing_app.permission_grant_ids["Microsoft Graph"] is "/oauth2PermissionGrants/x"; expected oauth2PermissionGrant ids (base64url text).',
    ],
    [
      'existing_app',
      {
        integrations: settingsOf({
          teams: { existing_app: { application_object_id: ADOPTED_APP } },
          fabric: { existing_app: { application_object_id: ADOPTED_APP } },
        }),
      },
      'integrations adopts an app registration made by hand for teams without saying whether the Nango integration made by hand with each is taken over; expected nango = { adopt_existing = true } with each, and unique_key unless it is "kindo-<id>".',
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
      integrations: settingsOf({
        teams: { nango: { fields: { client_secret: planted } } },
        outlook: { nango: { fields: { purview_password: planted } } },
      }),
    });
    expect(result.status).toBe(1);
    const output = result.output.replace(/[│╷╵]/g, '').replace(/\s+/g, ' ');
    expect(output).toContain(constructFieldsMessage('outlook', { purview_password: planted }).slice(0, -1));
    expect(output).toContain(constructFieldsMessage('teams', { client_secret: planted }).slice(0, -1));
    expect(result.output).not.toContain(planted);
  }, 60_000);

  test('refuses a Nango secret key of another form without showing it, with TF_LOG=DEBUG too', async () => {
    const planted = `planted-${randomUUID()}"\nheader = "X: y`;
    const result = await terraform(
      dir,
      ['plan', '-input=false', '-lock=false'],
      { ...base, nango_secret_key: planted },
      { TF_LOG: 'DEBUG' },
    );
    expect(result.status).toBe(1);
    expect(result.output.replace(/[│╷╵]/g, '').replace(/\s+/g, ' ')).toContain(
      'nango_secret_key is not a Nango secret key (its value is not shown)',
    );
    expect(result.output).toContain('[DEBUG]');
    expect(result.output).not.toContain('planted-');
  }, 60_000);

  test('accepts every input set to a valid value', async () => {
    const result = await terraform(dir, ['plan', '-input=false', '-lock=false'], {
      ...base,
      integrations: settingsOf({
        teams: {
          nango: {
            unique_key: 'teams-prod',
            provider: 'microsoft-teams-bot',
            adopt_existing: true,
            fields: {
              tenant_id: '72f988bf-86f1-41af-91ab-2d7cd011db47',
              target_user_id: 'alex@contoso.com',
              region_hint: 'west',
            },
          },
          remove_permissions: ['User.Read'],
          // A removed permission may come back as an addition, as the constructs allow.
          add_permissions: [
            {
              ...ADDED_MAIL_READ,
              name: 'User.Read',
              id: 'E1FE6DD8-BA31-4D61-89E7-88639DA4683D',
              access: 'read',
              admin_consent_required: false,
            },
          ],
          allowed_groups: [GROUP],
          existing_app: {
            application_object_id: ADOPTED_APP,
            service_principal_object_id: ADOPTED_APP,
            permission_grant_ids: { 'Microsoft Graph': 'xyz0AbCdEfGhIjKlMnOpQrStUvWx-AbCdEfGhIjKlMn' },
            client_secrets: [{ key_id: ADOPTED_APP }],
          },
        },
        outlook: {
          nango: {
            unique_key: 'kindo outlook@contoso',
            adopt_existing: true,
            fields: { target_user_id: '', subscription_id: '00000000-0000-0000-0000-000000000001' },
          },
          remove_permissions: ['Microsoft Graph/Mail.Send'],
        },
        fabric: { existing_app: { application_object_id: ADOPTED_APP } },
      }),
      allowed_groups: `["${GROUP.toUpperCase()}"]`,
      require_assignment: 'true',
      nango_server_url: 'https://nango.example.com/',
      nango_callback_url: 'https://nango.example.com/oauth/callback',
      nango_environment: 'prod',
      name_prefix: 'Contoso Kindo - ',
      sign_in_audience: 'AzureADMultipleOrgs',
      secret_lifetime_days: '730',
      secret_rotation: '2026-11',
      secret_expiry_warning_days: '0',
      owners: '["8f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b"]',
      admin_consent: 'false',
      tenant_id: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      fabric_sql_endpoint_host: 'foo.datawarehouse.fabric.microsoft.com,1433',
      fabric_lakehouse_database: 'Sales Lakehouse',
      prevent_duplicate_names: 'false',
    });
    expect(result.status, result.output).toBe(0);
  }, 60_000);
});
