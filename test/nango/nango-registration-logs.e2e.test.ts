import { randomUUID } from 'node:crypto';
import { nangoStackRuns } from '../support/nango-stack';
import { hasTerraform } from '../support/terraform';

// Planted secrets, distinctive so that any copy in a log is found: Entra-like client secrets.
const FIRST_SECRET = `Kq8~planted.${randomUUID()}`;
const SECOND_SECRET = `Kq8~rotated.${randomUUID()}`;

// Terraform's debug log prints every value of every resource (UpgradeResourceState, PlanResourceChange…),
// which CI systems do not mask: no terraform_data value may hold a secret. End to end with terraform
// and the stand-in; a terraform_data stands in for the Entra password, as in the other tests.
describe.skipIf(!hasTerraform)('NangoRegistration in Terraform debug logs', () => {
  const e2e = nangoStackRuns(['offline_access', 'User.Read'], FIRST_SECRET);
  const { nango, run, start } = e2e;
  const previous = process.env.TF_LOG;
  beforeAll(() => {
    process.env.TF_LOG = 'TRACE';
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.TF_LOG;
    else process.env.TF_LOG = previous;
  });

  test('TF_LOG=TRACE of plan, apply, rotation and destroy holds neither a client secret nor the Nango key', async () => {
    await start(false);
    const logs: string[] = [];
    const logged = async (...args: string[]) => {
      const result = await run(...args);
      expect(result.status, result.output.slice(-2000)).not.toBe(1);
      logs.push(result.output);
    };
    await logged('plan', '-input=false');
    await logged('apply', '-auto-approve', '-input=false');
    await logged('plan', '-input=false');
    e2e.vars = { ...e2e.vars, client_secret: SECOND_SECRET, client_secret_key_id: 'key-2' };
    await logged('plan', '-input=false');
    await logged('apply', '-auto-approve', '-input=false');
    await logged('apply', '-destroy', '-auto-approve', '-input=false');
    // The runs did what they log: the rotation reached Nango, and the destroy deleted it.
    expect(nango.requests.some((r) => JSON.stringify(r.body ?? '').includes(SECOND_SECRET))).toBe(true);
    expect(nango.integrations.size).toBe(0);
    const all = logs.join('\n');
    expect(all).toContain('[TRACE]');
    for (const secret of [FIRST_SECRET, SECOND_SECRET, nango.secretKey]) expect(all).not.toContain(secret);
  }, 180_000);
});
