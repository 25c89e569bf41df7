import { show } from '../../src/core/errors';
import { codePointName, firstInvisible, isInvisible, visible } from '../../src/core/visible';

describe('visible', () => {
  test('the terminal sees escape sequences, controls, line breaks and bidi marks as text', () => {
    expect(visible('\u001b[31mred\u0007\u202e')).toBe('\\u{1B}[31mred\\u{7}\\u{202E}');
    expect(visible('a\rb\r\nc\u2028d\u2029e\tf\u0085g\u200bh\u00adi\ufeffj')).toBe(
      'a\\u{D}b\\u{D}\\u{A}c\\u{2028}d\\u{2029}e\\u{9}f\\u{85}g\\u{200B}h\\u{AD}i\\u{FEFF}j',
    );
    expect(visible('lone \ud800 and \udc00, pair 🙂')).toBe('lone \\u{D800} and \\u{DC00}, pair 🙂');
    expect(visible('Kindo - Microsoft Teams é ✓')).toBe('Kindo - Microsoft Teams é ✓');
  });

  test('finds the first invisible code point and names it', () => {
    expect(firstInvisible('ok')).toBeUndefined();
    expect(firstInvisible('o\u2029k')).toEqual({ index: 1, codePoint: 0x2029 });
    expect(isInvisible(0x1b)).toBe(true);
    expect(isInvisible(0x41)).toBe(false);
    expect(codePointName(0x0a)).toBe('U+000A');
  });
});

describe('show', () => {
  test('quotes strings on one visible line and cuts long values', () => {
    expect(show('a\nb')).toBe("'a\\u{A}b'");
    expect(show('x'.repeat(100), 80)).toBe(`'${'x'.repeat(79)}…`);
    expect(show(undefined)).toBe('nothing');
    expect(show(Number.NaN)).toBe('NaN');
    expect(show({ k: '\u001b' })).toBe('{"k":"\\u001b"}');
  });
});
