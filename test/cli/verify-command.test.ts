import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliError, main } from '../../src/cli/main';
import { verifyStateUnreadable } from '../../src/cli/verify-command';
import { registrationsFromState } from '../../src/nango/verify';
import { firstInvisible } from '../../src/core/visible';
import { captureOutput } from '../support/output';
import { expectKindoError } from '../support/errors';

describe('verify without terraform', () => {
  const io = captureOutput();
  beforeEach(() => {
    process.env.NANGO_SECRET_KEY = randomUUID();
  });
  afterEach(() => {
    delete process.env.NANGO_SECRET_KEY;
  });

  test('fails if the state holds no Nango registration', async () => {
    const file = join(process.env.TMPDIR ?? '/tmp', `empty-state-${randomUUID()}.json`);
    writeFileSync(file, JSON.stringify({ format_version: '1.0' }));
    try {
      expect(await main(['verify', '--state', file])).toBe(1);
      const error = expectKindoError(
        () => registrationsFromState({ format_version: '1.0' }, file),
        'VERIFY_NOTHING_REGISTERED',
        [`'${file}'`],
      );
      expect(io.err).toBe(`${cliError(error)}\n`);
    } finally {
      rmSync(file, { force: true });
    }
  });

  test("--help names the default stack's directory", async () => {
    expect(await main(['verify', '--help'])).toBe(0);
    expect(io.out).toContain('cdktf.out/stacks/kindo-microsoft-integrations');
    expect(io.out).not.toMatch(/stacks\/kindo[^-]/);
  });

  test('fails if --dir does not exist, saying so rather than that terraform could not be run', async () => {
    const missing = join(tmpdir(), `missing-${randomUUID()}`);
    expect(await main(['verify', '--dir', missing])).toBe(1);
    expect(io.err).toBe(`${cliError(verifyStateUnreadable(missing, 'no such directory'))}\n`);
    expect(io.err).not.toContain('ENOENT');
  });

  test('fails if terraform is not on the PATH, saying so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'verify-dir-'));
    const path = process.env.PATH;
    process.env.PATH = dir;
    try {
      expect(await main(['verify', '--dir', dir])).toBe(1);
      expect(io.err).toContain('terraform is not on the PATH');
    } finally {
      process.env.PATH = path;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("shows terraform's error output on one visible line", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'verify-dir-'));
    writeFileSync(join(dir, 'terraform'), "#!/bin/sh\nprintf 'Error: \\033]0;title\\007\\033[2Jbad\\n' >&2\nexit 1\n", {
      mode: 0o755,
    });
    const path = process.env.PATH;
    process.env.PATH = `${dir}:${path}`;
    try {
      expect(await main(['verify', '--dir', dir])).toBe(1);
      expect(io.err).toContain('VERIFY_STATE_UNREADABLE');
      expect(io.err).toContain('\\u{1B}[2Jbad');
      expect(firstInvisible(io.err.trimEnd())).toBeUndefined();
    } finally {
      process.env.PATH = path;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('fails if --callback-url is not an https URL, naming it', async () => {
    expect(await main(['verify', '--callback-url', 'http://nango.example.com/oauth/callback'])).toBe(2);
    expect(io.err).toMatch(
      /^verify: option --callback-url is not an https URL: 'http:\/\/nango\.example\.com\/oauth\/callback'; expected/,
    );
  });
});

// Escapes that would recolour, retitle or clear a terminal, reorder text (RLO) or add a line.
const HOSTILE = '\u001b[31mEVIL\u001b]0;title\u0007\u202eRLO\r\nline2';
/** The first character a terminal would not show as written, line ends aside. */
const rawControl = (s: string) => firstInvisible(s.replaceAll('\n', ''));

describe("verify with hostile values in the state and in Nango's answers", () => {
  const io = captureOutput();
  let server: Server;
  let dir: string;
  let file: string;
  beforeEach(async () => {
    process.env.NANGO_SECRET_KEY = randomUUID();
    server = createServer((req, res) => {
      const body = req.url?.startsWith('/integrations/')
        ? { data: { provider: HOSTILE, credentials: { client_id: HOSTILE, scopes: HOSTILE } } }
        : { config: { custom: { tenant_id: HOSTILE, '\u001b[2Jextra': HOSTILE } } };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const evil = `\u001b[32mx\u001b]0;t\u0007\u202e`;
    const resource = (address: string, type: string, values: object) => ({ address, mode: 'managed', type, values });
    const state = {
      values: {
        root_module: {
          resources: [
            resource(`terraform_data.registration${evil}`, 'terraform_data', {
              triggers_replace: { integration: `teams${evil}`, server_url: serverUrl, unique_key: 'k' },
            }),
            resource(`terraform_data.sync${evil}`, 'terraform_data', {
              triggers_replace: {
                server_url: serverUrl,
                unique_key: 'k',
                provider: 'p',
                client_id: 'c',
                'field.tenant_id': evil,
              },
            }),
            resource('azuread_application.a', 'azuread_application', {
              client_id: 'c',
              web: [{ redirect_uris: [evil] }],
            }),
          ],
        },
      },
    };
    dir = mkdtempSync(join(tmpdir(), 'verify-hostile-'));
    file = join(dir, 's.json');
    writeFileSync(file, JSON.stringify(state));
  });
  afterEach(async () => {
    delete process.env.NANGO_SECRET_KEY;
    await new Promise((done) => server.close(done));
    rmSync(dir, { recursive: true, force: true });
  });

  test('the table shows every value from state or Nango on one visible line', async () => {
    expect(await main(['verify', '--state', file])).toBe(3);
    expect(rawControl(io.out)).toBeUndefined();
    expect(io.out).toContain('set in Nango only: \\u{1B}[2Jextra');
    expect(io.out).toContain('teams\\u{1B}[32mx\\u{1B}]0;t\\u{7}\\u{202E}');
    expect(io.out).toContain('Nango: \\u{1B}[31mEVIL');
  });

  test('--json parses to the exact values, with no control character written raw', async () => {
    expect(await main(['verify', '--state', file, '--json'])).toBe(3);
    expect(rawControl(io.out)).toBeUndefined();
    const report = JSON.parse(io.out);
    expect(report.integrations[0].integration).toBe('teams\u001b[32mx\u001b]0;t\u0007\u202e');
    expect(report.integrations[0].checks.find((c: { check: string }) => c.check === 'provider').nango).toBe(HOSTILE);
  });

  test('a server URL refused is shown visibly, with the address', async () => {
    const state = {
      values: {
        root_module: {
          resources: [
            {
              address: 'terraform_data.sync\u001b[2J',
              mode: 'managed',
              type: 'terraform_data',
              values: {
                triggers_replace: { server_url: 'http://evil.example/\u001b[2J', unique_key: 'k', provider: 'p' },
              },
            },
          ],
        },
      },
    };
    writeFileSync(file, JSON.stringify(state));
    expect(await main(['verify', '--state', file])).toBe(1);
    expect(io.err).toContain('VERIFY_SERVER_URL_REFUSED');
    expect(io.err).toContain("'terraform_data.sync\\u{1B}[2J'");
    expect(io.err).toContain('evil.example/%1B[2J');
    expect(rawControl(io.err)).toBeUndefined();
  });

  test('a state file that is not JSON is named, with where it stops being JSON, and none of its content', async () => {
    writeFileSync(file, '\u001b[31mRED\u001b]0;pwned\u0007');
    expect(await main(['verify', '--state', file])).toBe(1);
    expect(io.err).toContain('VERIFY_STATE_UNREADABLE');
    expect(io.err).toContain(file);
    expect(io.err).toContain('line 1, column 1');
    expect(io.err).not.toMatch(/RED|pwned/);
    expect(rawControl(io.err)).toBeUndefined();
  });
});
