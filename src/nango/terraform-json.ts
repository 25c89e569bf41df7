import { Expression, hcl, hclString, pieces } from '../core/hcl-expression';
import { literal } from '../core/terraform-literal';
import { isToken } from '../core/validate';

export { hclString } from '../core/hcl-expression';

// Terraform reads every string of a JSON configuration as a template, so literal text must reach it
// without `${` or `%{`. cdktf adds a second reader: resolving a string that holds tokens, it scans the
// literal text beside them for `${` and `}` to tell which tokens sit inside an interpolation, and it
// counts Terraform's own escape `$${` as one: `literal('a${b') + token` synthesizes as `a$${bvar.t`,
// the token's interpolation lost. So literal text written next to a token here holds no `${`, `%{`,
// `{` or `}` of its own: HCL strings spell those characters as `\u007b` and `\u007d`.

/** A JSON value whose strings, and maps, may be tokens known only at plan. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** An HCL expression for a string holding tokens: the token itself, or the join of its pieces. */
function expressionOf(value: string): string {
  const parts = pieces(value);
  if (parts.length === 1) return value;
  return `join("", [${parts.map((p) => (isToken(p) ? p : hclString(p))).join(', ')}])`;
}

/**
 * A string as a Terraform attribute must hold it to evaluate to it: a literal escaped (`$${`, `%%{`),
 * a token as it is, and a string that mixes both as one `join` of its pieces, so that cdktf never
 * reads the literal part's braces (see above).
 */
export function templateOf(value: string): string {
  if (!isToken(value)) return literal(value);
  return pieces(value).length === 1 ? value : `\${${expressionOf(value)}}`;
}

/**
 * `${jsonencode(…)}` of `value`, one interpolation that evaluates to its JSON text: literal strings are
 * {@link hclString}s, so nothing literal is ever evaluated (a display name
 * `x" == "x" ? var.nango_secret_key : "x` stays that text), and tokens are their expressions. The text
 * is made at synth from the tokens' expressions, so that cdktf never reads the object's braces beside
 * a token (see above); the HCL module's generator finds per-integration values in it as in any other
 * expression.
 */
export function jsonBody(value: JsonValue): string {
  return new Expression((context) => `jsonencode(${hcl(value, context)})`).toString();
}
