import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeNango } from '../support/fake-nango';

const SCRIPT = join(__dirname, '..', '..', 'assets', 'nango-registration.sh');

interface ScriptRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

// The registration script run on its own against the stand-in, as a provisioner runs it: the checks
// it makes before any request, and what it leaves behind.
describe('nango-registration.sh', () => {
  const nango = new FakeNango(randomUUID());
  let serverUrl: string;
  let scratch: string;
  const environment = (overrides: Record<string, string>) => ({
    PATH: process.env.PATH,
    TMPDIR: scratch,
    KINDO_INTEGRATION: 'teams',
    NANGO_SERVER_URL: serverUrl,
    NANGO_UNIQUE_KEY: 'kindo-teams',
    NANGO_SECRET_KEY: nango.secretKey,
    NANGO_PROVIDER: 'microsoft-tenant-specific',
    NANGO_CLIENT_ID: 'client-1',
    NANGO_CLIENT_SECRET: 'first~Secret.value',
    NANGO_POST_BODY: JSON.stringify({
      unique_key: 'kindo-teams',
      provider: 'microsoft-tenant-specific',
      credentials: { type: 'OAUTH2', client_id: 'client-1', client_secret: 'first~Secret.value', scopes: 'x' },
    }),
    NANGO_PATCH_BODY: '{}',
    NANGO_REGISTRATION_ADDRESS: 'terraform_data.Teams_Registration_1',
    ...overrides,
  });
  /** Runs the script; `during` gets the child while it runs. Never longer than 20 s. */
  const script = (action: string, overrides: Record<string, string> = {}, during?: (pid: number) => Promise<void>) =>
    new Promise<ScriptRun>((resolve, reject) => {
      const child = spawn('sh', [SCRIPT, action], { env: environment(overrides), timeout: 20_000 });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('error', reject);
      child.on('close', (status, signal) => resolve({ status, signal, output }));
      if (during) void during(child.pid!);
    });
  const until = async (condition: () => boolean) => {
    for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
    expect(condition()).toBe(true);
  };

  beforeAll(async () => {
    serverUrl = await nango.start();
  });
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'kindo-script-'));
    nango.integrations.clear();
    nango.intercept = undefined;
  });
  afterEach(() => {
    // The script leaves its temporary directory (with the key file) behind in no case.
    expect(readdirSync(scratch)).toEqual([]);
    rmSync(scratch, { recursive: true, force: true });
  });
  afterAll(() => nango.stop());

  test.each([
    ['claim', 'NANGO_SECRET_KEY'],
    ['delete', 'TF_VAR_nango_secret_key'],
  ])(
    '%s refuses a key with a quote and line breaks before any request, naming the form, never the value',
    async (action, variable) => {
      const key = `${randomUUID()}"\nrequest = "DELETE"\nurl = "${serverUrl}/integrations/other`;
      const before = nango.requests.length;
      const run = await script(action, { [variable]: key });
      expect(run.status).toBe(1);
      expect(run.output).toContain("is not in Nango's form; expected a UUID v4");
      expect(run.output).not.toContain(key.slice(0, 36));
      expect(nango.requests.length).toBe(before);
    },
  );

  test.each([
    ['user information', `http://user:pa55word@127.0.0.1:1`, 'has user information'],
    ['user information after https', 'https://admin:pa55word@nango.example.com/api', 'has user information'],
    ['http on a public host', 'http://nango.example.com', 'expected an https:// URL (http:// only on 127.0.0.1'],
  ])('refuses a server URL with %s before any request, never printing credentials', async (_name, url, message) => {
    const before = nango.requests.length;
    // A variable of the script's own in the environment changes nothing.
    const run = await script('claim', { NANGO_SERVER_URL: url, url_ok: '1' });
    expect(run.status).toBe(1);
    expect(run.output).toContain(message);
    expect(run.output).not.toContain('pa55word');
    expect(nango.requests.length).toBe(before);
  });

  test('redacts a secret that is part of "[redacted]" itself, and ends', async () => {
    nango.intercept = () => [500, { error: 'a secret e and another e' }];
    const run = await script('claim', { NANGO_CLIENT_SECRET: 'e' });
    expect(run.status).toBe(1);
    // Each occurrence is replaced once, and the search goes on after it: never inside a "[redacted]".
    expect(run.output).toContain(
      'HTTP 500: {"[redacted]rror":"a s[redacted]cr[redacted]t [redacted] and anoth[redacted]r [redacted]"}',
    );
  });

  test.each<NodeJS.Signals>(['SIGTERM', 'SIGINT'])(
    '%s during a request that never ends stops curl and removes the temporary directory at once',
    async (signal) => {
      nango.failNext('GET', '/integrations/kindo-teams', 'hang');
      const started = Date.now();
      const run = await script('claim', {}, async (pid) => {
        await until(() => nango.openHangingRequests === 1);
        process.kill(pid, signal);
      });
      expect(run.status).toBe(1);
      // Well before curl's own 60 s limit: the trap ran at once.
      expect(Date.now() - started).toBeLessThan(10_000);
      // curl was stopped, so the stand-in saw the connection close.
      await until(() => nango.openHangingRequests === 0);
    },
  );
});
