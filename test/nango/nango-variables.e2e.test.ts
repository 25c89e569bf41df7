import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { TerraformVariable } from 'cdktf';
import { NANGO_SECRET_KEY_VALIDATION, NANGO_SERVER_URL_VALIDATION } from '../../src/nango/nango-variables';
import { hasTerraform, synthToDir, terraform } from '../support/terraform';

// The default stack's nango_secret_key and nango_server_url checks, evaluated by the real terraform at plan.
describe.skipIf(!hasTerraform)('Nango variables at plan (terraform on the PATH)', () => {
  let dir: string;
  const plan = (vars: Record<string, string>) => terraform(dir, ['plan', '-input=false'], vars);
  const valid = { nango_secret_key: randomUUID(), nango_server_url: 'https://api.nango.dev' };

  beforeAll(async () => {
    dir = synthToDir((stack) => {
      const key = new TerraformVariable(stack, 'nango_secret_key', {
        type: 'string',
        sensitive: true,
        validation: NANGO_SECRET_KEY_VALIDATION,
      });
      // As in the default stack: Terraform >= 1.10 validates an ephemeral variable too.
      key.addOverride('ephemeral', true);
      new TerraformVariable(stack, 'nango_server_url', { type: 'string', validation: NANGO_SERVER_URL_VALIDATION });
    });
    expect((await terraform(dir, ['init', '-input=false'])).status).toBe(0);
  }, 60_000);
  afterAll(() => rmSync(join(dir, '..', '..'), { recursive: true, force: true }));

  test.each([
    ['empty', ''],
    ['not a UUID', 'nango-secret'],
    ['a UUID of another version (1)', randomUUID().replace(/^(.{14})4/, '$11')],
    ['a key with a quote and a line break', `${randomUUID()}"\nurl = "https://elsewhere.example.com`],
  ])(
    'refuses a secret key that is %s, without showing it',
    async (_name, key) => {
      const run = await plan({ ...valid, nango_secret_key: key });
      expect(run.status).toBe(1);
      expect(run.output).toContain('nango_secret_key is not a Nango secret key (its value is not shown)');
      if (key !== '') expect(run.output).not.toContain(key.slice(0, 20));
    },
    60_000,
  );

  test("accepts a secret key of Nango's form, in either case", async () => {
    expect((await plan(valid)).status).toBe(0);
    expect((await plan({ ...valid, nango_secret_key: randomUUID().toUpperCase() })).status).toBe(0);
  }, 60_000);

  test.each([
    ['credentials', 'https://admin:pa55word@nango.example.com'],
    ['http on a public host', 'http://nango.example.com'],
    ['a query', 'https://nango.example.com/?x=1'],
    ['white space', 'https://nango.example.com/a b'],
    ['a line break', 'https://nango.example.com\n/x'],
  ])(
    'refuses a server URL with %s, before anything reaches the script',
    async (_name, url) => {
      // Terraform's own diagnostic shows the value given, as for any variable that is not sensitive.
      const run = await plan({ ...valid, nango_server_url: url });
      expect(run.status).toBe(1);
      expect(run.output).toContain('nango_server_url must be an https:// URL without credentials');
    },
    60_000,
  );

  test.each(['https://nango.example.com/api/', 'http://127.0.0.1:3003', 'http://localhost', 'http://[::1]:3003/x'])(
    'accepts the server URL %s',
    async (url) => {
      expect((await plan({ ...valid, nango_server_url: url })).status).toBe(0);
    },
    60_000,
  );
});
