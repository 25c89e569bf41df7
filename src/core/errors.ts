// The error type every check of this package throws. Each message lives beside the check that throws
// it (aws-cdk's `ValidationError` thrown where `validateRolePath()` fails); this file holds only the
// type, its codes and how values are shown in messages.

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
  'OUT_OF_RANGE',
  'PATTERN_MISMATCH',
  'REVIEW_BASE_NOT_FOUND',
  'REVIEW_BASE_SYNTH_FAILED',
  'REVIEW_INPUT_NOT_FOUND',
  'REVIEW_INPUT_UNREADABLE',
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
] as const;

/** A stable, machine-readable error code, e.g. `UNKNOWN_INTEGRATION`. */
export type KindoErrorCode = (typeof ERROR_CODES)[number];

/** Bad input, refused before anything reaches Terraform: the message names the input, the value and the fix. */
export class KindoConfigError extends Error {
  /** Stable machine-readable code, e.g. `UNKNOWN_INTEGRATION`. */
  public readonly code: KindoErrorCode;

  /**
   * @param message the rule, the value received and the fix, in a few lines
   * @param docs where the longer explanation is, e.g. `docs/troubleshooting.md#nango-fields`
   */
  constructor(code: KindoErrorCode, message: string, docs?: string) {
    super(docs === undefined ? message : `${message} (${docs})`);
    this.name = 'KindoConfigError';
    this.code = code;
  }
}

/** A value as messages show it: strings quoted, `undefined` as "nothing", numbers as written. */
export const show = (value: unknown): string => {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'nothing';
  // JSON writes NaN and Infinity as null, which would misreport the value received.
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
};
