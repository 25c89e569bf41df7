import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalog } from '../src/catalog/catalog';

const root = join(__dirname, '..');

describe('README', () => {
  test('its TypeScript example synthesizes as written', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const example = /```ts\n([\s\S]+?)```/.exec(readme)![1];
    const dir = mkdtempSync(join(root, 'test', '.readme-'));
    try {
      // The package name resolves to this checkout's sources.
      writeFileSync(
        join(dir, 'example.ts'),
        example.replace("from 'kindo-microsoft-integrations'", `from '${join(root, 'src')}'`),
      );
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'example.ts'], {
        cwd: dir,
        env: { ...process.env, CDKTF_OUTDIR: join(dir, 'out') },
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      const tf = JSON.parse(readFileSync(join(dir, 'out', 'stacks', 'kindo', 'cdk.tf.json'), 'utf8'));
      expect(Object.keys(tf.resource.azuread_application)).toHaveLength(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // It starts Node, tsx and a synth: seconds on a busy machine.
  }, 60_000);

  test("says who connects each integration as the catalog's admin-consent column has it", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const row = (marker: string) =>
      [
        .../<!-- (?:admin|user)-consent -->([^|]+)\|/
          .exec(readme.split('\n').find((l) => l.includes(`<!-- ${marker} -->`))!)![1]
          .matchAll(/`([a-z-]+)`/g),
      ].map((m) => m[1]);
    const delegated = Object.values(catalog()).filter((d) => d.authFlow === 'delegated');
    const needsAdmin = (d: (typeof delegated)[number]) =>
      d.apis.some((a) => a.permissions.some((p) => p.adminConsentRequired));
    expect(row('admin-consent')).toEqual(
      delegated
        .filter(needsAdmin)
        .map((d) => d.id)
        .sort(),
    );
    expect(row('user-consent')).toEqual(
      delegated
        .filter((d) => !needsAdmin(d))
        .map((d) => d.id)
        .sort(),
    );
  });

  test("its Kindo SaaS example synthesizes as written: Kindo's service principals, no app registration", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const example = [...readme.matchAll(/```ts\n([\s\S]+?)```/g)]
      .map((m) => m[1])
      .find((e) => e.includes('KindoSaasConsent'))!;
    const dir = mkdtempSync(join(root, 'test', '.readme-'));
    try {
      writeFileSync(
        join(dir, 'example.ts'),
        example.replace("from 'kindo-microsoft-integrations'", `from '${join(root, 'src')}'`),
      );
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'example.ts'], {
        cwd: dir,
        env: { ...process.env, CDKTF_OUTDIR: join(dir, 'out') },
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      const tf = JSON.parse(readFileSync(join(dir, 'out', 'stacks', 'kindo-saas', 'cdk.tf.json'), 'utf8'));
      expect(Object.values<any>(tf.resource.azuread_service_principal).map((sp) => sp.use_existing)).toEqual([
        true,
        true,
      ]);
      expect(tf.resource.azuread_application).toBeUndefined();
      expect(Object.keys(tf.output.service_principal_object_ids.value)).toEqual(['outlook', 'teams']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  test('names only commands that exist', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const scripts = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts);
    for (const [, script] of readme.matchAll(/npm run ([a-z:-]+)/g)) expect(scripts).toContain(script);
    expect(readdirSync(root)).toEqual(expect.arrayContaining(['main.ts', 'cdktf.json', '.ci']));
  });
});
