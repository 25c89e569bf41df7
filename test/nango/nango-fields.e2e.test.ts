import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_NANGO_FIELD_LENGTH, checkNangoFields, nangoFieldsValidation } from '../../src/nango/nango-fields';
import { hasTerraform } from '../support/terraform';

// The same rules as Terraform variable validation (the HCL module's and the default stack's
// nango_fields), evaluated by the real terraform on the same values: each field must be refused
// exactly when checkNangoFields refuses it, with its message.
describe.skipIf(!hasTerraform)('nangoFieldsValidation (terraform on the PATH)', () => {
  const cases: [string, string][] = [
    ['tenant_id', '72f988bf-86f1-41af-91ab-2d7cd011db47'],
    ['tenant_id', '72F988BF-86F1-41AF-91AB-2D7CD011DB47'],
    ['tenant_id', 'contoso.onmicrosoft.com'],
    ['tenant_id', '{72f988bf-86f1-41af-91ab-2d7cd011db47}'],
    ['tenant_id', ''],
    ['subscription_id', '00000000-0000-0000-0000-000000000000'],
    ['subscription_id', 'sub-1'],
    ['target_user_id', '8f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b'],
    ['target_user_id', 'alex@contoso.com'],
    ['target_user_id', "o'neil_guest.example.com#EXT#@contoso.onmicrosoft.com"],
    ['target_user_id', 'alex'],
    ['target_user_id', 'alex@contoso'],
    ['target_user_id', 'a b@contoso.com'],
    ['purview_endpoint', 'https://contoso.purview.azure.com'],
    ['purview_endpoint', 'https://contoso.purview.azure.com/'],
    ['purview_endpoint', 'https://Contoso.Purview.Azure.com/catalog/api'],
    ['purview_endpoint', 'HTTPS://contoso.purview.azure.com'],
    ['purview_endpoint', 'https://contoso-gov.scan.purview.azure.com'],
    ['purview_endpoint', 'https://api.purview-service.microsoft.com'],
    ['purview_endpoint', 'https://contoso.purview.azure.com:443'],
    ['purview_endpoint', 'https://contoso.purview.azure.com:8443'],
    ['purview_endpoint', 'http://contoso.purview.azure.com'],
    ['purview_endpoint', 'https://contoso.example.com'],
    ['purview_endpoint', 'https://purview.azure.com'],
    ['purview_endpoint', 'https://contoso.purview.azure.com.evil.example'],
    ['purview_endpoint', 'https://contoso.purview.azure.com/?x=1'],
    ['purview_endpoint', 'https://contoso.purview.azure.com#part'],
    ['purview_endpoint', 'https://user@contoso.purview.azure.com'],
    ['purview_endpoint', 'contoso'],
    ['purview_endpoint', ''],
    ['region_hint', 'any text, passed through as it is'],
    ['notes', 'x'.repeat(MAX_NANGO_FIELD_LENGTH)],
    ['notes', 'x'.repeat(MAX_NANGO_FIELD_LENGTH + 1)],
    ['client_secret', 'planted-client-secret-value'],
    ['api_key', 'planted-api-key-value'],
    ['purview_password', 'planted-password-value'],
    ['private_key', 'planted-private-key-value'],
    ['PurviewEndpoint', 'x'],
    ['purview-endpoint', 'x'],
    ['x'.repeat(65), 'x'],
    ['app_id', 'x'],
    ['oauth_client_name', 'x'],
  ];
  /** The constructs' verdict on one field: its message, the variable's entry in place of the prop. */
  const construct = (entry: string, name: string, value: string): string | undefined => {
    try {
      checkNangoFields('nangoFields', { [name]: value });
      return undefined;
    } catch (e) {
      return (e as Error).message.replace('nangoFields', `nango_fields["${entry}"]`);
    }
  };
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kindo-nango-fields-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('refuses exactly the fields checkNangoFields refuses, with its messages', () => {
    // One entry per case, keyed like integration ids, in a literal map for var.nango_fields.
    const entry = (i: number) => `case${String(i).padStart(2, '0')}`;
    const map = `{ ${cases.map(([name, value], i) => `${entry(i)} = { ${JSON.stringify(name)} = ${JSON.stringify(value)} }`).join(', ')} }`;
    const findings = nangoFieldsValidation('nango_fields').map((r) =>
      /^\$\{length\(([\s\S]*)\) == 0\}$/.exec(r.condition as string)![1].replaceAll('var.nango_fields', map),
    );
    writeFileSync(join(dir, 'main.tf'), `output "findings" {\n  value = concat(${findings.join(', ')})\n}\n`);
    const run = spawnSync('terraform', ['apply', '-auto-approve', '-input=false', '-no-color'], {
      cwd: dir,
      env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    const out = spawnSync('terraform', ['output', '-json', 'findings'], {
      cwd: dir,
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
      encoding: 'utf8',
    });
    const found = (JSON.parse(out.stdout) as string[]).sort();
    const expected = cases.flatMap(([name, value], i) => construct(entry(i), name, value) ?? []).sort();
    expect(found).toEqual(expected);
    // Both refuse some and accept some of every kind: the comparison is not empty on either side.
    expect(expected.length).toBeGreaterThan(15);
    expect(expected.length).toBeLessThan(cases.length - 10);
    // A field named like a secret is refused by its name; its value is never shown.
    expect(found.join('\n')).not.toMatch(/planted-/);
  }, 60_000);
});
