import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nangoStackRuns } from '../support/nango-stack';
import { hasTerraform } from '../support/terraform';

// End to end with the real terraform binary against a Nango stand-in on 127.0.0.1.
describe.skipIf(!hasTerraform)('NangoRegistration lifecycle with terraform (terraform on the PATH)', () => {
  const e2e = nangoStackRuns(['offline_access', 'User.Read', 'Chat.ReadWrite']);
  const { nango, run, applied, planned, sent, failed, resynth, start, statePath } = e2e;
  const noSecretIn = (text: string) => {
    for (const secret of [nango.secretKey, 'first~Secret.value', 'second~Secret.value'])
      expect(text).not.toContain(secret);
  };

  test('a first plan writes nothing; apply claims the key with one POST and pushes the values', async () => {
    await start(false);
    expect((await planned()).status).toBe(2);
    expect(await sent(() => applied())).toEqual([
      'GET /integrations/kindo-teams?include=credentials 404',
      'POST /integrations 200',
      'GET /integrations/kindo-teams 200',
      'PATCH /integrations/kindo-teams 200',
    ]);
    const post = nango.requests.find((r) => r.method === 'POST')!;
    expect(post.body).toEqual({
      unique_key: 'kindo-teams',
      provider: 'microsoft-tenant-specific',
      display_name: 'Microsoft Teams',
      credentials: {
        type: 'OAUTH2',
        client_id: 'client-1',
        client_secret: 'first~Secret.value',
        scopes: 'offline_access,User.Read,Chat.ReadWrite',
      },
    });
  }, 60_000);

  test('a plan with nothing to do writes nothing, and a no-op apply sends nothing', async () => {
    await start(true);
    expect((await planned()).status).toBe(0);
    expect(await sent(() => applied())).toEqual([]);
  }, 60_000);

  test('the Nango secret key is in neither the state nor a saved plan, nor its JSON', async () => {
    await start(true);
    e2e.vars = { ...e2e.vars, client_id: 'client-2' };
    const plan = await run('plan', '-input=false', '-out=tfplan');
    expect(plan.status, plan.output).toBe(0);
    const show = await run('show', '-json', 'tfplan');
    expect(show.status, show.output).toBe(0);
    expect(show.output).toContain('"client-2"');
    const planFile = execFileSync('unzip', ['-p', join(e2e.dir, 'tfplan')]).toString('latin1');
    expect(planFile).toContain('client-2');
    // A saved plan needs the ephemeral variable again when it is applied.
    expect(await sent(() => applied('tfplan'))).toEqual([
      'GET /integrations/kindo-teams 200',
      'PATCH /integrations/kindo-teams 200',
    ]);
    const state = readFileSync(statePath(e2e.dir), 'utf8');
    for (const text of [
      show.output,
      planFile,
      readFileSync(join(e2e.dir, 'tfplan')).toString('latin1'),
      state,
      plan.output,
    ])
      expect(text).not.toContain(nango.secretKey);
    expect(nango.integrations.get('kindo-teams')!.credentials.client_id).toBe('client-2');
  }, 60_000);

  test('a rotated secret is PATCHed before the old one is removed, never shown in the plan or the logs', async () => {
    await start(true);
    e2e.vars = { ...e2e.vars, client_secret: 'second~Secret.value', client_secret_key_id: 'key-2' };
    const plan = await planned();
    expect(plan.output).toContain('"key-1" -> "key-2"');
    const apply = await applied('-json');
    expect(nango.integrations.get('kindo-teams')!.credentials.client_secret).toBe('second~Secret.value');
    const completed = apply.output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { type: string; hook?: { resource: { addr: string }; action: string } })
      .filter((m) => m.type === 'apply_complete')
      .map((m) => `${m.hook!.action} ${m.hook!.resource.addr}`);
    const synced = completed.findIndex((c) => /^create terraform_data\.Teams_Sync_/.test(c));
    const oldSecretRemoved = completed.findIndex((c) => /^delete terraform_data\.ClientSecret/.test(c));
    expect(synced, completed.join('\n')).toBeGreaterThanOrEqual(0);
    expect(oldSecretRemoved, completed.join('\n')).toBeGreaterThan(synced);
    noSecretIn(plan.output);
    noSecretIn(apply.output);
  }, 60_000);

  test('replacing Sync pushes the values again and never deletes', async () => {
    await start(true);
    const sync = (await run('state', 'list')).output
      .split('\n')
      .find((a) => a.startsWith('terraform_data.Teams_Sync_'))!;
    expect(await sent(() => applied(`-replace=${sync}`))).toEqual([
      'GET /integrations/kindo-teams 200',
      'PATCH /integrations/kindo-teams 200',
    ]);
  }, 60_000);

  test('a Nango error fails the apply, naming the integration, the status and the error, with secrets redacted', async () => {
    await start(true);
    const unknownKey = randomUUID();
    const good = e2e.vars;
    e2e.vars = { ...e2e.vars, nango_secret_key: unknownKey, client_id: 'client-3' };
    const output = await failed();
    e2e.vars = { ...good, client_id: 'client-3' };
    expect(output).toContain(
      `Kindo integration 'teams': Nango answered GET ${e2e.serverUrl}/integrations/kindo-teams with HTTP 401: {"error":{"message":"Authentication failed. The provided authorization header does not match any account.","code":"unknown_account","payload":{}}}`,
    );
    expect(output).not.toContain(unknownKey);
    noSecretIn(output);
    expect(await sent(() => applied())).toEqual([
      'GET /integrations/kindo-teams 200',
      'PATCH /integrations/kindo-teams 200',
    ]);
  }, 60_000);

  test('Nango failing a PATCH fails the apply, with the secrets it echoes redacted', async () => {
    await start(true);
    nango.intercept = (r) =>
      r.method === 'PATCH'
        ? [500, { error: { code: 'server_error', echoed: r.body, auth: r.headers.authorization } }]
        : undefined;
    e2e.vars = { ...e2e.vars, client_id: 'client-4' };
    const output = await failed();
    expect(output).toContain(
      `Nango answered PATCH ${e2e.serverUrl}/integrations/kindo-teams with HTTP 500: {"error":{"code":"server_error","echoed":"{\\"credentials\\":{\\"client_id\\":\\"client-4\\",\\"client_secret\\":\\"[redacted]\\",`,
    );
    expect(output).toContain('"auth":"Bearer [redacted]"');
    noSecretIn(output);
    nango.intercept = undefined;
    expect(await sent(() => applied())).toEqual([
      'GET /integrations/kindo-teams 200',
      'PATCH /integrations/kindo-teams 200',
    ]);
  }, 60_000);

  test('a changed provider shows in the plan and fails the apply: Nango cannot change it in place', async () => {
    await start(true);
    e2e.vars = { ...e2e.vars, nango_provider: 'microsoft' };
    const plan = await planned();
    expect(plan.output).toMatch(/~ provider += "microsoft-tenant-specific" -> "microsoft"/);
    let output = '';
    expect(await sent(async () => (output = await failed()))).toEqual(['GET /integrations/kindo-teams 200']);
    expect(output).toContain(
      `Kindo integration 'teams': Nango integration 'kindo-teams' has provider "microsoft-tenant-specific", and this configuration registers 'microsoft'; Nango cannot change a provider. Choose another unique key, or delete the integration in Nango (its connections go with it) and apply again`,
    );
    e2e.vars = { ...e2e.vars, nango_provider: 'microsoft-tenant-specific' };
    expect(await sent(() => applied())).toEqual([
      'GET /integrations/kindo-teams 200',
      'PATCH /integrations/kindo-teams 200',
    ]);
  }, 60_000);

  test('an integration deleted outside Terraform (or a key of another environment) fails the next push, naming the fix', async () => {
    await start(true);
    nango.integrations.clear();
    e2e.vars = { ...e2e.vars, client_id: 'client-5' };
    const output = await failed();
    const registrationAddress = /terraform_data\.Teams_Registration_[0-9A-F]+/.exec(output)?.[0];
    expect(output).toContain(
      `Nango answered GET ${e2e.serverUrl}/integrations/kindo-teams with HTTP 404: {"error":{"code":"not_found","message":"Integration \\"kindo-teams\\" does not exist"}}. Deleted outside Terraform, or the key is of another environment; to register it again here: terraform apply -replace=${registrationAddress}`,
    );
    expect(await sent(() => applied(`-replace=${registrationAddress}`))).toEqual([
      'DELETE /integrations/kindo-teams 404',
      'GET /integrations/kindo-teams?include=credentials 404',
      'POST /integrations 200',
      'GET /integrations/kindo-teams 200',
      'PATCH /integrations/kindo-teams 200',
    ]);
  }, 60_000);

  test('a literal unique key renamed in the configuration is renamed in Nango, keeping the integration', async () => {
    await start(true);
    const created = nango.integrations.get('kindo-teams')!.created_at;
    await resynth({ uniqueKey: 'kindo teams~v2:a.b@c_d' });
    const plan = await planned();
    expect(plan.output).toMatch(/~ unique_key += "kindo-teams" -> "kindo teams~v2:a\.b@c_d"/);
    expect(await sent(() => applied())).toEqual([
      'PATCH /integrations/kindo-teams 200',
      'GET /integrations/kindo%20teams~v2%3Aa.b%40c_d 200',
      'PATCH /integrations/kindo%20teams~v2%3Aa.b%40c_d 200',
    ]);
    expect([...nango.integrations.keys()]).toEqual(['kindo teams~v2:a.b@c_d']);
    expect(nango.integrations.get('kindo teams~v2:a.b@c_d')!.created_at).toBe(created);
    expect(await sent(() => applied('-destroy'))).toEqual(['DELETE /integrations/kindo%20teams~v2%3Aa.b%40c_d 200']);
  }, 60_000);

  test('a rename Nango refuses (the integration has connections) fails the apply and changes nothing', async () => {
    await start(true, { uniqueKey: 'kindo teams~v2:a.b@c_d' });
    nango.connections.set('kindo teams~v2:a.b@c_d', 2);
    await resynth({ uniqueKey: 'kindo-teams' });
    const output = await failed();
    expect(output).toContain(
      `Kindo integration 'teams': Nango answered PATCH ${e2e.serverUrl}/integrations/kindo%20teams~v2%3Aa.b%40c_d with HTTP 400: {"error":{"code":"invalid_body","message":"Can't rename an integration with active connections"}}. Nango renames only integrations without connections, to a key no other integration has; keep the unique key 'kindo teams~v2:a.b@c_d', or remove its connections in Nango and apply again`,
    );
    expect([...nango.integrations.keys()]).toEqual(['kindo teams~v2:a.b@c_d']);
    // Back to the registered key, nothing is left to do.
    await resynth({ uniqueKey: 'kindo teams~v2:a.b@c_d' });
    expect((await planned()).status).toBe(0);
  }, 60_000);

  test('destroy without the key in the environment fails before any request, naming the variable', async () => {
    await start(true);
    const { nango_secret_key: key, ...rest } = e2e.vars;
    e2e.vars = rest;
    let output = '';
    expect(await sent(async () => (output = await failed('-destroy', `-var=nango_secret_key=${key}`)))).toEqual([]);
    e2e.vars = { ...rest, nango_secret_key: key };
    expect(output).toContain(
      "Kindo integration 'teams': cannot delete Nango integration 'kindo-teams': TF_VAR_nango_secret_key is not set; Terraform gives destroy-time provisioners no variables. Export it and run again",
    );
    noSecretIn(output);
  }, 60_000);

  test('Nango failing a DELETE fails the destroy, and it is retried by the next one', async () => {
    await start(true);
    nango.intercept = (r) =>
      r.method === 'DELETE' ? [503, { error: { code: 'unavailable', key: r.headers.authorization } }] : undefined;
    const output = await failed('-destroy');
    expect(output).toContain(
      `Nango answered DELETE ${e2e.serverUrl}/integrations/kindo-teams with HTTP 503: {"error":{"code":"unavailable","key":"Bearer [redacted]"}}`,
    );
    noSecretIn(output);
    nango.intercept = undefined;
    expect(await sent(() => applied('-destroy'))).toEqual(['DELETE /integrations/kindo-teams 200']);
    expect(nango.integrations.size).toBe(0);
  }, 60_000);

  test('an integration dropped from the configuration is deleted by the next apply, and the plan says so', async () => {
    await start(true);
    await resynth({ removed: true });
    const plan = await planned();
    expect(plan.output).toMatch(
      /# terraform_data\.Teams_Registration_[0-9A-F]+ will be destroyed\s+# \(because terraform_data\.Teams_Registration_[0-9A-F]+ is not in configuration\)/,
    );
    expect(await sent(() => applied())).toEqual(['DELETE /integrations/kindo-teams 200']);
    expect(nango.integrations.size).toBe(0);
    // A removed block for a registration that is not in state does nothing.
    expect((await planned()).status).toBe(0);
  }, 60_000);

  test('Nango failing the POST fails the apply with secrets redacted, and leaves nothing a destroy would delete', async () => {
    await start(false);
    nango.intercept = (r) =>
      r.method === 'POST' ? [400, { error: { code: 'invalid_body', echoed: r.body } }] : undefined;
    const output = await failed();
    expect(output).toContain(
      `Nango answered POST ${e2e.serverUrl}/integrations with HTTP 400: {"error":{"code":"invalid_body","echoed":"{\\"credentials\\":{\\"client_id\\":\\"client-1\\",\\"client_secret\\":\\"[redacted]\\",`,
    );
    noSecretIn(output);
    nango.intercept = undefined;
    expect(await sent(() => applied('-destroy'))).toEqual([]);
  }, 60_000);

  test('a plan naming another Nango environment than the state registered in fails before any request, naming both and the move; the same one plans nothing', async () => {
    await start(false, { environment: true });
    e2e.vars = { ...e2e.vars, nango_environment: 'dev' };
    await applied();
    e2e.vars = { ...e2e.vars, nango_environment: 'prod' };
    const before = nango.requests.length;
    const plan = await run('plan', '-input=false');
    expect(plan.status, plan.output).toBe(1);
    const record = /terraform_data\.Teams_Environment_[0-9A-F]+/.exec(plan.output)?.[0];
    expect(plan.output.replace(/\s+/g, ' ')).toContain(
      `Kindo integration 'teams': this state registered its Nango integration in environment 'dev', and this plan names 'prod'; nothing was changed. Keep 'dev' with its secret key, or move: with that key, terraform destroy -target='${record}' (module.<name>. prefixed in a module), then apply with 'prod' and its key (docs/nango-registration.md#moving-to-another-environment).`,
    );
    expect(await failed()).toContain("this plan names 'prod'");
    expect(nango.requests.slice(before), 'a refused switch sends nothing').toEqual([]);
    noSecretIn(plan.output);
    e2e.vars = { ...e2e.vars, nango_environment: 'dev' };
    expect((await planned()).status).toBe(0);
  }, 60_000);

  test('moves to another environment in two steps: destroy -target of the record with the old key deletes it there, then apply registers it in the new one', async () => {
    const prod = nango.addEnvironment();
    const prodKey = prod.secretKey;
    try {
      await start(false, { environment: true });
      e2e.vars = { ...e2e.vars, nango_environment: 'dev' };
      await applied();
      const record = (await run('state', 'list')).output
        .split('\n')
        .find((a) => /^terraform_data\.Teams_Environment_/.test(a))!;
      let output = '';
      expect(
        await sent(async () => {
          const destroy = await run('destroy', '-auto-approve', '-input=false', `-target=${record}`);
          expect(destroy.status, destroy.output).toBe(0);
          output += destroy.output;
        }),
      ).toEqual(['DELETE /integrations/kindo-teams 200']);
      expect([...nango.integrations.keys()]).toEqual([]);
      e2e.vars = { ...e2e.vars, nango_secret_key: prodKey, nango_environment: 'prod' };
      expect(await sent(async () => (output += await applied()))).toEqual([
        'GET /integrations/kindo-teams?include=credentials 404',
        'POST /integrations 200',
        'GET /integrations/kindo-teams 200',
        'PATCH /integrations/kindo-teams 200',
      ]);
      expect([...prod.integrations.keys()]).toEqual(['kindo-teams']);
      expect((await planned()).status).toBe(0);
      noSecretIn(output);
      // State holds the client secret (Sync's trigger, for verify), never a Nango secret key.
      for (const key of [nango.secretKey, prodKey]) {
        expect(output).not.toContain(key);
        expect(readFileSync(statePath(e2e.dir), 'utf8')).not.toContain(key);
      }
    } finally {
      nango.otherEnvironments.delete(prodKey);
    }
  }, 90_000);

  test('an environment named where none was recorded is recorded without a request, and guards from then on', async () => {
    await start(true, { environment: true });
    e2e.vars = { ...e2e.vars, nango_environment: 'dev' };
    expect(await sent(() => applied())).toEqual([]);
    e2e.vars = { ...e2e.vars, nango_environment: 'prod' };
    const plan = await run('plan', '-input=false');
    expect(plan.status).toBe(1);
    expect(plan.output.replace(/\s+/g, ' ')).toContain(
      "registered its Nango integration in environment 'dev', and this plan names 'prod'",
    );
  }, 60_000);

  test('the synthesized configuration holds no secret literal', async () => {
    await start(false);
    const json = readFileSync(join(e2e.dir, 'cdk.tf.json'), 'utf8');
    expect(json).not.toContain(nango.secretKey);
    expect(json).not.toContain('Secret.value');
  });
});
