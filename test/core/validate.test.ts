import { TerraformOutput, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { baseUrl, checkGuid, checkPattern, checkServiceUrl, checkWholeNumber, isToken } from '../../src/core/validate';

const GUID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe('validate', () => {
  const stack = new TerraformStack(Testing.app(), 'test');
  const token = new TerraformVariable(stack, 'v', { type: 'string' }).stringValue;
  const numberToken = new TerraformVariable(stack, 'n', { type: 'number' }).numberValue;

  test('accepts GUIDs in either case and refuses anything around them', () => {
    expect(() => checkGuid('f', GUID)).not.toThrow();
    expect(() => checkGuid('f', GUID.toUpperCase())).not.toThrow();
    for (const bad of [` ${GUID}`, `${GUID} `, `{${GUID}}`, GUID.slice(1), `${GUID}0`, GUID.replace(/-/g, '')]) {
      expect(() => checkGuid('f', bad), bad).toThrow(`\`f\` is '${bad}'; expected a GUID`);
    }
  });

  test('takes whole numbers from min to max inclusive', () => {
    expect(() => checkWholeNumber('d', 1, 1, 730, 'days')).not.toThrow();
    expect(() => checkWholeNumber('d', 730, 1, 730, 'days')).not.toThrow();
    expect(() => checkWholeNumber('d', 0, 1, 730, 'days')).toThrow(
      '`d` is 0; expected a whole number of days from 1 to 730',
    );
    expect(() => checkWholeNumber('d', 731, 1, 730, 'days')).toThrow(
      '`d` is 731; expected a whole number of days from 1 to 730',
    );
    expect(() => checkWholeNumber('d', 729.5, 1, 730, 'days')).toThrow('`d` is 729.5');
    expect(() => checkWholeNumber('d', Number.NaN, 1, 730, 'days')).toThrow(
      '`d` is NaN; expected a whole number of days from 1 to 730',
    );
    expect(() => checkWholeNumber('d', Number.POSITIVE_INFINITY, 1, 730, 'days')).toThrow('`d` is Infinity;');
  });

  test('accepts https anywhere and http on loopback hosts only', () => {
    for (const ok of [
      'https://nango.example.com',
      'https://nango.example.com:8443/base',
      'http://127.0.0.1:3003',
      'http://localhost',
      'http://[::1]:3003',
    ]) {
      expect(() => checkServiceUrl('u', ok), ok).not.toThrow();
    }
    for (const bad of [
      'http://10.0.0.1',
      'http://127.0.0.1.nip.io',
      'https://',
      'ftp://localhost',
      'file:///etc/passwd',
      'javascript:alert(1)',
    ]) {
      expect(() => checkServiceUrl('u', bad), bad).toThrow(`\`u\` is '${bad}'`);
    }
    expect(() => checkServiceUrl('u', 'https://nango.example.com/?')).not.toThrow();
    expect(() => checkServiceUrl('u', 'https://nango.example.com/?a=1')).toThrow(
      'without credentials, query string or fragment',
    );
    expect(() => checkServiceUrl('u', 'https://user@nango.example.com')).toThrow(
      'without credentials, query string or fragment',
    );
    expect(() => checkServiceUrl('u', 'https://:pw@nango.example.com')).toThrow(
      'without credentials, query string or fragment',
    );
  });

  test('strips every trailing slash from a literal base URL and wraps a token in trimsuffix', () => {
    expect(baseUrl('https://a.example//')).toBe('https://a.example');
    expect(baseUrl('https://a.example/x/')).toBe('https://a.example/x');
    expect(baseUrl('https://a.example')).toBe('https://a.example');
    const outputs = new TerraformStack(Testing.app(), 'outputs');
    new TerraformOutput(outputs, 'base', {
      value: baseUrl(new TerraformVariable(outputs, 'v', { type: 'string' }).stringValue),
    });
    expect(JSON.parse(Testing.synth(outputs)).output.base.value).toBe('${trimsuffix(var.v, "/")}');
  });

  test('skips every check on a value only known at apply', () => {
    expect(isToken(token)).toBe(true);
    expect(isToken('literal')).toBe(false);
    expect(() => checkGuid('f', token)).not.toThrow();
    expect(() => checkServiceUrl('u', token)).not.toThrow();
    expect(() => checkPattern('p', token, /^x$/, 'x')).not.toThrow();
    expect(() => checkWholeNumber('d', numberToken, 1, 2, 'days')).not.toThrow();
    expect(() => checkPattern('p', 'y', /^x$/, "the letter 'x'")).toThrow("`p` is 'y'; expected the letter 'x'");
  });
});
