import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ROOT,
  compile,
  documentedExamples,
  installConsumer,
  packCopy,
  run,
  runApp,
  type Engine,
  type Example,
} from '../support/consumer';

// The package as a user gets it: packed, installed into fresh projects with the newest cdktf 0.21.x,
// constructs 10.x and @cdktf/provider-azuread 14.x the registry has, and on CDK Terrain 0.24 through
// the npm alias (README, "Using CDK Terrain (cdktn)"). Every TypeScript example of the README and
// docs/ compiles there with cdktf's template options (no skipLibCheck) and synthesizes, run directly
// with Node as an app is run without a CLI. One install per engine, both at once, from the npm cache.

const ENGINES: readonly Engine[] = [
  {
    name: 'cdktf 0.21',
    dependencies: { cdktf: '~0.21.0', constructs: '^10.4.2', '@cdktf/provider-azuread': '^14.0.0' },
  },
  {
    name: 'cdktn 0.24',
    dependencies: { cdktf: 'npm:cdktn@~0.24.0', constructs: '~10.7.0', '@cdktf/provider-azuread': '^14.0.0' },
    overrides: { cdktf: '$cdktf' },
  },
];
const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

// An app of a consumer that does not catch the package's errors.
const UNCAUGHT = `import { App, TerraformStack, TerraformVariable } from 'cdktf';
import { KindoMicrosoftIntegrations, type IntegrationId } from 'kindo-microsoft-integrations';

const app = new App();
const stack = new TerraformStack(app, 'uncaught');
const key = new TerraformVariable(stack, 'nango_secret_key', { type: 'string', sensitive: true });
new KindoMicrosoftIntegrations(stack, 'Kindo', {
  integrations: (process.env.KINDO_INTEGRATIONS ?? 'teams').split(',') as IntegrationId[],
  nango: { secretKey: key.stringValue },
});
app.synth();
`;

const stderrLines = (text: string) => text.split('\n').filter((l) => l !== '');
const occurrences = (text: string, part: string) => text.split(part).length - 1;

// Each step starts Node, npm or tsc, seconds each on a busy machine.
describe('the packed package in a consumer project', { timeout: 120_000 }, () => {
  let scratch: string;
  let copy: string;
  const projects = new Map<string, string>();
  let documented: ReturnType<typeof documentedExamples>;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'kindo-consumer-'));
    const packed = await packCopy(scratch);
    copy = packed.copy;
    for (const engine of ENGINES) projects.set(engine.name, join(scratch, engine.name.replace(/\W+/g, '-')));
    await Promise.all(ENGINES.map((e) => installConsumer(projects.get(e.name)!, packed.tarball, e)));
    documented = documentedExamples(
      join(projects.get(ENGINES[0].name)!, 'node_modules', 'kindo-microsoft-integrations'),
    );
  }, 900_000);
  // Two projects' node_modules: tens of thousands of files.
  afterAll(() => rm(scratch, { recursive: true, force: true }), 300_000);

  test('its API report is current: npm run api rewrites api/ after a change to the public API', () => {
    const report = 'kindo-microsoft-integrations.api.md';
    expect(readFileSync(join(copy, 'build', 'api', report), 'utf8')).toBe(
      readFileSync(join(ROOT, 'api', report), 'utf8'),
    );
  });

  test('ships one declaration file, naming no development dependency, and no copy of a peer', () => {
    const installed = join(projects.get(ENGINES[0].name)!, 'node_modules', 'kindo-microsoft-integrations');
    const declarations = readdirSync(join(installed, 'lib'), { recursive: true }).filter((f) =>
      String(f).endsWith('.d.ts'),
    );
    expect(declarations).toEqual(['index.d.ts']);
    // What it imports must be in a consumer's project: the peers, or Node's own modules (@types/node).
    const dts = readFileSync(join(installed, 'lib', 'index.d.ts'), 'utf8');
    const specifiers = [...dts.matchAll(/(?:from |import\()'([^']+)'/g)].map((m) => m[1]);
    expect(specifiers.length).toBeGreaterThan(0);
    expect(
      specifiers.filter((s) => !/^(cdktf|constructs|@cdktf\/provider-azuread\/lib\/[a-z-]+|node:[a-z]+)$/.test(s)),
    ).toEqual([]);
    for (const peer of ['cdktf', 'constructs', '@cdktf/provider-azuread'])
      expect(existsSync(join(installed, 'node_modules', peer)), peer).toBe(false);
  });

  test('exposes its index and package.json only: a deep import is refused', async () => {
    const dir = projects.get(ENGINES[0].name)!;
    const load = (spec: string) => run(process.execPath, ['-e', `require(${JSON.stringify(spec)})`], dir);
    expect((await load('kindo-microsoft-integrations')).status).toBe(0);
    expect((await load('kindo-microsoft-integrations/package.json')).status).toBe(0);
    const deep = await load('kindo-microsoft-integrations/lib/core/errors');
    expect(deep.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  test('documents complete programs, marking fragments with a reason', () => {
    expect(documented.examples.map((e) => e.source)).toEqual(
      expect.arrayContaining(['README.md#1', 'README.md#2', 'README.md#4']),
    );
    for (const fragment of documented.fragments) expect(fragment).toMatch(/: \S.{10,}/);
  });

  describe.each(ENGINES.map((e) => [e.name]))('on %s', (engine) => {
    let dir: string;
    beforeAll(() => {
      dir = projects.get(engine)!;
    });

    test('resolves cdktf to that engine, once', () => {
      const cdktf = JSON.parse(readFileSync(join(dir, 'node_modules', 'cdktf', 'package.json'), 'utf8'));
      expect(`${cdktf.name} ${cdktf.version}`).toMatch(engine === 'cdktf 0.21' ? /^cdktf 0\.21\./ : /^cdktn 0\.24\./);
      const nested = join(dir, 'node_modules', '@cdktf', 'provider-azuread', 'node_modules', 'cdktf');
      expect(existsSync(nested)).toBe(false);
    });

    test('compiles every documented example with the template options, and synthesizes each', async () => {
      const programs = Object.fromEntries(documented.examples.map((e: Example) => [e.file, e.code]));
      const tsc = await compile(dir, { ...programs, 'uncaught.ts': UNCAUGHT });
      expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
      for (const example of documented.examples) {
        const out = join(scratch, `out-${engine.replace(/\W+/g, '-')}-${example.file}`);
        const ran = await runApp(dir, example.file, out);
        expect(ran.status, `${example.source}: ${ran.stderr}`).toBe(0);
        const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
        expect(Object.keys(manifest.stacks).length, example.source).toBeGreaterThan(0);
      }
    }, 300_000);

    test('runs the command line: --help and --version', async () => {
      const bin = join(dir, 'node_modules', '.bin', 'kindo-microsoft-integrations');
      const help = await run(bin, ['--help'], dir);
      expect(help.status, help.stderr).toBe(0);
      expect(help.stdout).toMatch(/^Usage: kindo-microsoft-integrations <command>/);
      const v = await run(bin, ['--version'], dir);
      expect([v.status, v.stdout, v.stderr]).toEqual([0, `${version}\n`, '']);
    });
  });

  describe('bad input in a compiled consumer (cdktf 0.21)', () => {
    let dir: string;
    let defaultApp: Example;
    beforeAll(() => {
      dir = projects.get(ENGINES[0].name)!;
      defaultApp = documented.examples.find((e) => e.code.includes('integrationsFromEnvironment'))!;
    });

    /** The default stack, compiled as the README writes it, run with `env`: one line on stderr, exit 1. */
    const expectOneLine = async (env: NodeJS.ProcessEnv, code: string) => {
      const ran = await runApp(dir, defaultApp.file, join(scratch, 'out-bad'), env);
      expect(ran.status).toBe(1);
      const lines = stderrLines(ran.stderr);
      expect(lines.length, ran.stderr).toBeLessThanOrEqual(5);
      expect(lines[0]).toMatch(new RegExp(`^Error \\[${code}\\]: `));
      expect(occurrences(ran.stderr, lines[0].slice(`Error [${code}]: `.length))).toBe(1);
    };

    test('the default stack prints one line and exits 1 when KINDO_INTEGRATIONS names an unknown integration', async () => {
      await expectOneLine({ KINDO_INTEGRATIONS: 'teams,hubspot' }, 'UNKNOWN_INTEGRATION');
    });

    test('the default stack prints one line and exits 1 when KINDO_EXISTING_APPS names a bad file', async () => {
      const file = join(scratch, 'bad-adoption.json');
      writeFileSync(file, '{"existingApps": 3}');
      await expectOneLine({ KINDO_EXISTING_APPS: file }, 'ADOPTION_FILE_INVALID');
    });

    test('an app that does not catch the error prints it once, with no stack trace, and exits 1', async () => {
      const ran = await runApp(dir, 'uncaught.ts', join(scratch, 'out-uncaught'), {
        KINDO_INTEGRATIONS: 'teams,hubspot',
      });
      expect(ran.status).toBe(1);
      const message = "KindoConfigError [UNKNOWN_INTEGRATION]: unknown integration 'hubspot'";
      expect(occurrences(ran.stderr, message), ran.stderr).toBe(1);
      expect(ran.stderr).not.toMatch(/^\s+at /m);
      // Node's own lines: where it was thrown, that source line, a caret, the error, its version.
      expect(stderrLines(ran.stderr).length, ran.stderr).toBeLessThanOrEqual(5);
    });
  });
});
