import { readFileSync } from 'node:fs';
import { nangoStackRuns } from '../support/nango-stack';
import { hasTerraform } from '../support/terraform';

/**
 * One value per character class a literal may hold, each a field of its own: Terraform's template
 * sequences and escapes, JSON's and the shell's special characters, line breaks, Unicode, a function
 * call. Each must reach Nango as written, never evaluated.
 */
const LITERALS: Readonly<Record<string, string>> = {
  interpolation: 'a${path.cwd}b',
  directive: '%{ if true }x%{ endif }',
  template_escape: '$${x} %%{y}',
  quote: 'x" == "x" ? var.nango_secret_key : "x',
  backslash: 'back\\slash \\" \\n \\u0041',
  newline: 'line 1\nline 2',
  carriage_return: 'a\r\nb\rc',
  line_separator: 'a\u2028b\u2029c',
  unicode: 'é ß 中文 😀 <&> \u00a0',
  control: 'bell\u0007 escape\u001b[31m tab\t',
  file_call: '${file("/etc/hostname")}',
  braces: '}{ ${ $ %',
  dollar_at_end: 'ends in $',
};
const DISPLAY_NAME = 'A"B\\C ${path.cwd} %{ if true }x%{ endif } é😀\u2028\n$';
const PREFIX = 'P${var.x}"\\ ';

// End to end with terraform against the stand-in: every literal the construct writes is stored by
// Nango byte for byte, and nothing literal reaches Terraform's evaluation (the Nango key is never sent).
describe.skipIf(!hasTerraform)('NangoRegistration literals, with terraform', () => {
  const e2e = nangoStackRuns(['offline_access', 'User.Read']);
  const { nango, applied, planned, run, start } = e2e;

  test('display name, unique key and field values of every character class are stored as written, and re-plan clean', async () => {
    await start(false, { uniqueKey: 'kindo teams~v2:a.b@c_d', displayName: DISPLAY_NAME, fields: LITERALS });
    await applied();
    const stored = nango.integrations.get('kindo teams~v2:a.b@c_d')!;
    expect(stored.display_name).toBe(DISPLAY_NAME);
    expect(stored.custom).toEqual({
      ...LITERALS,
      // The guide's fields that are not configured are sent blank on update.
      tenant_id: '',
      purview_endpoint: '',
      subscription_id: '',
      target_user_id: '',
    });
    for (const r of nango.requests) expect(JSON.stringify(r.body ?? '')).not.toContain(nango.secretKey);
    expect((await planned()).status).toBe(0);
    // State holds the literals as written too: verify and reviews read them there.
    const show = JSON.parse((await run('show', '-json')).output.replace(/^[^{]*/s, ''));
    const sync = show.values.root_module.resources.find((r: { address: string }) => r.address.includes('_Sync_'));
    expect(sync.values.triggers_replace).toMatchObject({
      display_name: DISPLAY_NAME,
      unique_key: 'kindo teams~v2:a.b@c_d',
      ...Object.fromEntries(Object.entries(LITERALS).map(([k, v]) => [`field.${k}`, v])),
    });
  }, 90_000);

  test('a display name of a token and literal text keeps both: the token evaluated, the text as written', async () => {
    await start(false, { displayName: DISPLAY_NAME, displayPrefix: true });
    e2e.vars = { ...e2e.vars, display_prefix: PREFIX };
    await applied();
    expect(nango.integrations.get('kindo-teams')!.display_name).toBe(PREFIX + DISPLAY_NAME);
    expect((await planned()).status).toBe(0);
    expect(readFileSync(`${e2e.dir}/cdk.tf.json`, 'utf8')).toContain(
      '\\"display_name\\" = join(\\"\\", [var.display_prefix, ',
    );
  }, 90_000);
});
