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

  // A terminal would act on these: controls, C1 controls, bidi marks, line separators, and (for bytes
  // that are not UTF-8) the replacement character the output decodes to. LF ends each line, only.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its purpose.
  const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufffd]/u;
  const destroying = () => ({ TF_VAR_nango_secret_key: nango.secretKey });

  test.each<[string, unknown, string]>([
    [
      'JSON',
      { error: { message: '\u001b[31mEVIL\u202eRLO\r\nline2' } },
      String.raw`HTTP 500: {"error":{"message":"\u001b[31mEVIL\u{202E}RLO\r\nline2"}}`,
    ],
    [
      'text',
      '\u001b[31mEVIL\u202eRLO\r\nline2\u0085\u009b2J\u2066x\u2069\u0007\u007f\u200f',
      String.raw`HTTP 500: \u{1B}[31mEVIL\u{202E}RLO\u{D}\u{A}line2\u{85}\u{9B}2J\u{2066}x\u{2069}\u{7}\u{7F}\u{200F}`,
    ],
    [
      'bytes that are not UTF-8',
      Buffer.from([0x1b, 0x5b, 0x32, 0x4a, 0x9b, 0xff, 0xe2, 0x80, 0xae, 0x41, 0xed, 0xa0, 0x80, 0xe2, 0x80]),
      String.raw`HTTP 500: \u{1B}[2J\x9B\xFF\u{202E}A\xED\xA0\x80\xE2\x80`,
    ],
  ])('shows an answer in %s with controls and bidi marks escaped, on one line', async (_kind, body, shown) => {
    nango.intercept = () => [500, body];
    const run = await script('delete', destroying());
    expect(run.status).toBe(1);
    expect(run.output).toContain(shown);
    expect(run.output).not.toMatch(RAW);
    expect(run.output.trimEnd().split('\n')).toHaveLength(1);
  });

  test('redacts secrets before escaping, and shows at most 2,000 bytes of an answer', async () => {
    const secret = 'first~Secret.value';
    nango.intercept = () => [500, `\u001b${nango.secretKey}\u202e${'x'.repeat(1979)}${secret}${'y'.repeat(100_000)}`];
    const run = await script('claim');
    expect(run.status).toBe(1);
    // 1 + 10 + 3 + 1,979 bytes before the second secret: 7 bytes of "[redacted]" fit in the first 2,000.
    expect(run.output).toContain(String.raw`HTTP 500: \u{1B}[redacted]\u{202E}xx`);
    expect(run.output).toContain('x[redact [100003 more bytes not shown]\n');
    expect(run.output).not.toContain(nango.secretKey.slice(0, 8));
    expect(run.output).not.toContain(secret.slice(0, 8));
    expect(run.output.length).toBeLessThan(2_400);
  });

  test('shows the provider Nango holds with its bidi marks escaped', async () => {
    nango.intercept = ({ method }) =>
      method === 'GET' ? [200, { data: { provider: 'micro\u202esoft\u2066' } }] : undefined;
    const run = await script('sync');
    expect(run.status).toBe(1);
    expect(run.output).toContain(String.raw`has provider "micro\u{202E}soft\u{2066}", and this configuration`);
    expect(run.output).not.toMatch(RAW);
  });

  test.each([
    [
      'KINDO_INTEGRATION',
      { KINDO_INTEGRATION: 'teams\u001b]0;x\u0007\u202e' },
      String.raw`teams\u{1B}]0;x\u{7}\u{202E}'`,
    ],
    ['NANGO_SERVER_URL', { NANGO_SERVER_URL: 'https://nango.example.com/\u001b[2J' }, String.raw`/\u{1B}[2J'`],
    ['NANGO_UNIQUE_KEY', { NANGO_UNIQUE_KEY: 'kindo\u202eteams\r' }, String.raw`'kindo\u{202E}teams\u{D}'`],
  ])('shows %s from the environment with controls and bidi marks escaped', async (_name, overrides, shown) => {
    nango.intercept = () => [500, { error: 'refused' }];
    const run = await script('delete', { ...destroying(), ...overrides });
    expect(run.status).toBe(1);
    expect(run.output).toContain(shown);
    expect(run.output).not.toMatch(RAW);
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
