import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { MicrosoftIntegrationApp } from '../../src/constructs/microsoft-integration-app';
import { only, synthApp } from '../support/integration-app';
import { applyOutputs, hasTerraform, inDays, terraform } from '../support/terraform';

describe('MicrosoftIntegrationApp', () => {
  describe('secret expiry warning', () => {
    // Evaluated by real Terraform, with the password's end date replaced by a local.
    test.skipIf(!hasTerraform)(
      'warns only when the end date is that close (terraform on the PATH)',
      async () => {
        const { tf } = synthApp({ integration: 'fabric', nango: undefined });
        const [check] = Object.values<any>(tf.check);
        const condition: string = check.assert[0].condition.replace(
          /azuread_application_password\.[A-Za-z0-9_]+\.end_date/,
          'local.end_date',
        );
        const outputs = Object.fromEntries(
          [10, 29, 31, 180].map((n) => [
            `in_${n}_days`,
            { value: condition.replace('local.end_date', `"${inDays(n)}"`) },
          ]),
        );
        const values = await applyOutputs({ output: outputs });
        expect([10, 29, 31, 180].map((n) => values[`in_${n}_days`].value)).toEqual([false, false, true, true]);
      },
      30_000,
    );
  });

  // The password's end date and the check as synthesized, with a terraform_data standing in for the
  // password: its `input` is known at plan exactly when the password's configured end_date is.
  test.skipIf(!hasTerraform)(
    'a first plan is quiet: a new secret’s expiry is known at plan, and so is the check (terraform on the PATH)',
    async () => {
      const { tf } = synthApp({ integration: 'fabric', nango: undefined });
      const password = only(tf, 'azuread_application_password');
      const [check] = Object.values<any>(tf.check);
      const dir = mkdtempSync(join(tmpdir(), 'kindo-quiet-'));
      try {
        const swap = (c: string) =>
          c.replace(/azuread_application_password\.[A-Za-z0-9_]+\.end_date/g, 'terraform_data.password.input');
        writeFileSync(
          join(dir, 'main.tf.json'),
          JSON.stringify({
            resource: {
              terraform_data: { password: { input: password.end_date, lifecycle: { ignore_changes: ['input'] } } },
            },
            check: {
              expiry: {
                assert: check.assert.map((a: any) => ({
                  condition: swap(a.condition),
                  error_message: swap(a.error_message),
                })),
              },
            },
          }),
        );
        const first = await terraform(dir, ['plan', '-input=false']);
        expect(first.status, first.output).toBe(0);
        expect(first.output).toContain('1 to add');
        expect(first.output).not.toMatch(/Check block assertion/);
        expect((await terraform(dir, ['apply', '-auto-approve', '-input=false'])).status).toBe(0);
        const next = await terraform(dir, ['plan', '-input=false']);
        expect(next.output).toContain('No changes.');
        expect(next.output).not.toMatch(/Check block assertion/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    30_000,
  );

  // The module passes the days as a variable: 0 must turn the warning off there too, at plan.
  test.skipIf(!hasTerraform)(
    'with the days from a variable, warns within them and not at all for 0 (terraform on the PATH)',
    async () => {
      const stack = new TerraformStack(Testing.app(), 'test');
      const warningDays = new TerraformVariable(stack, 'days', { type: 'number' }).numberValue;
      new MicrosoftIntegrationApp(stack, 'App', { integration: 'fabric', secretExpiryWarningDays: warningDays });
      const [check] = Object.values<any>(JSON.parse(Testing.synth(stack)).check);
      const condition: string = check.assert[0].condition.replace(
        /azuread_application_password\.[A-Za-z0-9_]+\.end_date/,
        'local.end_date',
      );
      const cases = [
        [10, 30],
        [31, 30],
        [-1, 0],
        [10, 7],
      ] as const;
      const outputs = Object.fromEntries(
        cases.map(([expires, days], i) => [
          `case_${i}`,
          { value: condition.replace('local.end_date', `"${inDays(expires)}"`).replaceAll('var.days', String(days)) },
        ]),
      );
      const values = await applyOutputs({ output: outputs });
      expect(cases.map((_, i) => values[`case_${i}`].value)).toEqual([false, true, true, true]);
    },
    30_000,
  );
});
