// Values from configuration, a tenant or a file reach terminals, error messages and reports. Every
// code point that a reader cannot see, that ends a line in some language, or that reorders the text
// around it is shown as `\u{…}` (the escape JavaScript itself writes), so a value stays one visible line.

/**
 * C0 and C1 controls and DEL (LF, CR, VT, FF, NEL, ESC included), U+2028/U+2029, the soft hyphen,
 * zero-width and invisible formatting characters, bidirectional marks, overrides and isolates, the
 * byte order mark and interlinear annotation marks, and lone surrogates (not text, not UTF-8).
 */
const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its purpose.
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/gu;

/** Whether a code point is one {@link visible} escapes. */
export function isInvisible(codePoint: number): boolean {
  INVISIBLE.lastIndex = 0;
  return INVISIBLE.test(String.fromCodePoint(codePoint));
}

/** The first code point {@link visible} escapes, and its index, if any. */
export function firstInvisible(value: string): { index: number; codePoint: number } | undefined {
  INVISIBLE.lastIndex = 0;
  const match = INVISIBLE.exec(value);
  INVISIBLE.lastIndex = 0;
  return match ? { index: match.index, codePoint: match[0].codePointAt(0)! } : undefined;
}

/** `U+000A`, as messages name a character. */
export const codePointName = (codePoint: number): string =>
  `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;

/** `value` with every invisible or line-breaking code point written `\u{1B}`: one visible line. */
export function visible(value: string): string {
  return value.replace(INVISIBLE, (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`);
}
