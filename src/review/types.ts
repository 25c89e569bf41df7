// Types the review's parts share: the report's data model, read from synthesized JSON and plans.

/** One stack's synthesized Terraform JSON (`cdk.tf.json`), by stack name. */
export interface SynthesizedStack {
  readonly name: string;
  readonly config: Record<string, any>;
}

/** How a permission is consented: tenant-wide (admin consent for all users), for one user, or not at all. */
export type Consent = 'tenant-wide' | 'one user' | 'none';

/** A synthesized value: the text as written, and its value with the variables' defaults when that can be worked out. */
export interface ReviewedValue {
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
  readonly access: 'read' | 'write' | 'unknown';
  /** The catalog's "admin consent required"; null when unknown. */
  readonly adminConsentRequired: boolean | null;
  /** False when only a consent grant names it (it is not in `required_resource_access`). */
  readonly requested: boolean;
  readonly consent: Consent;
  /** Where Kindo's guide asks for it outside the integration's permission table (the catalog's `directedBy`). */
  readonly directedBy?: 'troubleshooting';
}

/** The permissions an app holds on one Microsoft API. */
export interface ReviewedApi {
  /** Catalog name, or `unknown API <resource app id>`. */
  readonly name: string;
  readonly resourceAppId: string;
  readonly known: boolean;
  /** The widest consent grant the app has on this API. */
  readonly consent: Consent;
  readonly permissions: readonly ReviewedPermission[];
}

/** A permission the app requests beyond, or leaves out of, its integration's list in Kindo's guide. */
export interface GuideDeviation {
  readonly change: 'added' | 'removed';
  readonly api: string;
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
  readonly stack: string;
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
  readonly constructPath?: string;
  readonly displayName: ReviewedValue;
  readonly signInAudience: string;
  readonly redirectUris: readonly ReviewedValue[];
  readonly nango?: {
    /** Where the Nango secret key and the client secret are sent at apply (`triggers_replace.server_url`); absent in synths that did not record it. */
    readonly serverUrl?: ReviewedValue;
    readonly provider: ReviewedValue;
    readonly uniqueKey: ReviewedValue;
    readonly scopes: ReviewedValue;
    /** Integration-specific fields registered with the Nango integration (never secrets: the constructs refuse secret-like names), by name. */
    readonly fields: Readonly<Record<string, ReviewedValue>>;
  };
  /** Client secrets; `lifetimeHours` is set when the end date is `timeadd(plantimestamp(), "<hours>h")` (or `timestamp()`). */
  readonly secrets: readonly { readonly lifetimeHours: number | null; readonly endDate: ReviewedValue }[];
  readonly apis: readonly ReviewedApi[];
  /** Differences from the integration's list in Kindo's guide; empty for an app the catalog does not know. */
  readonly deviations: readonly GuideDeviation[];
  /** Set when the app registration is adopted (imported) rather than created. */
  readonly adoption?: ReviewedAdoption;
}

/** A client secret made by hand on an adopted app: left in place by the stack, for the operator to delete. */
export interface HandMadeSecret {
  readonly keyId: string;
  readonly expires: string | null;
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
  readonly kind: ReviewChangeKind;
  /** Whether the change widens what the apps may access or where tokens go. */
  readonly grows: boolean;
  /** Set when the change moves where secrets or authorization codes are sent: the Nango server URL or the callback (redirect) URL. */
  readonly highRisk?: true;
  /** 0 is reviewed first: new write, unknown or application permissions; removals come last. */
  readonly rank: number;
  readonly integration: string;
  readonly api?: string;
  readonly permission?: ReviewedPermission;
  readonly before?: string;
  readonly after?: string;
  /** One line for the reviewer, in Markdown. */
  readonly summary: string;
}

/** The changes from base to head, most risky first. */
export interface ReviewDiff {
  readonly base: string;
  readonly grew: boolean;
  readonly changes: readonly ReviewChange[];
}

/** A Terraform plan action in reviewer terms. */
export type PlannedActionKind = 'create' | 'update' | 'replace' | 'delete';

/** One attribute a planned update or replacement changes; values are left out whenever they could be secret. */
export interface PlannedAttributeChange {
  readonly path: string;
  readonly before?: string;
  readonly after?: string;
  readonly added?: readonly string[];
  readonly removed?: readonly string[];
  /** Why values are not shown: `sensitive`, `hidden` (named like a secret), `known after apply`, or `changed` (not a simple value). */
  readonly note?: 'sensitive' | 'hidden' | 'known after apply' | 'changed';
  /** Whether this attribute forces the replacement. */
  readonly forcesReplacement: boolean;
}

/** A planned action on an app registration, service principal, secret, consent grant or Nango registration. */
export interface PlannedAction {
  readonly address: string;
  readonly what: string;
  readonly label: string;
  readonly action: PlannedActionKind;
  readonly attributes: readonly PlannedAttributeChange[];
}

/** One resource a plan imports (its change has `importing`), and what the same apply changes on it. */
export interface AdoptedResource {
  readonly address: string;
  readonly what: string;
  readonly label: string;
  /** The import ID as planned. */
  readonly importId: string;
  /** What the apply does after importing: `no-op` when the object already matches the configuration. */
  readonly action: PlannedActionKind | 'no-op';
  /** 0 is reviewed first: see {@link AdoptedChange.rank}. */
  readonly rank: number;
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
  readonly after: readonly string[];
}

/** The reviewer-relevant part of one `terraform show -json` plan. */
export interface PlanSummary {
  readonly label: string;
  readonly actions: readonly PlannedAction[];
  /** Changes of the Nango server URL or of redirect URIs: high risk, and growth of the access surface. */
  readonly redirections: readonly PlannedRedirection[];
  /** Resources the plan imports, riskiest first. */
  readonly adopted: readonly AdoptedResource[];
}

/** Everything the report shows; also written as JSON. */
export interface ReviewReport {
  readonly source: string;
  readonly stacks: readonly string[];
  readonly integrations: readonly ReviewedIntegration[];
  readonly risks: ReviewRisks;
  readonly diff?: ReviewDiff;
  readonly plans: readonly PlanSummary[];
  /** What the gate decides: growth against the base, or a planned change of where secrets or codes go. */
  readonly verdict: ReviewVerdict;
}

/** The gate's reading of a report: the access surface grows when any reason is given. */
export interface ReviewVerdict {
  readonly grows: boolean;
  /** One line per reason, in Markdown, high-risk changes first. */
  readonly reasons: readonly string[];
}

/** A permission named in the risk section. */
export interface RiskEntry {
  readonly integration: string;
  readonly api: string;
  readonly permission: string;
}

/** The risk section. */
export interface ReviewRisks {
  readonly writeScopes: readonly RiskEntry[];
  readonly adminConsentScopes: readonly RiskEntry[];
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
