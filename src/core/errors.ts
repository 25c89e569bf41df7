// The error type every check of this package throws. Each message lives beside the check that throws
// it (aws-cdk's `ValidationError` thrown where `validateRolePath()` fails); this file holds only the
// type, its codes and how values are shown in messages.

import { visible } from './visible';

/** Every code a {@link KindoConfigError} carries. Compare codes, never message texts: messages may be reworded. */
export const ERROR_CODES = [
  'ADOPTED_APP_WITHOUT_NANGO_DECISION',
  'ADOPTION_CONFLICT',
  'ADOPTION_FILE_INVALID',
  'ADOPT_AMBIGUOUS',
  'ADOPT_INPUT_INVALID',
  'AMBIGUOUS_PERMISSION',
  'CATALOG_API_CONFLICT',
  'CATALOG_FIELD_INVALID',
  'CATALOG_FILES_MISMATCH',
  'CATALOG_PERMISSION_CONFLICT',
  'CATALOG_UNREADABLE',
  'CLI_USAGE',
  'CONFLICTING_PERMISSION',
  'DUPLICATE_CLIENT_ID',
  'DUPLICATE_INTEGRATION',
  'DUPLICATE_NANGO_UNIQUE_KEY',
  'EMPTY_SELECTION',
  'GROUPS_WITHOUT_ASSIGNMENT',
  'INSECURE_URL',
  'LITERAL_SECRET',
  'MALFORMED_URL',
  'MISSING_JUSTIFICATION',
  'MISSING_SETTING',
  'NANGO_FIELD_INVALID',
  'NANGO_FIELD_NAME_INVALID',
  'NANGO_FIELD_SECRET',
  'NANGO_FIELDS_TOO_LARGE',
  'NANGO_SECRET_KEY_INVALID',
  'NANGO_PROVIDER_NOT_OAUTH2',
  'NANGO_PROVIDER_WRONG_AUDIENCE',
  'NOT_A_GUID',
  'NOT_ONE_OF',
  'OFFLINE_ACCESS_REQUIRED',
  'OUT_OF_RANGE',
  'PATTERN_MISMATCH',
  'REVIEW_BASE_NOT_FOUND',
  'REVIEW_BASE_SYNTH_FAILED',
  'REVIEW_INPUT_INVALID',
  'REVIEW_INPUT_NOT_FOUND',
  'REVIEW_INPUT_UNREADABLE',
  'REVIEW_OUTPUT_INVALID',
  'REVIEW_PLAN_INPUT_REFUSED',
  'REVIEW_PLAN_INVALID',
  'SETTING_NOT_APPLICABLE',
  'UNKNOWN_API',
  'UNKNOWN_INTEGRATION',
  'UNKNOWN_NANGO_PROVIDER',
  'UNKNOWN_PERMISSION',
  'URL_EXTRA_PARTS',
  'VERIFY_NANGO_FAILED',
  'VERIFY_NOTHING_REGISTERED',
  'VERIFY_NO_SECRET_KEY',
  'VERIFY_SERVER_URL_REFUSED',
  'VERIFY_STATE_UNREADABLE',
  'WRONG_TYPE',
] as const;

/** A stable, machine-readable error code, e.g. `UNKNOWN_INTEGRATION`. */
export type KindoErrorCode = (typeof ERROR_CODES)[number];

/**
 * Bad input, refused before anything reaches Terraform: the message names the input, the value and the fix.
 *
 * Its `stack` is the one line `KindoConfigError [CODE]: message`, without frames, unless the
 * environment variable `KINDO_DEBUG` is set: the frames would point into this package, never at the
 * input to fix, and an app that does not catch the error would print them, and the source line
 * Node shows above them, under the message. `code` is not enumerable, so that Node does not print
 * it a second time after that line.
 */
export class KindoConfigError extends Error {
  /** Stable machine-readable code, e.g. `UNKNOWN_INTEGRATION`. */
  declare public readonly code: KindoErrorCode;

  /**
   * @param message the rule, the value received and the fix, in a few lines
   * @param docs where the longer explanation is, e.g. `docs/troubleshooting.md#nango-fields`
   */
  constructor(code: KindoErrorCode, message: string, docs?: string) {
    super(docs === undefined ? message : `${message} (${docs})`);
    this.name = 'KindoConfigError';
    Object.defineProperty(this, 'code', { value: code, enumerable: false });
    if (!process.env.KINDO_DEBUG) this.stack = `${this.name} [${code}]: ${this.message}`;
  }
}

/**
 * A value as messages show it: strings quoted, `undefined` as "nothing", numbers as written; on one
 * visible line (control characters, line breaks and bidi marks as `\u{…}`, so a value can neither
 * send escape sequences to a terminal nor add lines), and cut after `max` characters.
 */
export function show(value: unknown, max = 200): string {
  // JSON writes NaN and Infinity as null, which would misreport the value received.
  const text =
    typeof value === 'string'
      ? `'${value}'`
      : value === undefined
        ? 'nothing'
        : typeof value === 'number'
          ? String(value)
          : (JSON.stringify(value) ?? String(value));
  const chars = [...text];
  return visible(chars.length > max ? `${chars.slice(0, max).join('')}…` : text);
}
