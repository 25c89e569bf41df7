// Types the review's parts share: the report's data model, read from synthesized JSON and plans.

/** One stack's synthesized Terraform JSON (`cdk.tf.json`), by stack name. */
export interface SynthesizedStack {
  /**
   * Its `name` in cdktf's `manifest.json`; for a lone stack directory, `//.metadata.stackName` or the directory's name.
   * @example 'kindo-microsoft-integrations'
   */
  readonly name: string;
  /** The parsed `cdk.tf.json`: Terraform JSON configuration (`resource`, `data`, `variable`, `import`, …). */
  readonly config: Record<string, any>;
}

/** How a permission is consented: tenant-wide (admin consent for all users), for one user, or not at all. */
export type Consent = 'tenant-wide' | 'one user' | 'none';

/** A synthesized value: the text as written, and its value with the variables' defaults when that can be worked out. */
export interface ReviewedValue {
  /** As synthesized: a string as written, Terraform expressions (`${var.x}`) included; any other value as JSON. */
  readonly raw: string;
  /** Set only when it differs from `raw`; never uses a sensitive variable. */
  readonly resolved?: string;
}

/** One entry of an app's `required_resource_access`, or a scope only a consent grant names. */
export interface ReviewedPermission {
  /** Scope (or app role) ID; empty for a consented scope the catalog does not know. */
  readonly id: string;
  /** Scope name from the catalog, or `unknown permission <id>`. */
  readonly name: string;
  /** Whether the catalog knows this delegated scope. */
  readonly known: boolean;
  /**
   * Set when the catalog does not know the scope but the synth recorded it as an `addPermissions`
   * entry: its name, access and admin consent are as the operator declared them.
   */
  readonly declared?: true;
  /** The operator's reason, for a permission requested beyond the integration's list in the guide. */
  readonly justification?: string;
  /** `Scope` (delegated) or `Role` (application permission). */
  readonly type: string;
  /** `read` or `write` from the catalog, or as `addPermissions` declared it; `unknown` when neither says it. */
  readonly access: 'read' | 'write' | 'unknown';
  /** The catalog's "admin consent required"; null when unknown. */
  readonly adminConsentRequired: boolean | null;
  /** False when only a consent grant names it (it is not in `required_resource_access`). */
  readonly requested: boolean;
  /** What the stack's grants (`claim_values`) consent: `tenant-wide` when a grant naming it has no `user_object_id`. */
  readonly consent: Consent;
  /** Where Kindo's guide asks for it outside the integration's permission table (the catalog's `directedBy`). */
  readonly directedBy?: 'troubleshooting';
}

/** The permissions an app holds on one Microsoft API. */
export interface ReviewedApi {
  /** Catalog name, or `unknown API <resource app id>`. */
  readonly name: string;
  /**
   * Application (client) ID of the API: `required_resource_access[].resource_app_id`, or the `client_id` of
   * a grant's resource service principal; `unknown` when a Kindo SaaS grant's resource cannot be resolved.
   * @example '00000003-0000-0000-c000-000000000000'
   */
  readonly resourceAppId: string;
  /** Whether the catalog knows this API (by resource app ID). */
  readonly known: boolean;
  /** The widest consent grant the app has on this API. */
  readonly consent: Consent;
  /** Requested ones in `required_resource_access` order, then scopes only a grant names (SaaS: the grants' scopes). */
  readonly permissions: readonly ReviewedPermission[];
}

/** A permission the app requests beyond, or leaves out of, its integration's list in Kindo's guide. */
export interface GuideDeviation {
  /** `added`: requested but not in the guide's list; `removed`: in the guide's list but not requested. */
  readonly change: 'added' | 'removed';
  /** The API's catalog name (e.g. `Microsoft Graph`), or `unknown API <resource app id>`. */
  readonly api: string;
  /** The permission's name ({@link ReviewedPermission.name}), e.g. `Mail.Read`. */
  readonly permission: string;
  /** The operator's reason for an addition, as the synth recorded it; null when none was recorded. */
  readonly justification?: string | null;
}

/** Who may connect an integration: the service principal's assignment requirement and the groups Terraform assigns. */
export interface WhoMayConnect {
  /** `app_role_assignment_required`: `true`, `false`, or an expression; `false` when not set (Entra's default). */
  readonly assignmentRequired: ReviewedValue;
  /** Object IDs of the groups assigned the default access role; empty when none. */
  readonly groups: readonly string[];
  /** The groups as written, when they are an expression (e.g. a variable) rather than a list of IDs. */
  readonly groupsExpression?: ReviewedValue;
}

/**
 * One integration of a synthesized stack and what is linked to it: an app registration in this
 * tenant (self-managed Kindo), or the service principal of Kindo's own app (Kindo SaaS).
 */
export interface ReviewedIntegration {
  /** `<stack>/<integration id>`: how base and head are matched in a diff. */
  readonly key: string;
  /** Name of the stack it was read from ({@link SynthesizedStack.name}). */
  readonly stack: string;
  /** Kindo integration id (e.g. `teams`), found as `identifiedBy` says. */
  readonly integrationId: string;
  /** Where the integration id came from: the app's (or Kindo SaaS service principal's) notes, its construct path, or (last resort) its resource name. */
  readonly identifiedBy: 'notes' | 'construct path' | 'resource name';
  /** `self-managed`: an app registration of this tenant; `saas`: Kindo's app, consented here (KindoSaasConsent). */
  readonly mode: 'self-managed' | 'saas';
  /** Kindo SaaS: the client ID of Kindo's app, as given. */
  readonly kindoClientId?: ReviewedValue;
  /** Who may connect, read from the service principal and its group assignments. */
  readonly whoMayConnect: WhoMayConnect;
  /** Terraform address of the app registration, or of the service principal for Kindo SaaS. */
  readonly address: string;
  /** Terraform addresses of the app and everything linked to it (service principal, secrets, grants, Nango registration). */
  readonly addresses: readonly string[];
  /** Construct path of the app (or SaaS service principal), from `//.metadata.path`; absent without synth metadata. */
  readonly constructPath?: string;
  /** The app's `display_name`; for Kindo SaaS, a description of Kindo's app, whose name is Kindo's. */
  readonly displayName: ReviewedValue;
  /** The app's `sign_in_audience` (`AzureADMyOrg`, Entra's default, when unset); `AzureADMultipleOrgs` for SaaS. */
  readonly signInAudience: string;
  /** `web.redirect_uris`: the Nango callback, e.g. `https://api.nango.dev/oauth/callback`; empty for Kindo SaaS. */
  readonly redirectUris: readonly ReviewedValue[];
  /** From the `triggers_replace` of its NangoRegistration's `Sync`; absent when none is linked (always for SaaS). */
  readonly nango?: {
    /** Where the Nango secret key and the client secret are sent at apply (`triggers_replace.server_url`); absent in synths that did not record it. */
    readonly serverUrl?: ReviewedValue;
    /** Nango provider key (`provider`), e.g. `microsoft-tenant-specific`. */
    readonly provider: ReviewedValue;
    /** Unique key of the Nango integration (`unique_key`), e.g. `kindo-teams`. */
    readonly uniqueKey: ReviewedValue;
    /** OAuth scopes Nango requests at sign-in (`scopes`), comma-separated. */
    readonly scopes: ReviewedValue;
    /** Integration-specific fields registered with the Nango integration (never secrets: the constructs refuse secret-like names), by name. */
    readonly fields: Readonly<Record<string, ReviewedValue>>;
  };
  /** Client secrets; `lifetimeHours` is set when the end date is `timeadd(plantimestamp(), "<hours>h")` (or `timestamp()`). */
  readonly secrets: readonly { readonly lifetimeHours: number | null; readonly endDate: ReviewedValue }[];
  /** Its permissions per Microsoft API: every API it requests (`required_resource_access`) or a consent grant names. */
  readonly apis: readonly ReviewedApi[];
  /** Differences from the integration's list in Kindo's guide; empty for an app the catalog does not know. */
  readonly deviations: readonly GuideDeviation[];
  /** Set when the app registration is adopted (imported) rather than created. */
  readonly adoption?: ReviewedAdoption;
}

/** A client secret made by hand on an adopted app: left in place by the stack, for the operator to delete. */
export interface HandMadeSecret {
  /**
   * The secret's key ID (`existingClientSecrets[].keyId`, Graph's `passwordCredentials[].keyId`); never its value.
   * @example '3d0b3d5f-8c55-4f1e-9d0c-2b7f0a1e4c11'
   */
  readonly keyId: string;
  /**
   * When it expires, as given (`expires`, Graph's `endDateTime`: ISO 8601); null when not given.
   * @example '2027-05-01T10:00:00Z'
   */
  readonly expires: string | null;
  /** Its description, as given (`description`, Graph's `displayName`); null when not given. */
  readonly description: string | null;
}

/** How an app registration made by hand is brought under the stack (docs/adopting.md). */
export interface ReviewedAdoption {
  /** The synth's import blocks for this app: Terraform address and import ID (as written, possibly a reference). */
  readonly imports: readonly { readonly address: string; readonly id: string }[];
  /** Whether the service principal is taken over at apply (`use_existing`) rather than imported. */
  readonly servicePrincipalTakenOver: boolean;
  /** How the adopted app is named: its object or client ID as given at synth; null when the synth did not record it. */
  readonly application: { readonly objectId?: string; readonly clientId?: string } | null;
  /** Recorded at synth (`existingClientSecrets`); empty when none were given. */
  readonly handMadeSecrets: readonly HandMadeSecret[];
}

/** What changed between a base and a head synth. */
export type ReviewChangeKind =
  | 'permission-added'
  | 'permission-removed'
  | 'consent-granted'
  | 'consent-revoked'
  | 'integration-added'
  | 'integration-removed'
  | 'redirect-uri-added'
  | 'redirect-uri-removed'
  | 'callback-url-changed'
  | 'nango-server-url-changed'
  | 'sign-in-audience-changed'
  | 'nango-provider-changed'
  | 'nango-unique-key-changed'
  | 'nango-fields-changed'
  | 'secret-lifetime-changed';

/** One change, in reviewer terms. */
export interface ReviewChange {
  /** What changed. */
  readonly kind: ReviewChangeKind;
  /** Whether the change widens what the apps may access or where tokens go. */
  readonly grows: boolean;
  /** Set when the change moves where secrets or authorization codes are sent: the Nango server URL or the callback (redirect) URL. */
  readonly highRisk?: true;
  /** 0 is reviewed first: new write, unknown or application permissions; removals come last. */
  readonly rank: number;
  /** The integration's {@link ReviewedIntegration.key}, e.g. `kindo-microsoft-integrations/teams`. */
  readonly integration: string;
  /** The API's catalog name, for a permission or consent change. */
  readonly api?: string;
  /** The permission, as the head reviews it (the base, for a removal); for a permission or consent change. */
  readonly permission?: ReviewedPermission;
  /**
   * The base's value as text: a consent, a sign-in audience, a Nango setting, redirect URIs joined by `, `,
   * or secret lifetimes (e.g. `4320h`); absent when the base has none (an added redirect URI).
   */
  readonly before?: string;
  /** The head's value as text, as `before`; absent when the head has none (a removed redirect URI). */
  readonly after?: string;
  /** One line for the reviewer, in Markdown. */
  readonly summary: string;
}

/** The changes from base to head, most risky first. */
export interface ReviewDiff {
  /** The base's label given to `diffReviews` (the review command passes `--base`: a synth directory or a git ref). */
  readonly base: string;
  /** Whether any change widens the access surface ({@link ReviewChange.grows}). */
  readonly grew: boolean;
  /** By {@link ReviewChange.rank}, then integration, API, permission name and kind. */
  readonly changes: readonly ReviewChange[];
}

/** A Terraform plan action in reviewer terms. */
export type PlannedActionKind = 'create' | 'update' | 'replace' | 'delete';

/** One attribute a planned update or replacement changes; values are left out whenever they could be secret. */
export interface PlannedAttributeChange {
  /**
   * Attribute path, dot-separated; maps of plain values (`triggers_replace`) are entered one level.
   * @example 'triggers_replace.scopes'
   */
  readonly path: string;
  /** Old plain value (a string as is, else JSON), cut at 200 characters; absent for lists or if not shown (`note`). */
  readonly before?: string;
  /** New value, as `before`; absent when not shown (`note`). */
  readonly after?: string;
  /**
   * Entries added to a list of plain values; for `required_resource_access`, permissions as `<API>: <scope>`
   * named through the catalog.
   */
  readonly added?: readonly string[];
  /** Entries removed from the list, as `added`. */
  readonly removed?: readonly string[];
  /** Why values are not shown: `sensitive`, `hidden` (named like a secret), `known after apply`, or `changed` (not a simple value). */
  readonly note?: 'sensitive' | 'hidden' | 'known after apply' | 'changed';
  /** Whether this attribute forces the replacement. */
  readonly forcesReplacement: boolean;
}

/** A planned action on an app registration, service principal, secret, consent grant or Nango registration. */
export interface PlannedAction {
  /** Terraform address of the resource instance (the plan's `resource_changes[].address`). */
  readonly address: string;
  /**
   * What the resource is for a reviewer, by its type or, for `terraform_data`, its triggers: e.g. `client secret`,
   * `Nango registration settings (pushed to Nango on apply)`; deletions that revoke consent say so.
   */
  readonly what: string;
  /**
   * The {@link ReviewedIntegration.key} of the integration the address belongs to; else the resource's
   * `display_name` or `triggers_replace.integration` when safe to show; else the address.
   */
  readonly label: string;
  /** From the change's `actions`: `create` with `delete` is a `replace`. */
  readonly action: PlannedActionKind;
  /** The attributes an update or replacement changes; empty for a create or delete. */
  readonly attributes: readonly PlannedAttributeChange[];
}

/** One resource a plan imports (its change has `importing`), and what the same apply changes on it. */
export interface AdoptedResource {
  /** Terraform address of the resource imported (the plan's `resource_changes[].address`). */
  readonly address: string;
  /** What it is, as {@link PlannedAction.what}; its resource type when the review has no name for it. */
  readonly what: string;
  /** Its integration's {@link ReviewedIntegration.key}; else its `display_name` if safe to show; else the address. */
  readonly label: string;
  /** The import ID as planned. */
  readonly importId: string;
  /** What the apply does after importing: `no-op` when the object already matches the configuration. */
  readonly action: PlannedActionKind | 'no-op';
  /** 0 is reviewed first: see {@link AdoptedChange.rank}. */
  readonly rank: number;
  /** What the apply changes on it after the import, riskiest first (by rank, then path). */
  readonly changes: readonly AdoptedChange[];
}

/** A change the first apply makes to an imported object; values left out whenever they could be secret. */
export interface AdoptedChange extends PlannedAttributeChange {
  /**
   * 0: the object is replaced (a new client ID: every user reconnects); 1: redirect URIs (sign-ins);
   * 2: permissions or consent; 3: sign-in audience; 4: owners; 5: anything else (notes, names).
   */
  readonly rank: number;
  /** What the change means for the people using the integration. */
  readonly impact: string;
}

/**
 * A planned change of where secrets or authorization codes go: the Nango server URL of a Nango
 * registration (`triggers_replace.server_url`: the Nango secret key and the client secret are sent
 * there at apply) or an app registration's redirect URIs (where Entra sends authorization codes).
 */
export interface PlannedRedirection {
  /** Terraform address of the resource whose URL changes. */
  readonly address: string;
  /** The integration it belongs to, or its address. */
  readonly label: string;
  /** Which URL moves: where Nango calls go (with the key and every client secret), or where sign-ins return. */
  readonly what: 'Nango server URL' | 'redirect URIs';
  /** What the plan does to the resource. */
  readonly action: PlannedActionKind;
  /** The URLs before and after; a URL Terraform marks sensitive or knows only after apply is described, not shown. */
  readonly before: readonly string[];
  /** The URLs after the change, as `before`. */
  readonly after: readonly string[];
}

/** The reviewer-relevant part of one `terraform show -json` plan. */
export interface PlanSummary {
  /** The plan's label as given to `summarizePlan` (the review command passes the `--plan` file as given). */
  readonly label: string;
  /**
   * Planned creates, updates, replacements and deletions of app registrations, service principals, client
   * secrets, consent grants, group assignments and Nango `terraform_data`, in the plan's order.
   */
  readonly actions: readonly PlannedAction[];
  /** Changes of the Nango server URL or of redirect URIs: high risk, and growth of the access surface. */
  readonly redirections: readonly PlannedRedirection[];
  /** Resources the plan imports, riskiest first. */
  readonly adopted: readonly AdoptedResource[];
}

/** Everything the report shows; also written as JSON. */
export interface ReviewReport {
  /** Where the synth was read, as given to `buildReviewReport` (the review command passes `--synth`). */
  readonly source: string;
  /** Names of the stacks reviewed ({@link SynthesizedStack.name}). */
  readonly stacks: readonly string[];
  /** Every integration of every stack. */
  readonly integrations: readonly ReviewedIntegration[];
  /** The risk section, from `integrations`. */
  readonly risks: ReviewRisks;
  /** The changes against the base; absent when no base was given. */
  readonly diff?: ReviewDiff;
  /** One summary per plan given; empty when none was. */
  readonly plans: readonly PlanSummary[];
  /** What the gate decides: growth against the base, or a planned change of where secrets or codes go. */
  readonly verdict: ReviewVerdict;
}

/** The gate's reading of a report: the access surface grows when any reason is given. */
export interface ReviewVerdict {
  /** True when there is a reason: the review command then exits with {@link REVIEW_EXIT.GREW}. */
  readonly grows: boolean;
  /** One line per reason, in Markdown, high-risk changes first. */
  readonly reasons: readonly string[];
}

/** A permission named in the risk section. */
export interface RiskEntry {
  /** The integration's {@link ReviewedIntegration.key}. */
  readonly integration: string;
  /** The API's name ({@link ReviewedApi.name}). */
  readonly api: string;
  /** The permission's name ({@link ReviewedPermission.name}). */
  readonly permission: string;
}

/** The risk section. */
export interface ReviewRisks {
  /** Permissions with `write` access, from the catalog or as declared in `addPermissions`. */
  readonly writeScopes: readonly RiskEntry[];
  /** Permissions that require admin consent, from the catalog or as declared in `addPermissions`. */
  readonly adminConsentScopes: readonly RiskEntry[];
  /** Per integration and API consented tenant-wide: the scopes consented for every user. */
  readonly tenantWideGrants: readonly {
    readonly integration: string;
    readonly api: string;
    readonly scopes: readonly string[];
  }[];
  /** Permissions the catalog does not know (including application permissions) and no `addPermissions` entry declares; reviewed by hand. */
  readonly unknownPermissions: readonly RiskEntry[];
  /** Every difference from Kindo's guide, per integration. */
  readonly guideDeviations: readonly (GuideDeviation & { readonly integration: string })[];
  /** Permissions the guide asks for outside the integrations' permission tables: part of its list, not deviations. */
  readonly guideDirected: readonly (RiskEntry & { readonly directedBy: 'troubleshooting' })[];
}
