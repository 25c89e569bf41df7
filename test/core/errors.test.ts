import { KindoConfigError } from '../../src/core/errors';

describe('KindoConfigError', () => {
  afterEach(() => vi.unstubAllEnvs());

  test('has a one-line stack naming its code and message, without frames', () => {
    vi.stubEnv('KINDO_DEBUG', '');
    const error = new KindoConfigError('UNKNOWN_INTEGRATION', "unknown integration 'hubspot'", 'docs/x.md#y');
    expect(error.stack).toBe("KindoConfigError [UNKNOWN_INTEGRATION]: unknown integration 'hubspot' (docs/x.md#y)");
    expect(error.code).toBe('UNKNOWN_INTEGRATION');
  });

  test('keeps its frames when KINDO_DEBUG is set', () => {
    vi.stubEnv('KINDO_DEBUG', '1');
    const error = new KindoConfigError('UNKNOWN_INTEGRATION', "unknown integration 'hubspot'");
    expect(error.stack).toMatch(/^KindoConfigError: unknown integration 'hubspot'\n\s+at /);
  });

  test('does not list its code among its enumerable properties, which Node prints after the stack', () => {
    const error = new KindoConfigError('EMPTY_SELECTION', '`integrations` is empty');
    expect(Object.keys(error)).not.toContain('code');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('KindoConfigError');
  });
});
