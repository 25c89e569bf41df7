import { TerraformOutput, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import {
  baseUrl,
  checkGuid,
  checkPattern,
  checkServiceUrl,
  checkWholeNumber,
  guid,
  isToken,
  lowerGuid,
  lowerGuids,
} from '../../src/core/validate';
import { expectKindoError } from '../support/errors';

const GUID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe('validate', () => {
  const stack = new TerraformStack(Testing.app(), 'test');
  const token = new TerraformVariable(stack, 'v', { type: 'string' }).stringValue;
  const numberToken = new TerraformVariable(stack, 'n', { type: 'number' }).numberValue;

  test('accepts GUIDs in either case and refuses anything around them', () => {
    expect(() => checkGuid('f', GUID)).not.toThrow();
    expect(() => checkGuid('f', GUID.toUpperCase())).not.toThrow();
    for (const bad of [` ${GUID}`, `${GUID} `, `{${GUID}}`, GUID.slice(1), `${GUID}0`, GUID.replace(/-/g, '')]) {
      expectKindoError(() => checkGuid('f', bad), 'NOT_A_GUID', ['`f`', `'${bad}'`]);
    }
  });

  test('gives a literal GUID back in lower case, as Graph returns IDs, and refuses anything else by field', () => {
    expect(guid('f', GUID.toUpperCase())).toBe(GUID);
    expect(lowerGuid('f', GUID.toUpperCase())).toBe(GUID);
    expect(lowerGuids('f', [GUID.toUpperCase(), GUID])).toEqual([GUID, GUID]);
    expectKindoError(() => guid('f', 'me'), 'NOT_A_GUID', ['`f`', "'me'"]);
    expectKindoError(() => lowerGuids('owners', [GUID, 'me']), 'NOT_A_GUID', ['`owners[1]`', "'me'"]);
  });

  test("leaves a GUID known only at plan to guid, and wraps it in Terraform's lower() for lowerGuid and lowerGuids", () => {
    const outputs = new TerraformStack(Testing.app(), 'lower');
    const one = new TerraformVariable(outputs, 'one', { type: 'string' }).stringValue;
    const many = new TerraformVariable(outputs, 'many', { type: 'list(string)' }).listValue;
    expect(guid('f', one)).toBe(one);
    new TerraformOutput(outputs, 'lower_one', { value: lowerGuid('f', one) });
    new TerraformOutput(outputs, 'lower_each', { value: lowerGuids('f', [one, GUID.toUpperCase()]) });
    new TerraformOutput(outputs, 'lower_many', { value: lowerGuids('f', many) });
    const { output } = JSON.parse(Testing.synth(outputs));
    expect(output.lower_one.value).toBe('${lower(var.one)}');
    expect(output.lower_each.value).toEqual(['${lower(var.one)}', GUID]);
    expect(output.lower_many.value).toBe('${[ for key, val in toset(var.many): lower(val)]}');
  });

  test('takes whole numbers from min to max inclusive', () => {
    expect(() => checkWholeNumber('d', 1, 1, 730, 'days')).not.toThrow();
    expect(() => checkWholeNumber('d', 730, 1, 730, 'days')).not.toThrow();
    expectKindoError(() => checkWholeNumber('d', 0, 1, 730, 'days'), 'OUT_OF_RANGE', ['`d`', /\b0\b/]);
    expectKindoError(() => checkWholeNumber('d', 731, 1, 730, 'days'), 'OUT_OF_RANGE', ['`d`', '731']);
    expectKindoError(() => checkWholeNumber('d', 729.5, 1, 730, 'days'), 'OUT_OF_RANGE', ['`d`', '729.5']);
    expectKindoError(() => checkWholeNumber('d', Number.NaN, 1, 730, 'days'), 'OUT_OF_RANGE', ['`d`', 'NaN']);
    expectKindoError(() => checkWholeNumber('d', Number.POSITIVE_INFINITY, 1, 730, 'days'), 'OUT_OF_RANGE', [
      '`d`',
      'Infinity',
    ]);
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
    for (const [bad, code] of [
      ['http://10.0.0.1', 'INSECURE_URL'],
      ['http://127.0.0.1.nip.io', 'INSECURE_URL'],
      ['https://', 'MALFORMED_URL'],
      ['ftp://localhost', 'INSECURE_URL'],
      ['file:///etc/passwd', 'INSECURE_URL'],
      ['javascript:alert(1)', 'INSECURE_URL'],
    ]) {
      expectKindoError(() => checkServiceUrl('u', bad), code, ['`u`', `'${bad}'`]);
    }
    expect(() => checkServiceUrl('u', 'https://nango.example.com/?')).not.toThrow();
    for (const bad of [
      'https://nango.example.com/?a=1',
      'https://user@nango.example.com',
      'https://:pw@nango.example.com',
    ])
      expectKindoError(() => checkServiceUrl('u', bad), 'URL_EXTRA_PARTS', ['`u`', `'${bad}'`]);
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
    expectKindoError(() => checkPattern('p', 'y', /^x$/, "the letter 'x'"), 'PATTERN_MISMATCH', ['`p`', "'y'"]);
  });
});
