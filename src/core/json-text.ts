// JSON read from a file a person names. V8's JSON.parse messages quote the input around the error
// (a short file whole), which could be a secret or terminal escapes: a refusal says only where the
// text stops being JSON, found by a scanner of its own so that no engine wording is relied on.

/** The parsed value, or why the text is not JSON: where it stops being JSON, never its content. */
export type JsonText =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly problem: string };

/** `text` parsed as JSON; a refusal names the line and column of the first character that is not JSON. */
export function parseJsonText(text: string): JsonText {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    if (text.trim() === '') return { ok: false, problem: 'it is not JSON: it is empty' };
    const offset = syntaxErrorOffset(text);
    if (offset === undefined) return { ok: false, problem: 'it is not JSON' };
    const lines = text.slice(0, offset).split('\n');
    const where = `line ${lines.length}, column ${lines.at(-1)!.length + 1}`;
    return {
      ok: false,
      problem: offset >= text.length ? `it is not JSON: it ends early (${where})` : `it is not JSON at ${where}`,
    };
  }
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** Offset of the first character where `text` stops being JSON (its length when it ends early); undefined if too deep to scan. */
function syntaxErrorOffset(text: string): number | undefined {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const space = () => {
    while (WHITESPACE.has(text[i])) i++;
  };
  const expect = (c: string) => (text[i] === c ? i++ : fail());
  const string = () => {
    expect('"');
    for (;;) {
      const c = text[i];
      if (c === undefined || c < ' ') fail();
      if (c === '"') return i++;
      if (c !== '\\') i++;
      else if (text[i + 1] === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
      else if (text[i + 1] !== undefined && '"\\/bfnrt'.includes(text[i + 1])) i += 2;
      else fail();
    }
  };
  const list = (close: string, item: () => void) => {
    i++;
    space();
    if (text[i] === close) return i++;
    for (;;) {
      item();
      space();
      if (text[i] === close) return i++;
      expect(',');
      space();
    }
  };
  const value = (): void => {
    const c = text[i];
    if (c === '{')
      list('}', () => {
        string();
        space();
        expect(':');
        space();
        value();
      });
    else if (c === '[') list(']', value);
    else if (c === '"') string();
    else if (['true', 'false', 'null'].some((w) => text.startsWith(w, i))) i += text.startsWith('false', i) ? 5 : 4;
    else {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(text)) fail();
      i = NUMBER.lastIndex;
    }
  };
  try {
    space();
    value();
    space();
    return i < text.length ? i : undefined;
  } catch (e) {
    if (typeof e === 'number') return e;
    return undefined;
  }
}
