import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { main } from '../../src/cli/main';
import { KindoMicrosoftIntegrations } from '../../src/constructs/kindo-microsoft-integrations';
import { REVIEW_EXIT, loadSynthesizedStacks, reviewStacks, summarizePlan } from '../../src/review/review';
import { firstInvisible } from '../../src/core/visible';
import { expectKindoError } from '../support/errors';
import { captureOutput } from '../support/output';

type Tf = Record<string, any>;

const GROUP = '5b1c7e4a-9d2f-4e8b-a1c3-6f7d8e9a0b1c';
const CALLBACK = 'https://api.nango.dev/oauth/callback';

/** Teams registered with Nango at `serverUrl`, with its callback kept at api.nango.dev, as `cdktf synth` writes it. */
function teams(serverUrl: string, props: { groups?: 'token' } = {}): Tf {
  const stack = new TerraformStack(Testing.app(), 'test');
  const secretKey = new TerraformVariable(stack, 'nango_secret_key', { type: 'string', sensitive: true }).stringValue;
  const group = new TerraformVariable(stack, 'group', { type: 'string' }).stringValue;
  new KindoMicrosoftIntegrations(stack, 'Kindo', {
    integrations: ['teams'],
    nango: { secretKey, serverUrl, callbackUrl: CALLBACK },
    ...(props.groups === 'token' ? { requireAssignment: true, allowedGroups: [group, GROUP] } : {}),
  });
  return stack.toTerraform();
}

describe('review command', () => {
  const io = captureOutput();
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kindo-review-command-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** A directory holding stack `test` as a synth writes it; `content` as given when it is a string. */
  const stackDir = (name: string, content: Tf | string): string => {
    const dir = join(root, name, 'test');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'cdk.tf.json'), typeof content === 'string' ? content : JSON.stringify(content));
    return dir;
  };
  const review = (...args: string[]) => main(['review', ...args], root);

  describe('a moved Nango server URL', () => {
    const base = teams('https://api.nango.dev');
    const head = teams('https://nango.evil.example');

    test('exits 3 against a base, naming both hosts in the verdict and the changes', () => {
      const out = join(root, 'review.md');
      expect(review('--synth', stackDir('head', head), '--base', stackDir('base', base), '--out', out)).toBe(
        REVIEW_EXIT.GREW,
      );
      const report = readFileSync(out, 'utf8');
      const verdict = report.slice(report.indexOf('## Verdict'), report.indexOf('## Access surface'));
      expect(verdict).toContain('**The access surface grows**');
      expect(verdict).toContain(
        '**High risk: Nango server URL of `test/teams` moves**, host `api.nango.dev` → `nango.evil.example`',
      );
      expect(report).toContain('## Changes against');
      expect(JSON.parse(readFileSync(join(root, 'review.json'), 'utf8')).verdict.grows).toBe(true);
    });

    test('exits 3 with only a plan that replaces the registration for another server URL, naming both hosts', () => {
      const stacks = loadSynthesizedStacks(stackDir('head', head));
      const registration = Object.keys(head.resource.terraform_data).find((n) => n.includes('Registration'))!;
      const plan = {
        format_version: '1.2',
        resource_changes: [
          {
            address: `terraform_data.${registration}`,
            mode: 'managed',
            type: 'terraform_data',
            change: {
              actions: ['delete', 'create'],
              before: { triggers_replace: { integration: 'teams', server_url: 'https://api.nango.dev' } },
              after: { triggers_replace: { integration: 'teams', server_url: 'https://nango.evil.example' } },
              after_unknown: { id: true },
              replace_paths: [['triggers_replace', 'server_url']],
            },
          },
        ],
      };
      writeFileSync(join(root, 'plan.json'), JSON.stringify(plan));
      const out = join(root, 'review.md');
      expect(review('--synth', join(root, 'head', 'test'), '--plan', join(root, 'plan.json'), '--out', out)).toBe(
        REVIEW_EXIT.GREW,
      );
      const report = readFileSync(out, 'utf8');
      expect(report).toContain(
        '**High risk: planned replace of the Nango server URL of `test/teams`** (`terraform_data.',
      );
      expect(report).toContain('host `api.nango.dev` → `nango.evil.example`');
      expect(report).toContain('⚠ **High risk: Nango server URL of `test/teams` change**');
      expect(summarizePlan(plan, 'plan.json', reviewStacks(stacks)).redirections).toEqual([
        {
          address: `terraform_data.${registration}`,
          label: 'test/teams',
          what: 'Nango server URL',
          action: 'replace',
          before: ['https://api.nango.dev'],
          after: ['https://nango.evil.example'],
        },
      ]);
    });

    test('exits 0 when the server URL stays', () => {
      const dir = stackDir('head', base);
      expect(review('--synth', dir, '--base', stackDir('base', base), '--out', join(root, 'r.md'))).toBe(
        REVIEW_EXIT.NO_GROWTH,
      );
    });
  });

  test('reviews a token among the allowed groups as the expression it is, instead of failing', () => {
    const out = join(root, 'review.md');
    expect(review('--synth', stackDir('head', teams('https://api.nango.dev', { groups: 'token' })), '--out', out)).toBe(
      REVIEW_EXIT.NO_GROWTH,
    );
    expect(readFileSync(out, 'utf8')).toContain(`the groups in \`\${toset([lower(var.group), "${GROUP}"])}\``);
  });

  test('refuses an --out or --json that is a directory, with status 1, writing neither file', () => {
    const dir = stackDir('head', teams('https://api.nango.dev'));
    mkdirSync(join(root, 'existing'));
    expect(review('--synth', dir, '--out', join(root, 'existing'))).toBe(REVIEW_EXIT.ERROR);
    expect(io.err).toMatch(
      /^Error \[REVIEW_OUTPUT_INVALID\]: --out '.*existing' is a directory; expected the path of a file/,
    );
    expect(review('--synth', dir, '--out', join(root, 'r.md'), '--json', join(root, 'existing'))).toBe(
      REVIEW_EXIT.ERROR,
    );
    expect(existsSync(join(root, 'r.md'))).toBe(false);
    expect(io.all).not.toMatch(/^\s+at /m);
  });

  test.each([
    ['not JSON', '{"resource": ', 'REVIEW_INPUT_UNREADABLE'],
    ['a JSON list', '[]', 'REVIEW_INPUT_INVALID'],
    ['null', 'null', 'REVIEW_INPUT_INVALID'],
  ])('refuses a cdk.tf.json that is %s, with status 1 and no stack trace', (_, content, code) => {
    const dir = stackDir('bad', content);
    expect(review('--synth', dir, '--out', join(root, 'r.md'))).toBe(REVIEW_EXIT.ERROR);
    expectKindoError(() => loadSynthesizedStacks(dir), code, ['cdk.tf.json']);
    expect(io.all).not.toMatch(/^\s+at /m);
  });

  test('names the files it wrote on one visible line, whatever their names', () => {
    const dir = stackDir('head', teams('https://api.nango.dev'));
    const out = join(root, 'r\u001b[2J\u202e.md');
    expect(review('--synth', dir, '--out', out)).toBe(REVIEW_EXIT.NO_GROWTH);
    expect(existsSync(out)).toBe(true);
    expect(io.out).toContain('r\\u{1B}[2J\\u{202E}.md');
    expect(firstInvisible(io.out.trimEnd())).toBeUndefined();
  });

  test.each([
    ['a file where its directory should be', (r: string) => join(r, 'afile', 'x.json'), 'afile'],
    ['a name too long to write', (r: string) => join(r, `${'x'.repeat(300)}.json`), 'xxxxxxxx'],
  ])('writes no report file if --json is %s, naming the path, in one line', (_, json, named) => {
    const dir = stackDir('head', teams('https://api.nango.dev'));
    writeFileSync(join(root, 'afile'), '');
    const before = readdirSync(root).sort();
    expect(review('--synth', dir, '--out', join(root, 'half.md'), '--json', json(root))).toBe(REVIEW_EXIT.ERROR);
    expect(io.err).toContain('REVIEW_OUTPUT_INVALID');
    expect(io.err).toContain('--json');
    expect(io.err).toContain(named);
    expect(io.err.trimEnd().split('\n')).toHaveLength(1);
    expect(readdirSync(root).sort()).toEqual(before);
  });

  test.each([
    ['--plan', 'REVIEW_PLAN_INVALID'],
    ['cdk.tf.json', 'REVIEW_INPUT_UNREADABLE'],
  ])('refuses a %s that is not JSON naming the file and where, without echoing a byte of it', (what, code) => {
    const hostile = '\u001b[31mRED\u001b]0;pwned\u0007';
    const good = stackDir('head', teams('https://api.nango.dev'));
    const plan = join(root, 'b.json');
    writeFileSync(plan, hostile);
    const args = what === '--plan' ? ['--synth', good, '--plan', plan] : ['--synth', stackDir('bad', hostile)];
    expect(review(...args, '--out', join(root, 'r.md'))).toBe(REVIEW_EXIT.ERROR);
    expect(io.err).toContain(code);
    expect(io.err).toMatch(what === '--plan' ? 'b.json' : 'cdk.tf.json');
    expect(io.err).toContain('line 1, column 1');
    expect(io.err).not.toMatch(/RED|pwned/);
    expect(firstInvisible(io.err.replaceAll('\n', ''))).toBeUndefined();
  });

  test('refuses a manifest whose stacks are not as a synth writes them, or lie outside its directory', () => {
    const dir = join(root, 'out');
    mkdirSync(dir);
    for (const stacks of [5, { a: 5 }, { a: { name: 'a' } }, { a: { name: 'a', synthesizedStackPath: '../x.json' } }]) {
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ stacks }));
      expectKindoError(() => loadSynthesizedStacks(dir), 'REVIEW_INPUT_INVALID', ['manifest.json']);
    }
  });

  test('reads any mangled synth without failing other than with a KindoConfigError naming the stack', () => {
    const original = teams('https://api.nango.dev');
    // Every object and list of the synth, in turn, replaced by a number, a string, null, a list and an object.
    const paths: string[][] = [];
    const walk = (v: unknown, path: string[]) => {
      if (typeof v !== 'object' || v === null) return;
      if (path.length > 0) paths.push(path);
      for (const [k, child] of Object.entries(v)) walk(child, [...path, k]);
    };
    walk(original, []);
    let reviewed = 0;
    for (const path of paths)
      for (const replacement of [7, 'x', null, ['x'], { x: 1 }]) {
        const mangled = JSON.parse(JSON.stringify(original));
        const parent = path.slice(0, -1).reduce((o, k) => o[k], mangled);
        parent[path.at(-1)!] = replacement;
        try {
          reviewStacks([{ name: 'test', config: mangled }]);
          reviewed++;
        } catch (e) {
          expect((e as Error).name, `${path.join('.')} = ${JSON.stringify(replacement)}`).toBe('KindoConfigError');
        }
      }
    expect(reviewed).toBeGreaterThan(paths.length);
  });
});
