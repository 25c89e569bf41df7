// How an integration's permissions may differ from Kindo's guide: the operator's input and the record of it.

/** A delegated permission requested beyond Kindo's guide. */
export interface AddedPermission {
  /**
   * The API, by the catalog's name.
   * @example 'Microsoft Graph'
   */
  readonly api: string;
  /**
   * Scope name as the API publishes it.
   * @example 'Mail.Read'
   */
  readonly name: string;
  /**
   * The delegated scope's ID, from the API's service principal (`oauth2PermissionScopes`).
   * @example '570282fd-fa5c-430d-a7fd-fc8dc98a9dca'
   */
  readonly id: string;
  /** Why the integration needs it; at least 20 characters, shown to reviewers and kept in the app's notes. */
  readonly justification: string;
  /**
   * Whether the scope only reads.
   * @default 'write' - unknown scopes are reviewed as write access
   */
  readonly access?: 'read' | 'write';
  /**
   * Whether Microsoft requires admin consent for it.
   * @default true
   */
  readonly adminConsentRequired?: boolean;
}

/** How one integration's permissions differ from Kindo's guide, for the record and for review. */
export interface PermissionDeviation {
  /** Whether the permission was removed from or added to the guide's list. */
  readonly change: 'removed' | 'added';
  /** The API's catalog name. */
  readonly api: string;
  /** Scope name. */
  readonly permission: string;
  /** Scope ID. */
  readonly id: string;
  /** The operator's reason, for additions. */
  readonly justification?: string;
  /** For additions: the access the operator declared, or its default (`write`). */
  readonly access?: 'read' | 'write';
  /** For additions: whether the operator declared that Microsoft requires admin consent, or its default (`true`). */
  readonly adminConsentRequired?: boolean;
}
