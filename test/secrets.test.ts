import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { App } from 'cdktf';
import { catalog } from '../src/catalog/catalog';
import { KindoMicrosoftIntegrationsStack } from '../src/constructs/kindo-microsoft-integrations-stack';
import { buildReviewReport, loadSynthesizedStacks, renderReviewMarkdown, reviewStacks } from '../src/review/review';

const root = join(__dirname, '..');

// GUIDs that are documentation examples, not credentials: the all-zero GUID, the owner and tenant
// examples of the props' JSDoc, and Graph's Mail.Read scope used to show an added permission; the
// made-up Kindo SaaS client IDs and group IDs of KindoSaasConsent's JSDoc, README and tests.
const EXAMPLE_GUIDS = new Set([
  '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b',
  '4a3b2c1d-6e5f-4a70-9b8c-1d0e2f3a4b5c',
  '5b4c3d2e-7f6a-4b80-8c9d-2e1f3a4b5c6d',
  '6c5d4e3f-8a7b-4c90-9dae-3f2a4b5c6d7e',
  '5b1c7e4a-9d2f-4e8b-a1c3-6f7d8e9a0b1c',
  '6c2d8f5b-0e3a-4f9c-b2d4-7a8e9f0b1c2d',
  '00000000-0000-0000-0000-000000000000',
  '00000000-0000-0000-0000-000000000001',
  // The placeholder Nango key of the plan and drift workflows: a UUID v4 by form, a key of no one.
  '00000000-0000-4000-8000-000000000000',
  '8f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b',
  '72f988bf-86f1-41af-91ab-2d7cd011db47',
  '570282fd-fa5c-430d-a7fd-fc8dc98a9dca',
  // Made-up object, client, service principal and secret key IDs of the adoption examples: JSDoc,
  // docs/adopting.md and the sample `az` output in test/fixtures/az-adopt-output.json.
  '0f8e2c6d-1b2a-4c3d-9e8f-7a6b5c4d3e2f',
  '6e5d4c3b-2a19-4f08-8e7d-6c5b4a392817',
  '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  '3d0b3d5f-8c55-4f1e-9d0c-2b7f0a1e4c11',
  '5b4a3928-1706-4f5e-8d4c-3b2a19081726',
  '2a1b0c9d-8e7f-4a6b-9c5d-4e3f2a1b0c9d',
  '7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2918',
  '4c3b2a19-0817-4f6e-9d5c-4b3a29180716',
  '1e2d3c4b-5a69-4788-9a6b-5c4d3e2f1a0b',
  '8d7c6b5a-4938-4271-a6b5-c4d3e2f1a0b9',
  'b2c1d0e9-8f7a-4b6c-9d5e-4f3a2b1c0d9e',
]);
const KNOWN_GUIDS = new Set(
  Object.values(catalog()).flatMap((i) => i.apis.flatMap((a) => [a.resourceAppId, ...a.permissions.map((p) => p.id)])),
);

/** Literal secrets of any kind: Nango secret keys are UUID v4s; Entra client secrets look like `abc8Q~…`. */
function literalSecrets(text: string): string[] {
  const guids = (text.match(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi) ?? []).filter(
    (g) => !KNOWN_GUIDS.has(g.toLowerCase()) && !EXAMPLE_GUIDS.has(g.toLowerCase()),
  );
  const entraSecrets = text.match(/\b[A-Za-z0-9_.-]{3}\dQ~[A-Za-z0-9_~.-]{30,}/g) ?? [];
  const privateKeys = text.match(/-----BEGIN [A-Z ]*PRIVATE KEY-----/g) ?? [];
  const bearer = text.match(/Bearer [A-Za-z0-9._~+/-]{16,}/g) ?? [];
  return [...guids, ...entraSecrets, ...privateKeys, ...bearer];
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('secrets', () => {
  test('the scan finds Nango keys, Entra client secrets, private keys and bearer tokens', () => {
    const key = '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f';
    const text = `secret_key = "${key}"\nvalue = "Xy98Q~abcdefghijklmnopqrstuvwxyz0123"\n-----BEGIN RSA PRIVATE KEY-----\nAuthorization: Bearer abcdefghijklmnop1234\nid = "e1fe6dd8-ba31-4d61-89e7-88639da4683d"`;
    expect(literalSecrets(text)).toEqual([
      key,
      'Xy98Q~abcdefghijklmnopqrstuvwxyz0123',
      '-----BEGIN RSA PRIVATE KEY-----',
      'Bearer abcdefghijklmnop1234',
    ]);
  });

  test('no file the repository ships holds a literal secret (module, snapshots, docs, examples, sources)', () => {
    const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
      .split('\0')
      .filter(Boolean);
    // The catalog holds only Microsoft's public IDs, the lock file integrity hashes, and this file the
    // made-up samples that prove the scan works.
    const scanned = tracked.filter(
      (f) => !/^(permissions\/|PERMISSIONS\.md$|package-lock\.json$|test\/secrets\.test\.ts$)/.test(f),
    );
    expect(scanned).toEqual(
      expect.arrayContaining([
        'module/main.tf',
        'test/constructs/__snapshots__/kindo-microsoft-integrations-stack.test.ts.snap',
      ]),
    );
    const found = scanned.flatMap((f) => literalSecrets(readFileSync(join(root, f), 'utf8')).map((s) => `${f}: ${s}`));
    expect(found).toEqual([]);
  });

  test('a synth and its review report hold no secret, whatever secrets the environment has', () => {
    const planted = {
      TF_VAR_nango_secret_key: crypto.randomUUID(),
      NANGO_SECRET_KEY: crypto.randomUUID(),
      ARM_CLIENT_SECRET: 'abc8Q~planted-entra-secret-value-0123456789',
    };
    const saved = { ...process.env };
    Object.assign(process.env, planted);
    const outdir = mkdtempSync(join(tmpdir(), 'kindo-secrets-'));
    try {
      const app = new App({ outdir });
      new KindoMicrosoftIntegrationsStack(app, 'kindo-microsoft-integrations');
      app.synth();
      const stacks = loadSynthesizedStacks(outdir);
      const report = buildReviewReport(outdir, stacks, reviewStacks(stacks));
      const written = [
        ...files(outdir).map((f) => [relative(outdir, f), readFileSync(f, 'utf8')]),
        ['review.md', renderReviewMarkdown(report)],
        ['review.json', JSON.stringify(report)],
      ];
      for (const [name, text] of written) {
        for (const secret of Object.values(planted)) expect(text.includes(secret), name).toBe(false);
        expect(literalSecrets(text), name).toEqual([]);
      }
    } finally {
      process.env = saved;
      rmSync(outdir, { recursive: true, force: true });
    }
    // A full synth and review of the default stack: seconds on a busy machine.
  }, 30_000);
});
