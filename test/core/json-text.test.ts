import { parseJsonText } from '../../src/core/json-text';

describe('parseJsonText', () => {
  test('parses JSON', () => {
    expect(parseJsonText('{"a": [1, "\\u00e9", true]}')).toEqual({ ok: true, value: { a: [1, 'é', true] } });
  });

  test.each([
    ['\u001b[31mRED\u001b]0;pwned\u0007', 'it is not JSON at line 1, column 1'],
    ['{"a": x}', 'it is not JSON at line 1, column 7'],
    ['{"a":1,}', 'it is not JSON at line 1, column 8'],
    ['[1,2', 'it is not JSON: it ends early (line 1, column 5)'],
    ['{"a":"b\n"}', 'it is not JSON at line 1, column 8'],
    ['{} x', 'it is not JSON at line 1, column 4'],
    ['{\n  "a": [1, "\\q"]\n}', 'it is not JSON at line 2, column 13'],
    ['{\n  "a":\n  tru}', 'it is not JSON at line 3, column 3'],
    ['[1e5, -0.5, "\\u12g4"]', 'it is not JSON at line 1, column 14'],
    [' \n', 'it is not JSON: it is empty'],
  ])('names where %j stops being JSON, never its content', (text, problem) => {
    expect(parseJsonText(text)).toEqual({ ok: false, problem });
  });

  test('a secret-only file is refused without a character of it', () => {
    const secret = 'Zx8Q~s3cr3tV4lu3.abc';
    const result = parseJsonText(secret);
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toMatch(/Zx8|s3cr3t|abc/);
  });

  test('nesting too deep to scan is refused without a position', () => {
    expect(parseJsonText('['.repeat(200_000))).toEqual({ ok: false, problem: 'it is not JSON' });
  });
});
