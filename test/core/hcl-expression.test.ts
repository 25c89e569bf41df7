import { App, Fn, TerraformOutput, TerraformStack, TerraformVariable, Testing, Token } from 'cdktf';
import { TerraformData } from '../../src/core/terraform-data';
import { attribute, call, composable, expression, variableValue } from '../../src/core/hcl-expression';

/** The synthesized value of an output holding `value`. */
function written(value: unknown, setup?: (stack: TerraformStack) => void): unknown {
  const stack = new TerraformStack(Testing.app({ enableFutureFlags: false }), 's');
  setup?.(stack);
  new TerraformOutput(stack, 'out', { value });
  return JSON.parse(Testing.synth(stack)).output.out.value;
}

describe('hcl-expression', () => {
  test('writes a literal argument as a quoted HCL string: text that looks like an expression stays text', () => {
    const hostile = 'x" == "x" ? var.secret : "${var.secret}%{if true}';
    const stack = (s: TerraformStack) => new TerraformVariable(s, 'secret', { type: 'string' });
    expect(written(Token.asString(call('lower', hostile)), stack)).toBe(
      '${lower("x\\" == \\"x\\" ? var.secret : \\"$\\u007bvar.secret\\u007d%\\u007bif true\\u007d")}',
    );
    expect(written(Token.asString(expression`length(${hostile})`))).toBe(
      '${length("x\\" == \\"x\\" ? var.secret : \\"$\\u007bvar.secret\\u007d%\\u007bif true\\u007d")}',
    );
  });

  test("writes the package's references and calls as cdktf writes the same Fn calls", () => {
    const stack = new TerraformStack(Testing.app({ enableFutureFlags: false }), 't');
    const v = new TerraformVariable(stack, 'fields', { type: 'map(map(string))' });
    const d = new TerraformData(stack, 'record', { input: { id: 'x' } });
    new TerraformOutput(stack, 'ours', {
      value: Token.asString(
        call('merge', { tenant_id: attribute(d, 'input.id') }, call('lookup', variableValue(v), 'teams', {})),
      ),
    });
    new TerraformOutput(stack, 'cdktf', {
      value: Fn.merge([{ tenant_id: d.getStringAttribute('input.id') }, Fn.lookup(v.value, 'teams', {})]),
    });
    const out = JSON.parse(Testing.synth(stack)).output;
    expect(out.ours.value).toBe(out.cdktf.value);
    expect(out.ours.value).toBe(
      '${merge({"tenant_id" = terraform_data.record.input.id}, lookup(var.fields, "teams", {}))}',
    );
  });

  test("leaves a caller's cdktf token to cdktf's Fn: call() declines, so that the caller takes the Fn path", () => {
    const stack = new TerraformStack(Testing.app({ enableFutureFlags: false }), 's');
    const theirs = new TerraformVariable(stack, 'theirs', { type: 'string' }).stringValue;
    expect(composable(theirs)).toBe(false);
    expect(call('lower', theirs)).toBeUndefined();
    expect(composable(`${variableValue(new TerraformVariable(stack, 'ours', { type: 'string' }))}/path`)).toBe(false);
  });

  test('reads the address when the stack is synthesized, so that a later overrideLogicalId is followed', () => {
    const stack = new TerraformStack(Testing.app({ enableFutureFlags: false }), 's');
    const record = new TerraformData(stack, 'record', { input: { id: 'x' } });
    new TerraformOutput(stack, 'out', { value: attribute(record, 'input.id') });
    record.overrideLogicalId('renamed');
    expect(JSON.parse(Testing.synth(stack)).output.out.value).toBe('${terraform_data.renamed.input.id}');
  });

  test("becomes cdktf's cross-stack reference when another stack reads it", () => {
    const app = new App({ outdir: Testing.app().outdir });
    const producer = new TerraformStack(app, 'producer');
    const consumer = new TerraformStack(app, 'consumer');
    const record = new TerraformData(producer, 'record', { input: { id: 'x' } });
    new TerraformOutput(consumer, 'out', { value: attribute(record, 'input.id') });
    app.synth();
    const consumed = JSON.parse(Testing.synth(consumer)).output.out.value as string;
    expect(consumed).toMatch(/^\$\{data\.terraform_remote_state\.[^.]+\.outputs\.[^}]+\}$/);
  });
});
