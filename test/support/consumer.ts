import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// A consumer's project made from the packed package, as a user makes one: `npm pack` of a copy of this
// checkout, then `npm install` of the tarball beside cdktf (or cdktn), constructs and the azuread
// bindings into an empty project, whose programs compile with cdktf's TypeScript template options.

export const ROOT = join(__dirname, '..', '..');

/**
 * npm's own variables, which a parent `npm test` sets (npm_config_*, npm_package_*), would steer a
 * child npm towards this checkout; the rest of the environment, the cache included, is kept.
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return { ...env, npm_config_update_notifier: 'false', ...extra };
}

/** How a process ended and what it printed. */
export interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command without blocking this process: the steps take up to minutes, and a test worker that
 * does not answer Vitest for that long is taken for dead.
 */
export function run(command: string, args: readonly string[], cwd: string, env = cleanEnv()): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** {@link run}, failing with what the command printed unless it succeeds; its stdout. */
async function succeed(command: string, args: readonly string[], cwd: string): Promise<string> {
  const ran = await run(command, args, cwd);
  if (ran.status !== 0) throw new Error(`${command} ${args.join(' ')} in ${cwd}: ${ran.stderr}${ran.stdout}`);
  return ran.stdout;
}

/**
 * Builds and packs a copy of this checkout (tracked and new files, as a clone with the changes would
 * have them, with this checkout's node_modules): the build then writes neither lib/ nor build/ here,
 * where other tests run. Returns the tarball and the copy.
 */
export async function packCopy(scratch: string): Promise<{ tarball: string; copy: string }> {
  const copy = join(scratch, 'repo');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT })
    .toString()
    .split('\0')
    .filter((f) => f !== '' && existsSync(join(ROOT, f)));
  for (const f of files) cpSync(join(ROOT, f), join(copy, f));
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  await succeed('npm', ['run', 'build', '--silent'], copy);
  const packed = JSON.parse(
    await succeed('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], copy),
  );
  return { tarball: join(scratch, packed[0].filename), copy };
}

/** What a consumer's package.json asks for besides the package: an engine and its companions. */
export interface Engine {
  readonly name: string;
  readonly dependencies: Readonly<Record<string, string>>;
  readonly overrides?: Readonly<Record<string, string>>;
}

/** Makes `dir` a project with the packed package and the engine's packages, installed by npm. */
export async function installConsumer(dir: string, tarball: string, engine: Engine): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const pkg = {
    name: 'consumer',
    version: '1.0.0',
    private: true,
    dependencies: {
      'kindo-microsoft-integrations': `file:${tarball}`,
      // cdktf's TypeScript template installs @types/node too; this checkout's version, already cached.
      '@types/node': JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).devDependencies['@types/node'],
      ...engine.dependencies,
    },
    ...(engine.overrides ? { overrides: engine.overrides } : {}),
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  await succeed('npm', ['install', '--no-audit', '--no-fund'], dir);
}

/** A TypeScript example of the package's documentation. */
export interface Example {
  /** Where it is, e.g. `README.md#2` (its second TypeScript block). */
  readonly source: string;
  /** The file name it compiles from, e.g. `README-2.ts`. */
  readonly file: string;
  readonly code: string;
}

/**
 * Every ```ts block of the README and docs/ of the installed package, except those marked as a
 * fragment (`<!-- fragment: <reason> -->` on the line above: a property, or what a command prints).
 */
export function documentedExamples(packageDir: string): { examples: Example[]; fragments: string[] } {
  const docs = readdirSync(join(packageDir, 'docs')).map((f) => `docs/${f}`);
  const examples: Example[] = [];
  const fragments: string[] = [];
  for (const doc of ['README.md', ...docs.filter((f) => f.endsWith('.md'))]) {
    const text = readFileSync(join(packageDir, doc), 'utf8');
    let n = 0;
    for (const m of text.matchAll(/(?:<!-- fragment: (.*?) -->\n)?```ts\n([\s\S]*?)```/g)) {
      n += 1;
      if (m[1] !== undefined) fragments.push(`${doc}#${n}: ${m[1]}`);
      else
        examples.push({
          source: `${doc}#${n}`,
          file: `${doc.replace(/\.md$/, '').replace('/', '-')}-${n}.ts`,
          code: m[2],
        });
    }
  }
  return { examples, fragments };
}

/**
 * cdktf's TypeScript template (cdktf-cli 0.21, templates/typescript/tsconfig.json) without
 * `skipLibCheck`, so that the package's declarations are checked as a consumer's compiler sees them,
 * and with an output folder; `incremental` is left out, a build cache the test does not need.
 */
export const TEMPLATE_COMPILER_OPTIONS = {
  alwaysStrict: true,
  declaration: true,
  experimentalDecorators: true,
  inlineSourceMap: true,
  inlineSources: true,
  lib: ['es2018'],
  module: 'CommonJS',
  noEmitOnError: true,
  noFallthroughCasesInSwitch: true,
  noImplicitAny: true,
  noImplicitReturns: true,
  noImplicitThis: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  resolveJsonModule: true,
  strict: true,
  strictNullChecks: true,
  strictPropertyInitialization: true,
  stripInternal: true,
  target: 'ES2018',
  skipLibCheck: false,
  outDir: 'dist',
  rootDir: 'src',
};

/** Writes the programs into the project's src/ and compiles them with this checkout's TypeScript. */
export function compile(dir: string, programs: Readonly<Record<string, string>>): Promise<Ran> {
  mkdirSync(join(dir, 'src'), { recursive: true });
  for (const [file, code] of Object.entries(programs)) writeFileSync(join(dir, 'src', file), code);
  const tsconfig = { compilerOptions: TEMPLATE_COMPILER_OPTIONS, include: ['src/**/*.ts'] };
  writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  return run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], dir);
}

/** Runs a compiled program of the project, as an app is run without a CLI: node, with CDKTF_OUTDIR. */
export function runApp(dir: string, file: string, outdir: string, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  const js = join(dir, 'dist', file.replace(/\.ts$/, '.js'));
  // The default stack reads KINDO_* variables: only those given here.
  const base = Object.fromEntries(Object.entries(cleanEnv()).filter(([k]) => !k.startsWith('KINDO_')));
  return run(process.execPath, [js], dir, { ...base, CDKTF_OUTDIR: outdir, ...env });
}
