import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_NANGO_FIELD_LENGTH, checkNangoFields, nangoFieldsValidation } from '../../src/nango/nango-fields';

/** `text` as fields of at most 8,000 characters each, none split inside a character. */
function asFields(text: string): Record<string, string> {
  const chars = [...text];
  const fields: Record<string, string> = {};
  for (let i = 0; i * 4000 < chars.length; i++) fields[`f${i}`] = chars.slice(i * 4000, (i + 1) * 4000).join('');
  return fields;
}

/** The longest run of x after `prefix` whose fields checkNangoFields accepts. */
function longestAccepted(prefix: string): number {
  let [low, high] = [0, 100_000];
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    try {
      checkNangoFields('nangoFields', asFields(prefix + 'x'.repeat(mid)));
      low = mid;
    } catch {
      high = mid - 1;
    }
  }
  return low;
}
import { hclString } from '../../src/nango/terraform-json';
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
  /** The findings of the variable's validation rules for `entries` (integration id to fields), as terraform evaluates them. */
  const terraformFindings = (entries: Record<string, Record<string, string>>): string[] => {
    const map = `{ ${Object.entries(entries)
      .map(
        ([id, fields]) =>
          `${id} = { ${Object.entries(fields)
            .map(([k, v]) => `${hclString(k)} = ${hclString(v)}`)
            .join(', ')} }`,
      )
      .join(', ')} }`;
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
    return (JSON.parse(out.stdout) as string[]).sort();
  };
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kindo-nango-fields-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('refuses exactly the fields checkNangoFields refuses, with its messages', () => {
    // One entry per case, keyed like integration ids, in a literal map for var.nango_fields.
    const entry = (i: number) => `case${String(i).padStart(2, '0')}`;
    const found = terraformFindings(Object.fromEntries(cases.map(([name, value], i) => [entry(i), { [name]: value }])));
    const expected = cases.flatMap(([name, value], i) => construct(entry(i), name, value) ?? []).sort();
    expect(found).toEqual(expected);
    // Both refuse some and accept some of every kind: the comparison is not empty on either side.
    expect(expected.length).toBeGreaterThan(15);
    expect(expected.length).toBeLessThan(cases.length - 10);
    // A field named like a secret is refused by its name; its value is never shown.
    expect(found.join('\n')).not.toMatch(/planted-/);
  }, 60_000);

  test('refuses all fields of an integration together above the same size, in any characters, with the same message', () => {
    // Characters whose JSON takes 1 to 6 bytes in Terraform's jsonencode (HTML characters and
    // control characters escaped, \n and \b short): at the longest the constructs accept, and one more.
    const classes = [
      '',
      '<>&'.repeat(400),
      'é'.repeat(900),
      '😀'.repeat(900),
      '\n\b"\\'.repeat(300),
      '\u0001\u2028'.repeat(300),
      '中',
    ];
    const entries: Record<string, Record<string, string>> = {};
    const expected: string[] = [];
    classes.forEach((prefix, i) => {
      const longest = longestAccepted(prefix);
      for (const [suffix, x] of [
        ['fits', longest],
        ['over', longest + 1],
      ] as const) {
        const id = `size${i}${suffix}`;
        entries[id] = asFields(prefix + 'x'.repeat(x));
        try {
          checkNangoFields('nangoFields', entries[id]);
        } catch (e) {
          expected.push((e as Error).message.replace('nangoFields', `nango_fields["${id}"]`));
        }
      }
    });
    expect(expected).toHaveLength(classes.length);
    expect(terraformFindings(entries)).toEqual(expected.sort());
  }, 60_000);
});
