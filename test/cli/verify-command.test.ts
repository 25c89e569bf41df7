import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliError, main } from '../../src/cli/main';
import { verifyStateUnreadable } from '../../src/cli/verify-command';
import { registrationsFromState } from '../../src/nango/verify';
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

  test('fails if --callback-url is not an https URL, naming it', async () => {
    expect(await main(['verify', '--callback-url', 'http://nango.example.com/oauth/callback'])).toBe(2);
    expect(io.err).toMatch(
      /^verify: option --callback-url is not an https URL: 'http:\/\/nango\.example\.com\/oauth\/callback'; expected/,
    );
  });
});
