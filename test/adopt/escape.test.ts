import { commentText, hclString, jmesLiteral, jsonText, shQuote, tsString } from '../../src/adopt/escape';
import { firstInvisible } from '../../src/core/visible';

// Each writer per character class; that the outputs hold in the languages themselves is shown by
// hostile-names(.e2e).test.ts (tsc, hcl2json, terraform) and az-queries.test.ts (sh).

const LINE_TERMINATORS = ['\n', '\r', '\u2028', '\u2029', '\u0085', '\u000b', '\u000c'];

describe('escaping for the languages adopt writes', () => {
  test('an HCL string escapes quotes, backslashes, templates, directives and every control character', () => {
    expect(hclString('A"B\\C')).toBe('"A\\"B\\\\C"');
    expect(hclString('${path.cwd} %{ if x }')).toBe('"$${path.cwd} %%{ if x }"');
    expect(hclString('$${kept}')).toBe('"$$${kept}"');
    expect(hclString('a\nb\rc\td')).toBe('"a\\nb\\rc\\td"');
    expect(hclString('\u2028\u0085\u001b\u202e\u0000')).toBe('"\\u2028\\u0085\\u001B\\u202E\\u0000"');
    expect(hclString('lone \ud800')).toBe('"lone \\uFFFD"');
    expect(hclString('Kindo - Microsoft Teams')).toBe(JSON.stringify('Kindo - Microsoft Teams'));
  });

  test('a TypeScript string escapes quotes, backslashes and every line terminator', () => {
    expect(tsString("it's \\ here")).toBe("'it\\'s \\\\ here'");
    for (const t of LINE_TERMINATORS) expect(tsString(`a${t}b`)).not.toContain(t);
    expect(new Function(`return ${tsString("x'\u2028\u2029\n\\y")};`)()).toBe("x'\u2028\u2029\n\\y");
  });

  test('comment text keeps to one line: every line terminator and control character becomes a space', () => {
    for (const t of [...LINE_TERMINATORS, '\u001b', '\u0000', '\u202e']) expect(commentText(`a${t}b`)).toBe('a b');
    expect(commentText('Kindo - Microsoft Teams */')).toBe('Kindo - Microsoft Teams */');
  });

  test('a sh word and a JMESPath literal quote every character', () => {
    expect(shQuote("it's $(x) `y`")).toBe("'it'\\''s $(x) `y`'");
    expect(jmesLiteral('it\'s "a" \\ `b`')).toBe('`"it\'s \\"a\\" \\\\ \\`b\\`"`');
  });

  test('JSON keeps only its own line breaks raw', () => {
    const text = jsonText({ a: 'x\u2028\u0085\u001b\u202ey' });
    expect(JSON.parse(text)).toEqual({ a: 'x\u2028\u0085\u001b\u202ey' });
    expect(firstInvisible(text.replace(/\n/g, ''))).toBeUndefined();
  });
});
