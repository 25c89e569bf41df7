import { Lazy, Token, Tokenization } from 'cdktf';
import { literal } from '../core/terraform-literal';
import { isToken } from '../core/validate';

// Terraform reads every string of a JSON configuration as a template, so literal text must reach it
// without `${` or `%{`. cdktf adds a second reader: resolving a string that holds tokens, it scans the
// literal text beside them for `${` and `}` to tell which tokens sit inside an interpolation, and it
// counts Terraform's own escape `$${` as one: `literal('a${b') + token` synthesizes as `a$${bvar.t`,
// the token's interpolation lost. So literal text written next to a token here holds no `${`, `%{`,
// `{` or `}` of its own: HCL strings spell those characters as `\u007b` and `\u007d`.

/** A JSON value whose strings, and maps, may be tokens known only at plan. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** The literal text and the tokens of a string, in order. */
function pieces(value: string): string[] {
  const joined: unknown = Tokenization.reverseString(value).join({
    join: (left: unknown, right: unknown) => [...(Array.isArray(left) ? left : [left]), right],
  });
  return Array.isArray(joined) ? joined : [joined as string];
}

const HCL_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** A quoted HCL string that evaluates to `value`, holding no template sequence and no brace. */
export function hclString(value: string): string {
  const escaped = value.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are among those escaped
    /[\\"{}\u0000-\u001f]/g,
    (c) => HCL_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `"${escaped}"`;
}

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

/** Writes `value` as an HCL expression; tokens become the expressions `resolve` gives for them. */
function hclValue(value: JsonValue, resolve: (token: string) => string): string {
  if (typeof value === 'string') {
    if (!isToken(value)) return hclString(value);
    const parts = pieces(value).map((p) => (isToken(p) ? resolve(p) : hclString(p)));
    return parts.length === 1 ? parts[0] : `join("", [${parts.join(', ')}])`;
  }
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (isToken(value)) return resolve(Token.asString(value));
  if (Array.isArray(value)) return `[${value.map((v) => hclValue(v, resolve)).join(', ')}]`;
  const members = Object.entries(value as { readonly [key: string]: JsonValue });
  return `{${members.map(([k, v]) => `${hclString(k)} = ${hclValue(v, resolve)}`).join(', ')}}`;
}

/**
 * `${jsonencode(…)}` of `value`, one interpolation that evaluates to its JSON text: literal strings are
 * {@link hclString}s, so nothing literal is ever evaluated (a display name
 * `x" == "x" ? var.nango_secret_key : "x` stays that text), and tokens are their expressions. The text
 * is made at synth from the tokens' resolved expressions, so that cdktf never reads the object's
 * braces beside a token (see above); the HCL module's generator finds per-integration values in it as
 * in any other expression.
 */
export function jsonBody(value: JsonValue): string {
  return Lazy.stringValue({
    produce: (context) => {
      const outside = context.suppressBraces;
      context.suppressBraces = true;
      try {
        return `\${jsonencode(${hclValue(value, (token) => String(context.resolve(token)))})}`;
      } finally {
        context.suppressBraces = outside;
      }
    },
  });
}
