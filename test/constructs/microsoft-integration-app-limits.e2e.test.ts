import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { MicrosoftIntegrationApp } from '../../src/constructs/microsoft-integration-app';
import { applyOutputs, hasTerraform, inDays } from '../support/terraform';

describe('MicrosoftIntegrationApp limits', () => {
  // Evaluated by real Terraform: the warning days come from a variable, the end date from a local.
  test.skipIf(!hasTerraform)(
    'warns a number of days ahead given by a Terraform variable (terraform on the PATH)',
    async () => {
      const stack = new TerraformStack(Testing.app(), 'test');
      const secretKey = new TerraformVariable(stack, 'nango_secret_key', { type: 'string', sensitive: true })
        .stringValue;
      const days = new TerraformVariable(stack, 'warning_days', { type: 'number' }).numberValue;
      new MicrosoftIntegrationApp(stack, 'App', {
        integration: 'teams',
        nango: { secretKey },
        secretExpiryWarningDays: days,
      });
      const tf = JSON.parse(Testing.synth(stack));
      const assertion = Object.values<any>(tf.check)
        .flatMap((c) => c.assert)
        .find((a: any) => a.condition.includes('timecmp'));
      expect(assertion.condition).toContain('format("%dh", var.warning_days * 24)');
      const condition: string = assertion.condition.replace(
        /azuread_application_password\.[A-Za-z0-9_]+\.end_date/,
        'local.end_date',
      );
      const outputs = Object.fromEntries(
        [5, 9, 11].map((n) => [`in_${n}_days`, { value: condition.replace('local.end_date', `"${inDays(n)}"`) }]),
      );
      const values = await applyOutputs({
        variable: { warning_days: { type: 'number', default: 10 } },
        output: outputs,
      });
      expect([5, 9, 11].map((n) => values[`in_${n}_days`].value)).toEqual([false, false, true]);
    },
    30_000,
  );
});
