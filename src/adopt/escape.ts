// Values read from a tenant (app display names, secret descriptions: anyone who may register an app
// chooses them) and from the command line reach HCL, TypeScript, a shell script and the terminal.
// Each writer here makes a value that language's literal, or a comment that cannot end early; none
// lets a value become code.

import { isInvisible } from '../core/visible';

const hex4 = (cp: number) => cp.toString(16).toUpperCase().padStart(4, '0');

/** Replaces each code point that src/core/visible.ts calls invisible with what `replace` returns for it. */
function mapUnsafe(value: string, replace: (cp: number) => string): string {
  let out = '';
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    out += isInvisible(cp) ? replace(cp) : ch;
  }
  return out;
}

/** One line of comment text in any language: line terminators, controls and bidi marks become spaces. */
export function commentText(value: string): string {
  return mapUnsafe(value, () => ' ');
}

/**
 * A quoted HCL string whose value is exactly `value`: `"` and `\` escaped, `${` and `%{` written
 * `$${` and `%%{` so that Terraform reads no template, unsafe code points as `\uNNNN` (lone
 * surrogates, which HCL cannot carry, as U+FFFD).
 */
export function hclString(value: string): string {
  const escaped = mapUnsafe(
    value.replace(/[\\"]/g, (m) => `\\${m}`),
    (cp) => {
      if (cp === 0x0a) return '\\n';
      if (cp === 0x0d) return '\\r';
      if (cp === 0x09) return '\\t';
      return `\\u${hex4(cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp)}`;
    },
  );
  // A function replacer: in a replacement string `$$` would stand for one `$`.
  return `"${escaped.replace(/([$%])\{/g, (_, sign) => `${sign}${sign}{`)}"`;
}

/** A single-quoted TypeScript string whose value is exactly `value`; unsafe code points as `\uNNNN`. */
export function tsString(value: string): string {
  return `'${mapUnsafe(
    value.replace(/[\\']/g, (m) => `\\${m}`),
    (cp) => `\\u${hex4(cp)}`,
  )}'`;
}

/** A word for POSIX sh that is exactly `value`: single-quoted, each `'` written `'\''`. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}

/**
 * A JMESPath JSON literal (`` `"…"` ``) whose value is exactly `value`: a JSON string with each backtick
 * escaped. Not a raw string (`'…'`): az's jmespath.py 1.0 unescapes only `\'` in those, not `\\`
 * (the specification unescapes both), so no escaping of a backslash would read the same in every
 * version; JSON literals decode alike in all of them.
 */
export function jmesLiteral(value: string): string {
  return `\`${JSON.stringify(value).replace(/`/g, '\\`')}\``;
}

/**
 * Pretty-printed JSON in which unsafe code points are `\uNNNN` escapes: JSON.stringify escapes only
 * C0 controls, and leaves DEL, C1, U+2028/U+2029 and bidi marks raw. The only raw LFs are its own.
 */
export function jsonText(value: unknown): string {
  return mapUnsafe(JSON.stringify(value, null, 2), (cp) => (cp === 0x0a ? '\n' : `\\u${hex4(cp)}`));
}
