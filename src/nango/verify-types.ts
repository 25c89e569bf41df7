// What `verify` reports and takes: the public shapes of src/nango/verify.ts.

/** What one comparison found: `ok` agrees, `differs` does not, `unknown` could not be read, `n/a` does not apply. */
export type VerifyStatus = 'ok' | 'differs' | 'unknown' | 'n/a';

/** One compared property of one integration. Never holds a secret. */
export interface VerifyCheck {
  /** What is compared; `redirect_uri`: the app's redirect URIs include Nango's callback; `client_secret`: by hash. */
  readonly check: 'registered' | 'provider' | 'client_id' | 'scopes' | 'fields' | 'redirect_uri' | 'client_secret';
  /** The outcome; see {@link VerifyStatus}. */
  readonly status: VerifyStatus;
  /** What Terraform holds and what Nango holds, where showing them is safe; `detail` explains otherwise. */
  readonly terraform?: string;
  /** Nango's value (`none` or `(not set)` when it has none); of the fields, only those Terraform sets. */
  readonly nango?: string;
  /** For people: why the check differs, is unknown or does not apply (with the fix where known), or how it compared. */
  readonly detail?: string;
}

/** One Nango registration of the state ({@link StateRegistration}), compared with Nango. */
export interface VerifiedIntegration {
  /** Kindo integration id ({@link StateRegistration.integration}), e.g. `teams`. */
  readonly integration: string;
  /** Unique key of the Nango integration, e.g. `kindo-teams`. */
  readonly uniqueKey: string;
  /** The Nango server asked, as the state recorded it, e.g. `https://api.nango.dev`. */
  readonly serverUrl: string;
  /** Terraform address of the registration's `Sync` resource. */
  readonly address: string;
  /** In {@link VerifyCheck.check}'s order; only `registered` and `redirect_uri` when Nango lacks the integration. */
  readonly checks: readonly VerifyCheck[];
  /** True when no check differs or is unknown. */
  readonly agrees: boolean;
}

/** What `verify` found (`verify --json` prints it): every Nango registration of a state, compared with Nango. */
export interface VerifyReport {
  /** Where the state came from. */
  readonly source: string;
  /** One per registration, in the state's order. */
  readonly integrations: readonly VerifiedIntegration[];
  /** True when every integration agrees: `verify` then exits with {@link VERIFY_EXIT.AGREES}. */
  readonly agrees: boolean;
}

/** Exit statuses of `verify`. */
export const VERIFY_EXIT = {
  /** Every registration in the state agrees with Nango. */
  AGREES: 0,
  /** Bad input, or Nango could not be asked (unreachable, key refused). */
  ERROR: 1,
  /** Wrong command line. */
  USAGE: 2,
  /** At least one check differs or could not be read. */
  DIFFERS: 3,
} as const;

/** How `verify` reads Nango: the secret key, and the callback URL Nango's environment uses when it is not `<server>/oauth/callback`. */
export interface VerifyOptions {
  /** Nango secret key (UUID v4, checked first); sent as Bearer token to the server URLs only, redacted from errors. */
  readonly secretKey: string;
  /**
   * Compared with the apps' redirect URIs.
   * @default - `<server URL>/oauth/callback`
   */
  readonly callbackUrl?: string;
  /** For tests; the global fetch otherwise. */
  readonly fetch?: typeof fetch;
  /**
   * Timeout of each request to Nango, in milliseconds.
   * @default 30000
   */
  readonly timeoutMs?: number;
}
