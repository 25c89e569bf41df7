import { Fn, TerraformOutput, TerraformStack, TerraformVariable, Testing, Token } from 'cdktf';
import { hclString, jsonBody, templateOf } from '../../src/nango/terraform-json';

/** What an output whose value is `value` synthesizes to. */
function synthesized(build: (stack: TerraformStack) => string): string {
  const stack = new TerraformStack(Testing.app(), 's');
  new TerraformOutput(stack, 'o', { value: build(stack) });
  return JSON.parse(Testing.synth(stack)).output.o.value;
}
const variable = (stack: TerraformStack) => new TerraformVariable(stack, 'v', { type: 'string' }).stringValue;

describe('hclString', () => {
  test('quotes a string with its backslashes, quotes, braces and control characters escaped', () => {
    expect(hclString('a"b\\c ${x} %{y} }\n\r\t\u0001\u2028é')).toBe(
      '"a\\"b\\\\c $\\u007bx\\u007d %\\u007by\\u007d \\u007d\\n\\r\\t\\u0001\u2028é"',
    );
  });
});

describe('templateOf', () => {
  test('escapes a literal, keeps a token, and joins a string of both without any brace of its literal part', () => {
    expect(templateOf('a${b}%{c}')).toBe('a$${b}%%{c}');
    expect(synthesized((stack) => templateOf(variable(stack)))).toBe('${var.v}');
    // cdktf reads `${` and `}` in a literal beside a token as an interpolation: `a$${b` + token lost its `${}`.
    expect(synthesized((stack) => templateOf(`a\${b}"${variable(stack)}$`))).toBe(
      '${join("", ["a$\\u007bb\\u007d\\"", var.v, "$"])}',
    );
  });
});

describe('jsonBody', () => {
  test('is one jsonencode of an HCL object whose literal strings are escaped HCL strings and whose tokens are expressions', () => {
    expect(
      synthesized((stack) => {
        const token = variable(stack);
        return jsonBody({
          literal: 'x" == "x" ? var.nango_secret_key : "x',
          template: '${file("/etc/hostname")} %{ if true }',
          token,
          mixed: `a}${token}\${b`,
          'key ${x}': { list: ['a', 1, true, null] },
        });
      }),
    ).toBe(
      '${jsonencode({"literal" = "x\\" == \\"x\\" ? var.nango_secret_key : \\"x", "template" = "$\\u007bfile(\\"/etc/hostname\\")\\u007d %\\u007b if true \\u007d", "token" = var.v, "mixed" = join("", ["a\\u007d", var.v, "$\\u007bb"]), "key $\\u007bx\\u007d" = {"list" = ["a", 1, true, null]}})}',
    );
  });

  test('writes a map known only at plan, and a function of it, as their expressions', () => {
    expect(
      synthesized((stack) => {
        const map = new TerraformVariable(stack, 'm', { type: 'map(string)' }).value as Record<string, string>;
        return jsonBody({ custom: map, merged: Token.asStringMap(Fn.merge([{ a: '' }, map])) });
      }),
    ).toBe('${jsonencode({"custom" = var.m, "merged" = merge({"a" = ""}, var.m)})}');
  });
});
