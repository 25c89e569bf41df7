import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOG_MODULE_PATH, MODULE_DIR } from '../../scripts/generate-module';
import { FakeNango } from '../support/fake-nango';
import { type Body, ROOT, blocks, loadModule } from '../support/module';
import { constructRequests, OUTLOOK_WITHOUT_MAIL_SEND, TEAMS_WITH_MAIL_READ } from '../support/module-constructs';
import { hasTerraform, terraform, terraformEnv } from '../support/terraform';

/** A stand-in address for `terraform_data`: the type goes into the name, `azuread_application.this` → `terraform_data.azuread_application__this`. */
const standInAddress = (address: string) =>
  address.replace(
    /^(data\.)?([a-z_]+)\.([\w-]+)/,
    (_, data: string | undefined, type: string, name: string) =>
      `terraform_data.${data ? 'data_' : ''}${type}__${name}`,
  );
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

/**
 * The azuread blocks of main.entra.tf as terraform_data with the same for_each, its lookups as locals, and
 * its own terraform_data (the first appliers' records) as they are, reading the stand-in lookups.
 */
function standIns(): { locals: Record<string, unknown>; resources: Record<string, Body> } {
  const resources: Record<string, Body> = {};
  const locals: Record<string, unknown> = {};
  for (const b of blocks().filter((x) => !(x.type === 'terraform_data' && x.name.startsWith('nango_')))) {
    if (b.type === 'terraform_data') {
      resources[b.name] = JSON.parse(swap(JSON.stringify(b.body)));
      continue;
    }
    if (b.data) {
      locals[local(b.address).replace(/^local\./, '')] = attrs(b, 'single');
      continue;
    }
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
  return { locals, resources };
}

/** What a test gives the module, written into its `integrations` and other variables by `tfVars`. */
interface Inputs {
  readonly integrations: readonly string[];
  readonly fields: Record<string, Record<string, string>>;
  readonly remove: Record<string, readonly string[]>;
  readonly add: Record<string, readonly object[]>;
  readonly adopt: readonly string[];
  readonly environment?: string;
  readonly secretKey: string;
  readonly endDates: Record<string, string>;
}
function tfVars(inputs: Inputs, serverUrl: string): Record<string, string> {
  const settings = Object.fromEntries(
    inputs.integrations.map((id) => {
      const nango = {
        ...(id === 'teams' ? { unique_key: 'teams-prod' } : {}),
        ...(inputs.fields[id] ? { fields: inputs.fields[id] } : {}),
        ...(inputs.adopt.includes(id) ? { adopt_existing: true } : {}),
      };
      return [
        id,
        {
          ...(Object.keys(nango).length > 0 ? { nango } : {}),
          ...(inputs.remove[id] ? { remove_permissions: inputs.remove[id] } : {}),
          ...(inputs.add[id] ? { add_permissions: inputs.add[id] } : {}),
        },
      ];
    }),
  );
  return {
    integrations: JSON.stringify(settings),
    nango_server_url: serverUrl,
    nango_secret_key: inputs.secretKey,
    stand_in_secret_end_dates: JSON.stringify(inputs.endDates),
    ...(inputs.environment ? { nango_environment: inputs.environment } : {}),
  };
}

// The module through its HCL interface, with the Nango stand-in of test/support. The azuread provider
// cannot be downloaded here, so a copy of the module swaps each azuread resource and data source for a
// terraform_data with the same for_each (and the tenant preflight, all data sources, is left out); the
// Nango resources, their provisioners, the check and the outputs are the module's own.
describe.skipIf(!hasTerraform)('Terraform module lifecycle with a Nango stand-in (terraform on the PATH)', () => {
  const nango = new FakeNango(randomUUID());
  let root: string;
  let inputs: Inputs;
  let serverUrl: string;
  const run = (...args: string[]) => terraform(root, args, tfVars(inputs, serverUrl));
  /**
   * Each test starts from here, so that it passes alone and in any order: an empty state and Nango,
   * the inputs below with `overrides`, and (unless `apply` is false) the first apply they make.
   * @returns the index in the stand-in's log of the first request of that apply
   */
  const fresh = async (overrides: Partial<Inputs> = {}, apply = true) => {
    for (const file of ['terraform.tfstate', 'terraform.tfstate.backup']) rmSync(join(root, file), { force: true });
    nango.integrations.clear();
    nango.connections.clear();
    inputs = {
      integrations: ['teams', 'outlook'],
      fields: { outlook: { target_user_id: 'alex@contoso.com' } },
      remove: OUTLOOK_WITHOUT_MAIL_SEND.removePermissions as Inputs['remove'],
      add: TEAMS_WITH_MAIL_READ.addPermissions as Inputs['add'],
      adopt: [],
      secretKey: nango.secretKey,
      endDates: {},
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
    await loadModule();
    root = mkdtempSync(join(tmpdir(), 'kindo-module-e2e-'));
    const copy = join(root, 'module');
    mkdirSync(join(copy, 'modules'), { recursive: true });
    cpSync(join(ROOT, CATALOG_MODULE_PATH), join(copy, 'modules', 'catalog'), { recursive: true });
    cpSync(join(MODULE_DIR, 'nango-registration.sh'), join(copy, 'nango-registration.sh'));
    for (const file of ['variables.tf', 'locals.tf', 'main.tf', 'main.nango.tf', 'outputs.tf', 'checks.tf'])
      writeFileSync(join(copy, file), swap(readFileSync(join(MODULE_DIR, file), 'utf8')));
    const { locals, resources } = standIns();
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
    writeFileSync(
      join(root, 'main.tf.json'),
      JSON.stringify({
        variable: {
          integrations: { type: 'any' },
          nango_server_url: { type: 'string' },
          nango_secret_key: { type: 'string', sensitive: true },
          nango_environment: { type: 'string', default: null },
          stand_in_secret_end_dates: { type: 'map(string)', default: {} },
        },
        module: {
          kindo: {
            source: './module',
            integrations: '${var.integrations}',
            nango_server_url: '${var.nango_server_url}',
            nango_secret_key: '${var.nango_secret_key}',
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
    inputs = {
      integrations: ['teams'],
      fields: {},
      remove: {},
      add: {},
      adopt: [],
      secretKey: nango.secretKey,
      endDates: {},
    };
    const init = await run('init', '-input=false');
    expect(init.status, init.output).toBe(0);
  }, 120_000);

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
      redirect_uri: `${serverUrl}/oauth/callback`,
    });
    expect(nango.integrations.get('teams-prod')!.credentials.client_id).toBe(integrations.teams.client_id);
    expect(Object.keys(output('client_secrets')).sort()).toEqual(['outlook', 'teams']);
    expect(output('fabric_connection')).toBeNull();
  }, 120_000);

  test('nango.fields reach the POST and PATCH bodies over the tenant_id default; a change replaces that Sync only, shown in the plan', async () => {
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

    inputs = { ...inputs, fields: { outlook: { target_user_id: '', region_hint: 'west' } } };
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
    inputs = { ...inputs, remove: {}, add: {} };
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
    await fresh({ fields: {}, remove: {} });
    inputs = { ...inputs, integrations: ['teams', 'fabric'] };
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
    await fresh({ integrations: ['teams', 'fabric'], fields: {}, remove: {} });
    const soon = new Date(Date.now() + 10 * 24 * 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    inputs = { ...inputs, endDates: { teams: soon } };
    const out = (await applied()).replace(/[│╷╵]/g, '').replace(/\s+/g, ' ');
    expect(out).toContain('Warning: Check block assertion failed');
    expect(out).toContain(`The client secret of Kindo integration 'teams' expires at ${soon}, within 30 days`);
    // In the module's words: its input, and the address as the root module that calls it writes it.
    expect(out).toContain(
      'rotate it by changing secret_rotation, or with terraform apply -replace=module.<name>.azuread_application_password.this["teams"]',
    );
    expect(out).not.toContain("Kindo integration 'fabric' expires");
    // The message names the secret's expiry, never the secret or the Nango key.
    // (The stand-in's secret is a plain value, shown in its plan: only the warning is searched for it.)
    const warning = out.slice(out.indexOf('Warning: Check block assertion failed'), out.indexOf('Apply complete!'));
    expect(out).not.toContain(nango.secretKey);
    expect(warning).not.toContain('azuread_application_password-this-teams-value');

    inputs = { ...inputs, endDates: {} };
    expect(await applied()).not.toContain('Check block assertion failed');
  }, 120_000);

  test('an existing Nango integration is refused without nango.adopt_existing, and with it is updated in place, its connections kept', async () => {
    await fresh({ integrations: ['teams', 'fabric'], fields: {}, remove: {} });
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
    inputs = { ...inputs, integrations: ['teams', 'fabric', 'outlook'] };
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
    expect(failed).toContain('integrations["outlook"].nango.adopt_existing in the module');
    expect(nango.integrations.get('kindo-outlook')).toEqual(theirs);

    inputs = { ...inputs, adopt: ['outlook'] };
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

    // The adopted integration is this state's now: destroy deletes it, as nango.adopt_existing says.
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
    const dev = { ...inputs, environment: 'dev' };
    try {
      inputs = dev;
      await applied();
      const registered = [...nango.integrations.keys()].sort();
      expect(registered).toEqual(['kindo-outlook', 'teams-prod']);

      inputs = { ...dev, secretKey: prodKey, environment: 'prod' };
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

      inputs = dev;
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

      inputs = { ...dev, secretKey: prodKey, environment: 'prod' };
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
