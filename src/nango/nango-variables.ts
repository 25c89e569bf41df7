import { Token, type TerraformVariableConfig, type TerraformVariableValidationConfig } from 'cdktf';

// The Terraform variables through which the default stack and the HCL module take their Nango
// settings, with the checks Terraform makes at plan.

/**
 * Environment variable from which destroy-time requests (delete, rename) take the Nango secret key:
 * Terraform lets destroy-time provisioners reference only their own object, and the key is kept
 * out of state. It is the variable Terraform itself reads `var.nango_secret_key` from.
 */
export const NANGO_SECRET_KEY_ENV = 'TF_VAR_nango_secret_key';

/** Nango's rule for environment names (`envSchema` in packages/server/lib/helpers/validation.ts). */
export const NANGO_ENVIRONMENT_PATTERN = /^[a-z0-9_-]{1,255}$/;

/**
 * A Nango secret key: a UUID v4, the only form Nango's server accepts (`keyRegex` in
 * packages/server/lib/middleware/access.middleware.ts of NangoHQ/nango 0.71.4), case-insensitive.
 */
export const NANGO_SECRET_KEY_PATTERN =
  /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-4[0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$/;

/**
 * The `nango_secret_key` variable's check (Terraform ≥ 1.10 validates ephemeral variables). The
 * message never holds the value.
 */
export const NANGO_SECRET_KEY_VALIDATION: TerraformVariableValidationConfig[] = [
  {
    condition: `\${can(regex(${JSON.stringify(NANGO_SECRET_KEY_PATTERN.source)}, var.nango_secret_key))}`,
    errorMessage:
      'nango_secret_key is not a Nango secret key (its value is not shown); expected a UUID v4, xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx in hexadecimal digits, from the Nango dashboard > Environment Settings.',
  },
];

/**
 * What the `nango_server_url` variable accepts: https, or http on loopback; no credentials, query,
 * fragment or white space. Credentials in the URL would reach curl's command line and error text.
 */
export const NANGO_SERVER_URL_PATTERN =
  /^(https:\/\/[^/?#@\s]+|http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:[0-9]+)?)(\/[^?#\s]*)?$/;

/** The `nango_server_url` variable's check; the message does not repeat the value, which may hold credentials. */
export const NANGO_SERVER_URL_VALIDATION: TerraformVariableValidationConfig[] = [
  {
    condition: `\${can(regex(${JSON.stringify(NANGO_SERVER_URL_PATTERN.source)}, var.nango_server_url))}`,
    errorMessage:
      'nango_server_url must be an https:// URL without credentials, query or fragment (http:// only for 127.0.0.1, localhost or [::1]), e.g. "https://api.nango.dev".',
  },
];

/** The `nango_environment` variable of the default stack and of the HCL module. */
export const NANGO_ENVIRONMENT_VARIABLE: TerraformVariableConfig = {
  type: 'string',
  default: Token.nullValue(),
  description:
    'Name of the Nango environment nango_secret_key belongs to, e.g. "prod". Recorded in state at the first apply; a later plan that names another environment fails, naming both and the two steps of a move (docs/nango-registration.md). null records nothing.',
  validation: [
    {
      condition: `\${var.nango_environment == null || can(regex(${JSON.stringify(NANGO_ENVIRONMENT_PATTERN.source)}, var.nango_environment))}`,
      // Terraform evaluates the message whatever the condition, and a null cannot be interpolated.
      errorMessage:
        'nango_environment is ${jsonencode(var.nango_environment)}; expected a Nango environment name: 1 to 255 lower-case letters, digits, _ or -, e.g. "prod".',
    },
  ],
};
