import { KindoConfigError } from '../../src/core/errors';

/** Text the message must contain, or a pattern it must match (a value that is also part of another word). */
export type Fragment = string | RegExp;

/**
 * Expects `fn` to throw a KindoConfigError with `code`, whose message names each of `fragments`: the
 * input it refuses and the value it was given. The rest of the wording may change without failing tests.
 */
export function expectKindoError(
  fn: () => unknown,
  code: string,
  fragments: readonly Fragment[] = [],
): KindoConfigError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  return expectCode(thrown, code, fragments);
}

/** {@link expectKindoError} for a promise that must reject. */
export async function expectKindoRejection(
  promise: Promise<unknown>,
  code: string,
  fragments: readonly Fragment[] = [],
): Promise<KindoConfigError> {
  let thrown: unknown;
  try {
    await promise;
  } catch (e) {
    thrown = e;
  }
  return expectCode(thrown, code, fragments);
}

function expectCode(thrown: unknown, code: string, fragments: readonly Fragment[]): KindoConfigError {
  expect(thrown, 'expected a KindoConfigError').toBeInstanceOf(KindoConfigError);
  const error = thrown as KindoConfigError;
  expect(error.code, error.message).toBe(code);
  for (const fragment of fragments)
    if (typeof fragment === 'string') expect(error.message).toContain(fragment);
    else expect(error.message).toMatch(fragment);
  return error;
}
