import { Token } from 'cdktf';
import { literal } from '../../src/core/terraform-literal';

describe('literal', () => {
  test('escapes interpolation and directive openers, and nothing else', () => {
    expect(literal('a${path.cwd}b%{ if true }c%{ endif }')).toBe('a$${path.cwd}b%%{ if true }c%%{ endif }');
    expect(literal('100% {not a directive} $ {nor this} "quoted" back\\slash')).toBe(
      '100% {not a directive} $ {nor this} "quoted" back\\slash',
    );
  });

  test('keeps an escape the value already holds literal too', () => {
    // Terraform reads `$$${x}` as `$` followed by the escape `$${`: the literal text `$${x}`.
    expect(literal('$${x}')).toBe('$$${x}');
    expect(literal('%%{x}')).toBe('%%%{x}');
  });

  test('leaves a token for Terraform to evaluate', () => {
    const token = Token.asString({ resolve: () => 'x' });
    expect(literal(token)).toBe(token);
  });
});
