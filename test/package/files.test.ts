import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, normalize } from 'node:path';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const REPOSITORY = 'https://github.com/kindo/kindo-microsoft-integrations';

/** The files `npm pack` would pack, without building first (lib/ is whatever the last build left). */
function packedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, npm_config_loglevel: 'silent' },
  });
  return (JSON.parse(out)[0].files as { path: string }[]).map((f) => f.path);
}

/** Markdown link targets of a text, outside code blocks and inline code. */
function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('the packed package', () => {
  const files = packedFiles();
  const markdown = files.filter((f) => f.endsWith('.md'));

  test('holds the licence, the changelog and the user docs, and nothing for contributors only', () => {
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'CHANGELOG.md', 'PERMISSIONS.md']));
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
    expect(pkg.license).toBe('MIT');
    expect(markdown.filter((f) => f.startsWith('docs/'))).toEqual(
      readdirSync(join(root, 'docs'))
        .filter((f) => f !== 'testing.md')
        .map((f) => `docs/${f}`)
        .sort(),
    );
    expect(files.filter((f) => /^(src|test|scripts|api|module|examples)\//.test(f))).toEqual([]);
  });

  test('links from its Markdown only to files it holds, or into the repository at its own version', () => {
    const bad: string[] = [];
    for (const file of markdown) {
      for (const target of linkTargets(readFileSync(join(root, file), 'utf8'))) {
        if (target.startsWith(`${REPOSITORY}/`)) {
          const m = /^\/(?:blob|tree)\/([^/]+)\/([^#]+)/.exec(target.slice(REPOSITORY.length));
          if (!m || m[1] !== `v${pkg.version}` || !existsSync(join(root, m[2]))) bad.push(`${file}: ${target}`);
        } else if (!/^(https?:|mailto:|#)/.test(target)) {
          const path = normalize(join(dirname(file), target.split('#')[0]));
          if (!files.some((f) => f === path || f.startsWith(`${path}/`))) bad.push(`${file}: ${target}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  test('names its repository, home page and issue tracker, at the address the catalog schema uses', () => {
    expect(pkg.repository).toEqual({ type: 'git', url: `git+${REPOSITORY}.git` });
    expect(pkg.homepage).toBe(`${REPOSITORY}#readme`);
    expect(pkg.bugs).toEqual({ url: `${REPOSITORY}/issues` });
    expect(JSON.parse(readFileSync(join(root, 'permissions', 'schema.json'), 'utf8')).$id).toMatch(
      new RegExp(`^${REPOSITORY}/`),
    );
  });
});

describe('dependencies', () => {
  test('cdktf, constructs and the azuread bindings are peers, admitting cdktf 0.21 and cdktn 0.24', () => {
    expect(pkg.peerDependencies).toEqual({
      '@cdktf/provider-azuread': '^14.0.0',
      cdktf: '>=0.21.0 <0.25.0',
      constructs: '^10.4.2',
    });
    for (const name of Object.keys(pkg.peerDependencies)) expect(pkg.dependencies[name]).toBeUndefined();
  });

  test('src/ loads at run time only Node built-ins, dependencies and peer dependencies', () => {
    const allowed = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)];
    const loaded = sourceFiles(join(root, 'src')).flatMap((file) => {
      const code = readFileSync(file, 'utf8');
      const imports = [...code.matchAll(/^import (?!type )[^;]*? from '([^.'][^']*)'/gm)].map((m) => m[1]);
      const requires = [...code.matchAll(/require\('([^.'][^']*)'\)/g)].map((m) => m[1]);
      return [...imports, ...requires].map((spec) => ({ file, spec }));
    });
    const packageOf = (spec: string) =>
      spec
        .split('/')
        .slice(0, spec.startsWith('@') ? 2 : 1)
        .join('/');
    const outside = loaded.filter(
      ({ spec }) => !spec.startsWith('node:') && !builtinModules.includes(spec) && !allowed.includes(packageOf(spec)),
    );
    expect(loaded.length).toBeGreaterThan(10);
    expect(outside).toEqual([]);
  });

  test('npm ci on the oldest Node the package declares installs nothing that asks for a newer one', () => {
    // npm warns EBADENGINE for each package whose engines range the running Node does not satisfy.
    const semver: { minVersion(range: string): { version: string }; satisfies(v: string, range: string): boolean } =
      require('semver');
    const oldest = semver.minVersion(pkg.engines.node).version;
    expect(oldest).toBe('20.19.0');
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
    const demanding = Object.entries<{ engines?: { node?: string } }>(lock.packages)
      .filter(([path, p]) => path !== '' && p.engines?.node !== undefined && !semver.satisfies(oldest, p.engines.node))
      .map(([path, p]) => `${path} ${p.engines!.node}`);
    expect(demanding).toEqual([]);
    // Stryker 10 needs Node 22: scripts/mutation.sh installs it where it runs.
    expect(Object.keys(pkg.devDependencies).filter((d) => d.startsWith('@stryker-mutator/'))).toEqual([]);
  });
});
