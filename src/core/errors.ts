/**
 * Every error this package raises, in one place. Each message states the rule, the value
 * received and what is expected, so that the operator can fix the input without reading code.
 */

/** An input or catalog error raised at synth time, before anything reaches Terraform. */
export class KindoConfigError extends Error {
  /** Stable machine-readable code, e.g. `UNKNOWN_INTEGRATION`. */
  public readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'KindoConfigError';
    this.code = code;
  }
}

const show = (value: unknown): string => {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'nothing';
  // JSON writes NaN and Infinity as null, which would misreport the value received.
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
};

/** A catalog file does not match permissions/schema.json. */
export function catalogFieldInvalid(file: string, field: string, value: unknown, expected: string): KindoConfigError {
  return new KindoConfigError(
    'CATALOG_FIELD_INVALID',
    `invalid catalog entry in ${file}: \`${field}\` is ${show(value)}; expected ${expected}`,
  );
}

/** A catalog file could not be read or parsed. */
export function catalogUnreadable(file: string, reason: string): KindoConfigError {
  return new KindoConfigError(
    'CATALOG_UNREADABLE',
    `cannot read catalog file ${file}: ${reason}; expected a JSON file that follows permissions/schema.json`,
  );
}

/** The set of catalog files differs from the fixed set of integration ids. */
export function catalogFilesMismatch(
  dir: string,
  missing: readonly string[],
  unexpected: readonly string[],
): KindoConfigError {
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`missing ${missing.map((m) => `${m}.json`).join(', ')}`);
  if (unexpected.length > 0) parts.push(`unexpected ${unexpected.map((u) => `${u}.json`).join(', ')}`);
  return new KindoConfigError(
    'CATALOG_FILES_MISMATCH',
    `catalog folder ${dir} does not hold one file per integration (${parts.join('; ')}); expected exactly one <integration-id>.json for each known integration`,
  );
}

/** Two catalog files describe one API with different app IDs or identifier URIs. */
export function catalogApiConflict(
  api: string,
  field: 'resourceAppId' | 'identifierUri',
  first: string,
  second: string,
): KindoConfigError {
  return new KindoConfigError(
    'CATALOG_API_CONFLICT',
    `conflicting catalog entries for ${api}: its ${field} is ${first} in one file and ${second} in another; expected one ${field} per API across all files`,
  );
}

/** The same permission name maps to two IDs (or one ID to two names) within one API across the catalog. */
export function catalogPermissionConflict(api: string, what: string, first: string, second: string): KindoConfigError {
  return new KindoConfigError(
    'CATALOG_PERMISSION_CONFLICT',
    `conflicting catalog entries for ${api}: ${what} is ${first} in one file and ${second} in another; expected one name to map to one delegated scope ID across all files`,
  );
}

/** An integration id that the catalog does not know. */
export function unknownIntegration(field: string, value: string, valid: readonly string[]): KindoConfigError {
  return new KindoConfigError(
    'UNKNOWN_INTEGRATION',
    `unknown integration ${show(value)} in \`${field}\`; expected one of: ${valid.join(', ')}`,
  );
}

/** The same integration selected twice. */
export function duplicateIntegration(field: string, value: string): KindoConfigError {
  return new KindoConfigError(
    'DUPLICATE_INTEGRATION',
    `integration ${show(value)} appears more than once in \`${field}\`; expected each integration id at most once`,
  );
}

/** No integration selected. */
export function emptySelection(field: string): KindoConfigError {
  return new KindoConfigError(
    'EMPTY_SELECTION',
    `\`${field}\` is empty; expected at least one integration id, e.g. ['teams']`,
  );
}

/** A URL that does not parse. */
export function malformedUrl(field: string, value: string): KindoConfigError {
  return new KindoConfigError(
    'MALFORMED_URL',
    `\`${field}\` is ${show(value)}, which is not a URL; expected an absolute URL such as 'https://api.nango.dev'`,
  );
}

/** A URL that is not https (plain http is accepted for loopback hosts only). */
export function insecureUrl(field: string, value: string): KindoConfigError {
  return new KindoConfigError(
    'INSECURE_URL',
    `\`${field}\` is ${show(value)}; expected an https:// URL (http:// is accepted only for 127.0.0.1, [::1] or localhost, for development)`,
  );
}

/** A URL with parts the field does not accept. */
export function urlWithExtraParts(field: string, value: string, expected: string): KindoConfigError {
  return new KindoConfigError('URL_EXTRA_PARTS', `\`${field}\` is ${show(value)}; expected ${expected}`);
}

/** A number outside its allowed range. */
export function outOfRange(field: string, value: number, min: number, max: number, unit: string): KindoConfigError {
  return new KindoConfigError(
    'OUT_OF_RANGE',
    `\`${field}\` is ${show(value)}; expected a whole number of ${unit} from ${min} to ${max}`,
  );
}

/** A value that must be a GUID. */
export function notGuid(field: string, value: string): KindoConfigError {
  return new KindoConfigError(
    'NOT_A_GUID',
    `\`${field}\` is ${show(value)}; expected a GUID such as '00000000-0000-0000-0000-000000000000'`,
  );
}

/** A value that does not match the pattern its field requires. */
export function patternMismatch(field: string, value: string, expected: string): KindoConfigError {
  return new KindoConfigError('PATTERN_MISMATCH', `\`${field}\` is ${show(value)}; expected ${expected}`);
}

/** A per-integration setting for an integration that is not selected or does not take it. */
export function settingNotApplicable(field: string, key: string, reason: string): KindoConfigError {
  return new KindoConfigError(
    'SETTING_NOT_APPLICABLE',
    `\`${field}\` has an entry for ${show(key)}, ${reason}; expected entries only for selected integrations that take this setting`,
  );
}

/** A Nango provider key that @nangohq/providers does not list. */
export function unknownNangoProvider(field: string, value: string, suggestion: string): KindoConfigError {
  return new KindoConfigError(
    'UNKNOWN_NANGO_PROVIDER',
    `\`${field}\` is ${show(value)}, which is not a provider in Nango's catalog (@nangohq/providers); expected a provider key such as ${show(suggestion)}`,
  );
}

/** A Nango provider that does not sign users in with OAuth 2.0 authorization code. */
export function nangoProviderNotOAuth2(field: string, value: string, authMode: string): KindoConfigError {
  return new KindoConfigError(
    'NANGO_PROVIDER_NOT_OAUTH2',
    `\`${field}\` is ${show(value)}, whose Nango auth mode is ${authMode}; expected an OAUTH2 provider, since delegated integrations sign users in (e.g. 'microsoft-tenant-specific')`,
  );
}

/** A Nango provider that authorizes against a multi-tenant endpoint for a single-tenant app. */
export function nangoProviderWrongAudience(
  field: string,
  value: string,
  authorizationUrl: string,
  audience: string,
): KindoConfigError {
  return new KindoConfigError(
    'NANGO_PROVIDER_WRONG_AUDIENCE',
    `\`${field}\` is ${show(value)}, which authorizes at ${authorizationUrl}; a single-tenant (${audience}) app is rejected there (AADSTS50194). Expected a provider that signs in at the tenant's own endpoint, e.g. 'microsoft-tenant-specific', or signInAudience 'AzureADMultipleOrgs'`,
  );
}

/** Nango settings are required because a delegated integration is registered with Nango. */
export function missingSetting(field: string, reason: string): KindoConfigError {
  return new KindoConfigError('MISSING_SETTING', `\`${field}\` is not set; expected a value, because ${reason}`);
}

/** A secret given as a literal string, which would be written into the synthesized configuration. */
export function literalSecret(field: string): KindoConfigError {
  return new KindoConfigError(
    'LITERAL_SECRET',
    `\`${field}\` is a literal string; expected a token, such as a sensitive TerraformVariable (new TerraformVariable(this, 'nango_secret_key', { type: 'string', sensitive: true }).stringValue), so that the secret never lands in the synthesized configuration`,
  );
}

/** Two integrations registered under one Nango unique key. */
export function duplicateNangoUniqueKey(key: string, first: string, second: string): KindoConfigError {
  return new KindoConfigError(
    'DUPLICATE_NANGO_UNIQUE_KEY',
    `Nango unique key '${key}' is used by integrations '${first}' and '${second}' in one stack; expected a distinct key per integration (set \`nangoUniqueKeys\`)`,
  );
}

/**
 * The plan names another Nango environment than the one the state registered the integration in
 * (a `postcondition` of NangoRegistration's `Environment`). The arguments are HCL expressions or
 * literal text: the message is evaluated by Terraform, at plan.
 */
export function nangoEnvironmentSwitchedMessage(
  who: string,
  uniqueKey: string,
  recorded: string,
  given: string,
  address: string,
): string {
  return (
    `${who}: this Terraform state registered Nango integration '${uniqueKey}' in Nango environment '${recorded}', and this plan names environment '${given}' ` +
    `(nango.environment; nango_environment in the default stack and the module). Nothing was changed: deleting the integration from '${recorded}' needs that environment's secret key, which Terraform does not keep. ` +
    `Expected '${recorded}' with its secret key. To move to '${given}': with '${recorded}' and its secret key in TF_VAR_nango_secret_key, run terraform destroy -target='${address}' ` +
    `(prefixed with module.<name>. inside a module; it deletes the integration from '${recorded}' and leaves the Entra app), then apply with '${given}' and its key. See docs/nango-registration.md.`
  );
}

/** The review command found no synthesized stack where it was pointed. */
export function reviewInputNotFound(dir: string, isDirectory: boolean): KindoConfigError {
  return new KindoConfigError(
    'REVIEW_INPUT_NOT_FOUND',
    `no synthesized stack at ${show(dir)} (${isDirectory ? 'the directory holds neither manifest.json nor cdk.tf.json' : 'no such directory'}); expected the output directory of \`npx cdktf synth\` (default ./cdktf.out) or one stack directory holding cdk.tf.json: run \`npx cdktf synth\` first`,
  );
}

/** A synthesized file that is not JSON. */
export function reviewInputUnreadable(file: string, reason: string): KindoConfigError {
  return new KindoConfigError(
    'REVIEW_INPUT_UNREADABLE',
    `cannot read ${show(file)}: ${reason}; expected JSON written by \`npx cdktf synth\`: synthesize again`,
  );
}

/** A --plan file that is not `terraform show -json` output. */
export function reviewPlanInvalid(file: string, reason: string): KindoConfigError {
  return new KindoConfigError(
    'REVIEW_PLAN_INVALID',
    `${show(file)} is not a Terraform plan in JSON (${reason}); expected the output of \`terraform show -json <planfile>\`, not the plan file itself or \`terraform plan\` text`,
  );
}

/** A --base that is neither a directory nor a git revision. */
export function reviewBaseNotFound(value: string, repo: string): KindoConfigError {
  return new KindoConfigError(
    'REVIEW_BASE_NOT_FOUND',
    `--base is ${show(value)}, which is neither a directory nor a commit known to the git repository at ${show(repo)}; expected the cdktf output directory of an earlier synth, or a git ref such as 'origin/main' (in CI, check out with fetch-depth: 0)`,
  );
}

/** Synthesizing the --base revision failed. */
export function reviewBaseSynthFailed(
  ref: string,
  step: string,
  status: number | null,
  output: string,
): KindoConfigError {
  return new KindoConfigError(
    'REVIEW_BASE_SYNTH_FAILED',
    `cannot synthesize --base ${show(ref)}: \`${step}\` exited with ${status ?? 'a signal'}${output ? `:\n${output}` : ''}\nexpected the revision to synthesize with this checkout's node_modules; synthesize it yourself and pass the output directory as --base`,
  );
}

/** A command line the CLI cannot run: names the subcommand, the option or argument and what it takes. */
export function cliUsage(command: string, problem: string, value: string, usage: string): KindoConfigError {
  return new KindoConfigError(
    'CLI_USAGE',
    `${command}: ${problem}${value === '' ? '' : `: ${show(value)}`}; expected ${usage}`,
  );
}

/** The synthesized configuration has a top-level block the Terraform module generator cannot key by integration. */
export function moduleBlockUnsupported(block: string): KindoConfigError {
  return new KindoConfigError(
    'MODULE_BLOCK_UNSUPPORTED',
    `the constructs synthesized a \`${block}\`, which the Terraform module cannot switch per integration; expected only resource, data, check (without a data source, which cannot take for_each), variable and output blocks`,
  );
}

/** KindoSaasConsent's group assignment no longer has the shape the SaaS submodule folds (scripts/module/saas.ts). */
export function moduleGroupAssignmentChanged(body: unknown): KindoConfigError {
  return new KindoConfigError(
    'MODULE_GROUP_ASSIGNMENT_CHANGED',
    `the constructs synthesized a group assignment ${show(body).slice(0, 300)}; expected the default access role (${show('00000000-0000-0000-0000-000000000000')}) for each group (each.value) on the integration's service principal, the shape scripts/module/saas.ts folds into one block over integration-group pairs`,
  );
}

/** Copies of one construct that differ between integrations in a way the module generator cannot express with for_each. */
export function moduleCopiesDiffer(group: string, field: string, values: readonly unknown[]): KindoConfigError {
  return new KindoConfigError(
    'MODULE_COPIES_DIFFER',
    `${group} differs between integrations at \`${field}\` (${values.map((v) => show(v).slice(0, 300)).join(' vs ')}); expected the integrations' copies to differ only by integration id, display name, API or a catalog fact the module holds as data (scripts/module/fold.ts)`,
  );
}

/** An address of the module's previous release that no object of the constructs takes over, so no `moved` block can carry it. */
export function moduleAddressWithoutSuccessor(address: string): KindoConfigError {
  return new KindoConfigError(
    'MODULE_ADDRESS_WITHOUT_SUCCESSOR',
    `${address} of the module's v0.1.0 has no object in the constructs to move to; expected every v0.1.0 address to have one, or a \`removed\` block for it in the module generator`,
  );
}

/** A synthesized resource that belongs to no integration, so the module cannot key it by integration id. */
export function moduleElementOutsideIntegration(address: string, path: string): KindoConfigError {
  return new KindoConfigError(
    'MODULE_ELEMENT_OUTSIDE_INTEGRATION',
    `${address} (construct path ${path}) belongs to no integration; expected every resource under one integration's MicrosoftIntegrationApp, and only data sources shared at the stack's root`,
  );
}

/** A synthesized resource that already has count or for_each, which the module generator sets itself. */
export function moduleElementHasMetaArgument(address: string, argument: string): KindoConfigError {
  return new KindoConfigError(
    'MODULE_ELEMENT_HAS_META_ARGUMENT',
    `${address} already has \`${argument}\`; expected no count or for_each, since the Terraform module keys each resource by its integration id`,
  );
}

/** A permission to remove that the integration's catalog entry does not list. */
export function unknownPermissionToRemove(
  field: string,
  value: string,
  integration: string,
  known: readonly string[],
): KindoConfigError {
  return new KindoConfigError(
    'UNKNOWN_PERMISSION',
    `\`${field}\` is ${show(value)}, which integration '${integration}' does not request; expected one of its permissions: ${known.join(', ')}`,
  );
}

/** A permission name that two APIs of the integration share, given without its API. */
export function ambiguousPermission(field: string, value: string, apis: readonly string[]): KindoConfigError {
  return new KindoConfigError(
    'AMBIGUOUS_PERMISSION',
    `\`${field}\` is ${show(value)}, which ${apis.join(' and ')} both have; expected the API named too, e.g. '${apis[apis.length - 1]}/${value}'`,
  );
}

/** A permission added beyond the guide without a reason a reviewer can judge. */
export function missingJustification(field: string, value: string): KindoConfigError {
  return new KindoConfigError(
    'MISSING_JUSTIFICATION',
    `\`${field}\` is ${show(value)}; expected a justification of at least 20 characters saying why the integration needs this permission beyond Kindo's guide`,
  );
}

/** A permission added for an API the catalog does not know. */
export function unknownApi(field: string, value: string, known: readonly string[]): KindoConfigError {
  return new KindoConfigError(
    'UNKNOWN_API',
    `\`${field}\` is ${show(value)}; expected one of the APIs the catalog knows: ${known.join(', ')}`,
  );
}

/** A permission added whose name or ID contradicts the catalog, or that the integration already requests. */
export function conflictingPermission(field: string, value: string, problem: string): KindoConfigError {
  return new KindoConfigError('CONFLICTING_PERMISSION', `\`${field}\` is ${show(value)}, ${problem}`);
}

/** A value outside a fixed set. */
export function notOneOf(field: string, value: string, valid: readonly string[]): KindoConfigError {
  return new KindoConfigError('NOT_ONE_OF', `\`${field}\` is ${show(value)}; expected one of: ${valid.join(', ')}`);
}

/** Two integrations given the same client ID: each would adopt the other's service principal and grants. */
export function duplicateClientId(field: string, value: string, first: string, second: string): KindoConfigError {
  return new KindoConfigError(
    'DUPLICATE_CLIENT_ID',
    `\`${field}\` gives integrations ${show(first)} and ${show(second)} the same client ID ${show(value)}; expected each integration's own client ID as Kindo publishes it (one service principal, and one set of grants, per integration)`,
  );
}

/** Groups allowed to connect, while any user may connect anyway. */
export function groupsWithoutAssignment(field: string, groups: readonly string[]): KindoConfigError {
  return new KindoConfigError(
    'GROUPS_WITHOUT_ASSIGNMENT',
    `\`${field}\` is ${show(groups)} but \`requireAssignment\` is not true, so every user of the tenant may connect and the list restricts nobody; expected \`requireAssignment: true\` with the groups, or no \`${field}\``,
  );
}

// Messages Terraform shows when a plan-time condition fails. Terraform evaluates `${…}` in them,
// so the value found in the tenant can be named next to the value expected.

/** Plan stops: a Microsoft API that a requester needs has no service principal in the tenant. */
export function missingApiServicePrincipalMessage(api: string, appId: string, requesters: readonly string[]): string {
  return (
    `Microsoft API ${api} (app ID ${appId}) has no service principal in this tenant, and ${requesters.join(', ')} ` +
    `request${requesters.length === 1 ? 's' : ''} its delegated permissions, so it could not be consented. Nothing was changed. ` +
    `Expected the API's service principal: have an administrator create it once with \`az ad sp create --id ${appId}\` ` +
    `(or POST https://graph.microsoft.com/v1.0/servicePrincipals with body {"appId": "${appId}"}), then plan again; ` +
    `or leave out what needs it. See docs/troubleshooting.md.`
  );
}

/**
 * Plan stops: the tenant's service principal of an API publishes a delegated scope under another
 * ID than the one requested. `found` is an HCL expression for the published ID.
 */
export function scopeIdMismatchMessage(
  api: string,
  scope: string,
  expected: string,
  found: string,
  requesters: readonly string[],
): string {
  return (
    `${requesters.join(', ')} request${requesters.length === 1 ? 's' : ''} ${api} delegated scope ${scope} with ID ${expected}, ` +
    `but this tenant's ${api} publishes ${scope} with ID \${${found}}. Nothing was changed. ` +
    `Expected the published ID: correct it where the scope is requested (permissions/*.json, or addPermissions), ` +
    `or remove the scope (removePermissions), then plan again. See docs/troubleshooting.md.`
  );
}

/** A Nango field whose name says it holds a secret. */
export function nangoFieldSecret(field: string, name: string): KindoConfigError {
  return new KindoConfigError(
    'NANGO_FIELD_SECRET',
    `\`${field}\` has a field named ${show(name)}, which names a secret (secret, password, key, token or credential); Nango fields are stored in the integration's \`custom\` settings and shown in plans, review reports and \`verify\` output. Expected only non-secret values such as a Purview endpoint URL or a subscription ID: the client secret is registered from the app's own client secret (rotate it with \`secretRotation\`), and no other secret belongs in Nango's integration settings`,
  );
}

/** A Nango field name outside the accepted form, or one that Nango reads itself. */
export function nangoFieldNameInvalid(field: string, name: string, expected: string): KindoConfigError {
  return new KindoConfigError(
    'NANGO_FIELD_NAME_INVALID',
    `\`${field}\` has a field named ${show(name)}; expected ${expected}`,
  );
}

/** A Nango field value that does not have the form its name requires. */
export function nangoFieldInvalid(field: string, value: string, expected: string): KindoConfigError {
  return new KindoConfigError('NANGO_FIELD_INVALID', `\`${field}\` is ${show(value)}; expected ${expected}`);
}

/** `verify` could not read Terraform's state. */
export function verifyStateUnreadable(dir: string, reason: string): KindoConfigError {
  return new KindoConfigError(
    'VERIFY_STATE_UNREADABLE',
    `cannot read Terraform's state in ${show(dir)}: ${reason}; expected a stack directory after \`terraform apply\` (e.g. cdktf.out/stacks/<stack>, where \`terraform show -json\` works), or --state with the output of \`terraform show -json\``,
  );
}

/** `verify` found no Nango registration in Terraform's state. */
export function verifyNothingRegistered(source: string): KindoConfigError {
  return new KindoConfigError(
    'VERIFY_NOTHING_REGISTERED',
    `Terraform's state in ${show(source)} holds no Nango registration (NangoRegistration's Sync resource); expected the state of a stack after \`terraform apply\`: run verify in that stack's directory`,
  );
}

/** `verify` has no Nango secret key to read Nango with. */
export function verifyNoSecretKey(): KindoConfigError {
  return new KindoConfigError(
    'VERIFY_NO_SECRET_KEY',
    'no Nango secret key in the environment; expected NANGO_SECRET_KEY (or TF_VAR_nango_secret_key, as for apply) to hold the secret key of the environment the integrations are registered in. It is never taken from the command line, where other users and shell history would see it',
  );
}

/** `verify` could not use Nango's answer. */
export function verifyNangoFailed(request: string, problem: string): KindoConfigError {
  return new KindoConfigError('VERIFY_NANGO_FAILED', `${request}: ${problem}`);
}

/** Plan stops: groups are allowed to connect while assignment is not required (values known only at plan). */
export function groupsWithoutAssignmentMessage(who: string): string {
  return (
    `${who}: allowed groups are set but assignment is not required, so every user of the tenant may connect and the list restricts nobody. ` +
    `Nothing was changed. Expected requireAssignment (require_assignment) true with the groups, or no groups.`
  );
}

// --- Adopting app registrations made by hand (src/constructs/existing-app-import.ts, src/cli/adopt-command.ts) ---

/** Both an object ID and a client ID name the app registration to adopt. */
export function adoptionConflict(integration: string, objectId: string, clientId: string): KindoConfigError {
  return new KindoConfigError(
    'ADOPTION_CONFLICT',
    `integration '${integration}' names the app registration to adopt twice: \`existingApplicationObjectId\` is ${show(objectId)} and \`existingApplicationClientId\` is ${show(clientId)}; expected one of the two`,
  );
}

/**
 * An adopted delegated app without a decision on its Nango integration. Whoever set the app up by hand
 * from the guide also created its Nango integration (step 4), which apply refuses to touch unless taken over.
 */
export function adoptedAppWithoutNangoDecision(integration: string, field: string, fix: string): KindoConfigError {
  return new KindoConfigError(
    'ADOPTED_APP_WITHOUT_NANGO_DECISION',
    `integration '${integration}' adopts an app registration made by hand but \`${field}\` does not say whether its Nango integration, made by hand with it, is taken over; expected ${fix} (docs/adopting.md)`,
  );
}

/** The default stack's adoption file (KINDO_EXISTING_APPS) that cannot be read or has the wrong shape. */
export function adoptionFileInvalid(env: string, path: string, reason: string): KindoConfigError {
  return new KindoConfigError(
    'ADOPTION_FILE_INVALID',
    `${env} names ${show(path)}, which ${reason}; expected the JSON that \`kindo-microsoft-integrations adopt --format json\` prints: { "adoptExistingNangoIntegrations": [...], "existingApps": {...} }, optionally with "nangoUniqueKeys"`,
  );
}

/** Input to the `adopt` command that is not the JSON of the `az` commands it prints. */
export function adoptInputInvalid(source: string, reason: string): KindoConfigError {
  return new KindoConfigError(
    'ADOPT_INPUT_INVALID',
    `cannot read ${show(source)} (${reason}); expected the JSON output of the \`az\` commands that \`kindo-microsoft-integrations adopt\` prints without --input, as one file or piped in (--input -)`,
  );
}

/** Several hand-made app registrations fit one integration: the operator picks one. */
export function adoptAmbiguous(integration: string, candidates: readonly string[]): KindoConfigError {
  return new KindoConfigError(
    'ADOPT_AMBIGUOUS',
    `integration '${integration}' matches ${candidates.length} app registrations (${candidates.join('; ')}); expected one: pass --app ${integration}=<client id> for the one Kindo's Nango integration uses (its Client ID in the Nango dashboard)`,
  );
}
