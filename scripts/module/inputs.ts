import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { getProviders } from '@nangohq/providers';
import {
  App,
  Fn,
  TerraformOutput,
  TerraformStack,
  TerraformVariable,
  Token,
  type TerraformVariableValidationConfig,
} from 'cdktf';
import { INTEGRATION_IDS, catalog, type IntegrationId } from '../../src/catalog/catalog';
import { KindoMicrosoftIntegrations } from '../../src/constructs/kindo-microsoft-integrations';
import { DEFAULT_NANGO_SERVER_URL } from '../../src/constructs/microsoft-integration-app';
import {
  NANGO_ENVIRONMENT_VARIABLE,
  NANGO_SECRET_KEY_ENV,
  NANGO_UNIQUE_KEY_PATTERN,
} from '../../src/nango/nango-registration';
import { MIN_JUSTIFICATION, SCOPE_NAME } from '../../src/catalog/effective-permissions';
import { checkNangoProvider } from '../../src/nango/nango-providers';
import { NANGO_FIELDS_DESCRIPTION, nangoFieldsValidation } from '../../src/nango/nango-fields';
import { clientConfig } from '../../src/constructs/stack-lookups';
import { PREVENT_DUPLICATE_NAMES_DESCRIPTION } from '../../src/constructs/kindo-microsoft-integrations-stack';
import { GRANT_ID } from '../../src/constructs/existing-app-import';
import { inline } from './hcl';
import { GUID, hcl, onlyEnabledEntries, rule } from './validation';
import { whoMayConnectInputs } from './who-may-connect';

// The module's inputs, as Terraform variables with validation blocks, and every integration built
// from them by the constructs: the stack that scripts/generate-module.ts folds into the module.

/** Construct id of the integrations in the module's stack. */
export const CONSTRUCT_ID = 'Kindo';
export const DELEGATED = INTEGRATION_IDS.filter((id) => catalog()[id].authFlow === 'delegated');
// Terraform's regex (RE2) has no lookahead, so the host's 253-character limit is a separate length check.
const FABRIC_HOST = '^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$';
const TCP_PORT = '^([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$';
const FABRIC_DATABASE = '^[^\\s\\][;\'"]([^\\][;\'"]{0,126}[^\\s\\][;\'"])?$';
const SERVICE_URL = '^(https://[^/?#@]+|http://(127\\.0\\.0\\.1|localhost|\\[::1\\])(:[0-9]+)?)(/[^?#]*)?$';

const list = (values: readonly string[]): string => `[${values.map(hcl).join(', ')}]`;

/** Nango's unique key and provider for each delegated integration, as the constructs default them. */
function constructDefaults(): { uniqueKeys: Record<string, string>; providers: Record<string, string> } {
  const stack = new TerraformStack(new App(), 'defaults');
  const secretKey = new TerraformVariable(stack, 'nango_secret_key', { type: 'string' }).stringValue;
  const kindo = new KindoMicrosoftIntegrations(stack, CONSTRUCT_ID, {
    integrations: INTEGRATION_IDS,
    nango: { secretKey },
  });
  const registered = kindo.apps.flatMap((a) =>
    a.nangoRegistration ? [[a.definition.id, a.nangoRegistration] as const] : [],
  );
  return {
    uniqueKeys: Object.fromEntries(registered.map(([id, r]) => [id, r.uniqueKey])),
    providers: Object.fromEntries(registered.map(([id, r]) => [id, r.provider])),
  };
}

/** Nango providers the constructs accept for a single-tenant app, taken from Nango's own catalog. */
function acceptedNangoProviders(): string[] {
  return Object.keys(getProviders() ?? {})
    .filter((key) => {
      try {
        checkNangoProvider('nangoProvider', key, 'AzureADMyOrg');
        return true;
      } catch {
        return false;
      }
    })
    .sort();
}

/** Declares the module's inputs and builds every integration from them; returns the stack. */
export function moduleStack(app: App, id: string): TerraformStack {
  const stack = new TerraformStack(app, id);
  // Only for cdktf's synth-time checks; the provider block is not part of the module.
  new AzureadProvider(stack, 'azuread', {});
  const defaults = constructDefaults();
  const providers = acceptedNangoProviders();
  const variable = (name: string, config: ConstructorParameters<typeof TerraformVariable>[2]) =>
    new TerraformVariable(stack, name, config);
  const keyRules = (
    input: string,
    what: string,
    whose = 'integrations registered with Nango',
  ): TerraformVariableValidationConfig[] => [
    rule(
      `length(setsubtract(keys(var.${input}), ${list(DELEGATED)})) == 0`,
      `${input} has entries for \${join(", ", setsubtract(keys(var.${input}), ${list(DELEGATED)}))}; expected ${what} only for ${whose}: ${DELEGATED.join(', ')}.`,
    ),
    onlyEnabledEntries(input),
  ];

  variable('integrations', {
    type: 'set(string)',
    nullable: false,
    description: `Kindo Microsoft integrations to set up, by id; each gets its own Entra ID app registration. Any of: ${INTEGRATION_IDS.join(', ')}.`,
    validation: [
      rule(
        'length(var.integrations) > 0',
        'integrations is empty; expected at least one integration id, e.g. ["teams"].',
      ),
      rule(
        `length(setsubtract(var.integrations, ${list(INTEGRATION_IDS)})) == 0`,
        `integrations has unknown ids: \${join(", ", setsubtract(var.integrations, ${list(INTEGRATION_IDS)}))}; expected ids from: ${INTEGRATION_IDS.join(', ')}.`,
      ),
    ],
  });
  const serverUrl = variable('nango_server_url', {
    type: 'string',
    nullable: false,
    default: DEFAULT_NANGO_SERVER_URL,
    description: 'Base URL of the Nango API of your Kindo deployment.',
    validation: [
      rule(
        `can(regex(${hcl(SERVICE_URL)}, var.nango_server_url))`,
        'nango_server_url must be an https:// URL without credentials, query or fragment (http:// only for 127.0.0.1, localhost or [::1]), e.g. "https://api.nango.dev".',
      ),
    ],
  });
  const callbackUrl = variable('nango_callback_url', {
    type: 'string',
    default: Token.nullValue(),
    description:
      'OAuth callback URL that Nango shows in its integration setup; becomes the apps\' Web redirect URI. Default: "<nango_server_url>/oauth/callback".',
    validation: [
      rule(
        `var.nango_callback_url == null || can(regex(${hcl(SERVICE_URL)}, var.nango_callback_url))`,
        'nango_callback_url must be an https:// URL without credentials, query or fragment (http:// only for 127.0.0.1, localhost or [::1]), e.g. "https://api.nango.dev/oauth/callback".',
      ),
    ],
  });
  const secretKey = variable('nango_secret_key', {
    type: 'string',
    nullable: false,
    sensitive: true,
    description: `Nango secret key of the environment the integrations are registered in (Nango dashboard > Environment Settings). Ephemeral: kept out of state and plans; destroy-time requests read it from the environment variable ${NANGO_SECRET_KEY_ENV}.`,
    validation: [
      rule(
        'length(var.nango_secret_key) > 0',
        'nango_secret_key is empty; expected the secret key of your Nango environment.',
      ),
    ],
  });
  // As the default stack's: never persisted (Terraform >= 1.10); cdktf 0.21 has no option for it.
  secretKey.addOverride('ephemeral', true);
  const environment = variable('nango_environment', NANGO_ENVIRONMENT_VARIABLE);
  const namePrefix = variable('name_prefix', {
    type: 'string',
    nullable: false,
    default: 'Kindo - ',
    description:
      'Text put before each integration\'s name to form its app registration\'s display name, e.g. "Kindo - Microsoft Teams".',
    validation: [
      rule(
        'length(var.name_prefix) <= 60 && !strcontains(var.name_prefix, "\\n")',
        'name_prefix is "${var.name_prefix}"; expected at most 60 characters on one line.',
      ),
    ],
  });
  const lifetime = variable('secret_lifetime_days', {
    type: 'number',
    nullable: false,
    default: 180,
    description: 'Lifetime of each client secret, in days (1 to 730). The expiry is fixed when the secret is created.',
    validation: [
      rule(
        'var.secret_lifetime_days == floor(var.secret_lifetime_days) && var.secret_lifetime_days >= 1 && var.secret_lifetime_days <= 730',
        'secret_lifetime_days is ${var.secret_lifetime_days}; expected a whole number of days from 1 to 730.',
      ),
    ],
  });
  const warningDays = variable('secret_expiry_warning_days', {
    type: 'number',
    nullable: false,
    default: 30,
    description:
      'Plans warn (a `check` block) when a client secret expires within this many days (0 to 730); 0 turns the warning off.',
    validation: [
      rule(
        'var.secret_expiry_warning_days == floor(var.secret_expiry_warning_days) && var.secret_expiry_warning_days >= 0 && var.secret_expiry_warning_days <= 730',
        'secret_expiry_warning_days is ${var.secret_expiry_warning_days}; expected a whole number of days from 0 to 730.',
      ),
    ],
  });
  const rotation = variable('secret_rotation', {
    type: 'string',
    nullable: false,
    default: '',
    description:
      'Any value; changing it rotates every client secret. Each new secret is created and pushed to Nango before the old one is deleted.',
  });
  const owners = variable('owners', {
    type: 'list(string)',
    nullable: false,
    default: [],
    description:
      'Object IDs of the users or service principals that own the app registrations and their service principals. The identity Terraform runs as is always added: without it, azuread removes it after creating, and under Application.ReadWrite.OwnedBy every later step fails with 403.',
    validation: [
      rule(
        `alltrue([for o in var.owners : can(regex(${hcl(GUID)}, o))])`,
        `owners has \${join(", ", [for o in var.owners : o if !can(regex(${hcl(GUID)}, o))])}; expected object IDs (GUIDs) such as "00000000-0000-0000-0000-000000000000".`,
      ),
    ],
  });
  const preventDuplicateNames = variable('prevent_duplicate_names', {
    type: 'bool',
    nullable: false,
    default: true,
    description: PREVENT_DUPLICATE_NAMES_DESCRIPTION,
  });
  variable('admin_consent', {
    type: 'bool',
    nullable: false,
    default: true,
    description:
      'Grant tenant-wide admin consent for each app\'s delegated permissions (the portal\'s "Grant admin consent" button), one grant per API.',
  });
  const tenantId = variable('tenant_id', {
    type: 'string',
    default: Token.nullValue(),
    description:
      "Directory (tenant) ID reported in the outputs, for Kindo's forms. Default: the tenant of the azuread provider.",
    validation: [
      rule(
        `var.tenant_id == null || can(regex(${hcl(GUID)}, var.tenant_id))`,
        'tenant_id is ${jsonencode(var.tenant_id)}; expected a GUID such as "00000000-0000-0000-0000-000000000000".',
      ),
    ],
  });
  const uniqueKeys = variable('nango_unique_keys', {
    type: 'map(string)',
    nullable: false,
    default: {},
    description: `Nango unique key per integration id, e.g. { teams = "teams-prod" }. Integrations left out keep the constructs' key, e.g. ${hcl(defaults.uniqueKeys.teams)} for teams.`,
    validation: [
      ...keyRules('nango_unique_keys', 'unique keys'),
      rule(
        `alltrue([for k in values(var.nango_unique_keys) : can(regex(${hcl(NANGO_UNIQUE_KEY_PATTERN.source)}, k))])`,
        'nango_unique_keys has ${jsonencode(var.nango_unique_keys)}; expected keys of 1 to 255 letters, digits or ~ : . @ _ - and spaces, e.g. "kindo-teams".',
      ),
      rule(
        `length(distinct(values({ for id, k in merge(${inline(defaults.uniqueKeys)}, var.nango_unique_keys) : id => k if contains(var.integrations, id) }))) == length(setintersection(var.integrations, ${list(DELEGATED)}))`,
        'nango_unique_keys gives two enabled integrations the same Nango unique key (${jsonencode(var.nango_unique_keys)}); expected a distinct key per integration.',
      ),
    ],
  });
  const providerKeys = variable('nango_providers', {
    type: 'map(string)',
    nullable: false,
    default: {},
    description: `Nango provider key per integration id: an OAUTH2 provider of Nango's catalog (@nangohq/providers) that signs in at the tenant's own endpoint. Integrations left out keep the constructs' provider, e.g. ${hcl(defaults.providers.teams)} for teams.`,
    validation: [
      ...keyRules('nango_providers', 'providers'),
      rule(
        `alltrue([for p in values(var.nango_providers) : contains(${list(providers)}, p)])`,
        'nango_providers has ${jsonencode(var.nango_providers)}; expected OAUTH2 providers of Nango\'s catalog (@nangohq/providers) that sign in at the tenant\'s own endpoint, e.g. "microsoft-tenant-specific", since the apps are single tenant.',
      ),
    ],
  });
  const nangoFields = variable('nango_fields', {
    type: 'map(map(string))',
    nullable: false,
    default: {},
    description: NANGO_FIELDS_DESCRIPTION,
    validation: [...keyRules('nango_fields', 'fields'), ...nangoFieldsValidation('nango_fields')],
  });
  const adoptNango = variable('adopt_existing_nango_integrations', {
    type: 'list(string)',
    nullable: false,
    default: [],
    description:
      "Ids of enabled integrations whose Nango integration exists already under its unique key, made outside this Terraform state (e.g. by hand from Kindo's guide), to take over: updated in place, its connections kept, and deleted by a destroy. Without it, apply fails on an existing integration, naming its key. Every delegated integration in existing_apps must be listed (taking over creates the integration when there is none).",
    validation: [
      rule(
        `length(setsubtract(var.adopt_existing_nango_integrations, ${list(DELEGATED)})) == 0`,
        `adopt_existing_nango_integrations has \${join(", ", setsubtract(var.adopt_existing_nango_integrations, ${list(DELEGATED)}))}; expected ids of integrations registered with Nango: ${DELEGATED.join(', ')}.`,
      ),
      rule(
        'length(setsubtract(var.adopt_existing_nango_integrations, var.integrations)) == 0',
        'adopt_existing_nango_integrations has ${join(", ", setsubtract(var.adopt_existing_nango_integrations, var.integrations))}, which are not in integrations; expected ids of enabled integrations only.',
      ),
    ],
  });
  // The module cannot import (Terraform allows `import` blocks only in the root module): the root
  // imports with for_each over the same value (module/README.md), and the module does the rest.
  const existingFindings = `flatten([for id, a in var.existing_apps : concat([for f, v in { application_object_id = a.application_object_id, service_principal_object_id = a.service_principal_object_id } : "existing_apps[\\"\${id}\\"].\${f} is \\"\${v}\\"" if v != null && !can(regex(${hcl(GUID)}, v))], [for i, s in a.client_secrets : "existing_apps[\\"\${id}\\"].client_secrets[\${i}].key_id is \\"\${s.key_id}\\"" if !can(regex(${hcl(GUID)}, s.key_id))], [for api, g in a.permission_grant_ids : "existing_apps[\\"\${id}\\"].permission_grant_ids[\\"\${api}\\"] is \\"\${g}\\"" if !can(regex(${hcl(GRANT_ID.source)}, g))])])`;
  variable('existing_apps', {
    type: 'map(object({ application_object_id = string, service_principal_object_id = optional(string), permission_grant_ids = optional(map(string), {}), client_secrets = optional(list(object({ key_id = string, expires = optional(string), description = optional(string) })), []) }))',
    nullable: false,
    default: {},
    description:
      "Per integration id, an app registration set up by hand to take over (docs/adopting.md), as `kindo-microsoft-integrations adopt --format hcl` prints it: its object ID, its service principal's object ID, its admin consent grants' IDs by API name, and its hand-made client secrets (left in place, listed in the hand_made_client_secrets output for you to delete). The import blocks go in your root module, which that command prints too: Terraform allows them nowhere else.",
    validation: [
      onlyEnabledEntries('existing_apps'),
      rule(
        `length(${existingFindings}) == 0`,
        `\${join("; ", ${existingFindings})}; expected GUIDs such as "00000000-0000-0000-0000-000000000000" for object and key IDs, and oauth2PermissionGrant ids (base64url text) for grants.`,
      ),
      rule(
        `length(setsubtract(setintersection(keys(var.existing_apps), ${list(DELEGATED)}), var.adopt_existing_nango_integrations)) == 0`,
        `existing_apps adopts \${join(", ", setsubtract(setintersection(keys(var.existing_apps), ${list(DELEGATED)}), var.adopt_existing_nango_integrations))} without saying whether the Nango integration made by hand with each is taken over; expected each in adopt_existing_nango_integrations, with nango_unique_keys giving its unique key unless it is "kindo-<id>".`,
      ),
    ],
  });
  // Permission overrides are checked per entry, against the guide lists in permissions.tf.json (from
  // the synthesized constructs); each rule lists its findings, `<input>["<id>"][<i>]… is …`, and holds
  // when there are none. Entries under keys that are not delegated integrations are the key rules' to report.
  const delegatedPermissionsOnly =
    'delegated integrations (fabric signs in with client credentials, where delegated permissions do not apply)';
  const findings = (input: string, perEntry: string) =>
    `flatten([for id, entries in var.${input} : [for i, e in entries : ${perEntry}] if contains(keys(local.guide_permissions), id)])`;
  const entryRule = (input: string, perEntry: string) =>
    rule(`length(${findings(input, perEntry)}) == 0`, `\${join("; ", ${findings(input, perEntry)})}.`);
  const finding = (condition: string, text: string) => `${condition} ? [${text}] : []`;
  const addedField = (field: string) => `"add_permissions[\\"\${id}\\"][\${i}].${field} is \\"\${e.${field}}\\"`;
  const catalogApis = 'distinct(local.catalog_permissions[*].api)';
  const guideApis = 'distinct(local.guide_permissions[id][*].api)';
  variable('remove_permissions', {
    type: 'map(list(string))',
    nullable: false,
    default: {},
    description:
      'Per integration id, permissions of Kindo\'s guide list (PERMISSIONS.md) to leave out, by name or as "<API>/<name>" where two APIs share the name, e.g. { outlook = ["Mail.Send"] }. They leave the app\'s required permissions, its admin consent and its Nango scopes; the app\'s notes record each removal.',
    validation: [
      ...keyRules('remove_permissions', 'removals', delegatedPermissionsOnly),
      entryRule(
        'remove_permissions',
        finding(
          'length([for p in local.guide_permissions[id] : p if contains([p.name, "${p.api}/${p.name}"], e)]) != 1',
          '"remove_permissions[\\"${id}\\"][${i}] is \\"${e}\\", which does not name exactly one permission of ${id}; expected one of its guide list: ${join(", ", [for p in local.guide_permissions[id] : length(' +
            guideApis +
            ') > 1 ? "${p.api}/${p.name}" : p.name])}"',
        ),
      ),
    ],
  });
  variable('add_permissions', {
    type: 'map(list(object({ api = string, name = string, id = string, justification = string, access = optional(string, "write"), admin_consent_required = optional(bool, true) })))',
    nullable: false,
    default: {},
    description:
      'Per integration id, delegated permissions beyond Kindo\'s guide list, e.g. { teams = [{ api = "Microsoft Graph", name = "Mail.Read", id = "570282fd-fa5c-430d-a7fd-fc8dc98a9dca", justification = "Kindo summarizes the channel owner\'s mail" }] }: the API by its catalog name, one the integration\'s guide list already uses (the module has one admin-consent grant per such API); the scope\'s name and ID as the API\'s service principal publishes them; why it is needed, in at least 20 characters; and, for reviewers, its access ("read" or "write") and whether it requires admin consent. They join the app\'s required permissions, its admin consent and, for Microsoft Graph, its Nango scopes; the app\'s notes record each addition.',
    validation: [
      ...keyRules('add_permissions', 'additions', delegatedPermissionsOnly),
      entryRule(
        'add_permissions',
        finding(
          `!contains(${catalogApis}, e.api)`,
          `${addedField('api')}; expected one of the APIs the catalog knows: \${join(", ", ${catalogApis})}"`,
        ),
      ),
      entryRule(
        'add_permissions',
        finding(
          `contains(${catalogApis}, e.api) && !contains(${guideApis}, e.api)`,
          `${addedField('api')}, which the guide list of \${id} does not use; expected one of its APIs, \${join(", ", ${guideApis})}, since the module grants admin consent only to those"`,
        ),
      ),
      entryRule(
        'add_permissions',
        finding(
          `!can(regex(${hcl(SCOPE_NAME.source)}, e.name))`,
          `${addedField('name')}; expected a delegated scope name such as \\"Mail.Read\\""`,
        ),
      ),
      entryRule(
        'add_permissions',
        finding(
          `!can(regex(${hcl(GUID)}, e.id))`,
          `${addedField('id')}; expected a GUID such as \\"00000000-0000-0000-0000-000000000000\\""`,
        ),
      ),
      entryRule(
        'add_permissions',
        finding(
          `length(trimspace(e.justification)) < ${MIN_JUSTIFICATION}`,
          `${addedField('justification')}; expected a justification of at least ${MIN_JUSTIFICATION} characters saying why the integration needs this permission beyond Kindo's guide"`,
        ),
      ),
      entryRule(
        'add_permissions',
        finding(
          '!contains(["read", "write"], e.access)',
          `${addedField('access')}; expected \\"read\\" or \\"write\\""`,
        ),
      ),
      entryRule(
        'add_permissions',
        `[for c in local.catalog_permissions : ${addedField('id')}, but the catalog gives \${e.api} \${e.name} the scope ID \${c.id}; expected that ID" if c.api == e.api && c.name == e.name && c.id != e.id]`,
      ),
      entryRule(
        'add_permissions',
        `[for c in local.catalog_permissions : ${addedField('name')}, but \${e.id} is \${e.api} \${c.name} in the catalog; expected that name" if c.api == e.api && c.id == e.id && c.name != e.name]`,
      ),
      entryRule(
        'add_permissions',
        finding(
          'contains(concat([for p in local.guide_permissions[id] : p.name if p.api == e.api && !contains(local.removed_permissions[id], p)], [for j, other in entries : other.name if j < i && other.api == e.api]), e.name)',
          `${addedField('name')}, which \${id} already requests; expected a permission beyond its list"`,
        ),
      ),
    ],
  });
  const fabricOnly = (input: string): TerraformVariableValidationConfig =>
    rule(
      `var.${input} == null || contains(var.integrations, "fabric")`,
      `${input} is set, but fabric is not in integrations; expected it only with fabric enabled.`,
    );
  const fabricHost = variable('fabric_sql_endpoint_host', {
    type: 'string',
    default: Token.nullValue(),
    description:
      'Microsoft Fabric\'s Lakehouse SQL endpoint as host,port, passed to the fabric_connection output for Kindo\'s form, e.g. "foo.datawarehouse.fabric.microsoft.com,1433".',
    validation: [
      rule(
        `var.fabric_sql_endpoint_host == null || can(length(split(",", var.fabric_sql_endpoint_host)) == 2 && length(split(",", var.fabric_sql_endpoint_host)[0]) <= 253 && regex(${hcl(FABRIC_HOST)}, split(",", var.fabric_sql_endpoint_host)[0]) != "" && regex(${hcl(TCP_PORT)}, split(",", var.fabric_sql_endpoint_host)[1]) != "")`,
        'fabric_sql_endpoint_host is ${jsonencode(var.fabric_sql_endpoint_host)}; expected host,port, e.g. "foo.datawarehouse.fabric.microsoft.com,1433".',
      ),
      fabricOnly('fabric_sql_endpoint_host'),
    ],
  });
  const fabricDatabase = variable('fabric_lakehouse_database', {
    type: 'string',
    default: Token.nullValue(),
    description: "Microsoft Fabric's Lakehouse database name, passed to the fabric_connection output for Kindo's form.",
    validation: [
      rule(
        `var.fabric_lakehouse_database == null || can(regex(${hcl(FABRIC_DATABASE)}, var.fabric_lakehouse_database))`,
        'fabric_lakehouse_database is ${jsonencode(var.fabric_lakehouse_database)}; expected a database name of 1 to 128 characters without brackets, quotes or semicolons.',
      ),
      fabricOnly('fabric_lakehouse_database'),
    ],
  });

  // Outputs share their names with inputs (`integrations`), so their construct ids differ from their names.
  const output = (name: string, config: ConstructorParameters<typeof TerraformOutput>[2]) =>
    new TerraformOutput(stack, `output_${name}`, config).overrideLogicalId(name);
  const config = clientConfig(stack);
  const byId = <T>(ids: readonly string[], value: (id: string) => T) =>
    Object.fromEntries(ids.map((id) => [id, value(id)]));
  const who = whoMayConnectInputs(stack, "each integration's enterprise application (service principal)");
  const kindo = new KindoMicrosoftIntegrations(stack, CONSTRUCT_ID, {
    integrations: INTEGRATION_IDS,
    ...who,
    nango: {
      serverUrl: serverUrl.stringValue,
      callbackUrl: Token.asString(
        Fn.coalesce([callbackUrl.stringValue, `${Fn.trimsuffix(serverUrl.stringValue, '/')}/oauth/callback`]),
      ),
      secretKey: secretKey.stringValue,
      environment: environment.stringValue,
    },
    namePrefix: namePrefix.stringValue,
    secretLifetimeDays: lifetime.numberValue,
    secretRotation: rotation.stringValue,
    owners: owners.listValue,
    tenantId: Token.asString(Fn.coalesce([tenantId.stringValue, config.tenantId])),
    secretExpiryWarningDays: warningDays.numberValue,
    nangoUniqueKeys: byId(DELEGATED, (id) => Token.asString(Fn.lookup(uniqueKeys.value, id, defaults.uniqueKeys[id]))),
    nangoProviders: byId(DELEGATED, (id) => Token.asString(Fn.lookup(providerKeys.value, id, defaults.providers[id]))),
    nangoFields: byId(DELEGATED, (id) => Token.asStringMap(Fn.lookup(nangoFields.value, id, {}))),
    preventDuplicateNames: Token.asAny(preventDuplicateNames.value) as unknown as boolean,
    adoptExistingNangoIntegrations: adoptNango.listValue as IntegrationId[],
    fabricSqlEndpointHost: fabricHost.stringValue,
    fabricLakehouseDatabase: fabricDatabase.stringValue,
  });
  // As the constructs do for an adopted app without its service principal's ID: the portal made one
  // at the first consent, and creating another fails.
  for (const app of kindo.apps) {
    app.servicePrincipal.addOverride(
      'use_existing',
      `\${try(var.existing_apps[${hcl(app.definition.id)}].service_principal_object_id == null, false)}`,
    );
  }
  output('hand_made_client_secrets', {
    description:
      'Per adopted integration id (existing_apps): its client secrets made by hand, left in place, with the command that deletes each once Kindo works with the new secret.',
    value:
      '${{ for id, a in var.existing_apps : id => [for s in a.client_secrets : { key_id = s.key_id, expires = s.expires, description = s.description, delete_command = "az ad app credential delete --id ${a.application_object_id} --key-id ${s.key_id}" }] if length(a.client_secrets) > 0 }}',
  });
  output('integrations', {
    description:
      'Per enabled integration id: client ID, object IDs, redirect URI and Nango registration, for Kindo and Nango.',
    value: byId(
      kindo.apps.map((a) => a.definition.id),
      (id) => {
        const app = kindo.app(id as IntegrationId)!;
        return {
          display_name: app.application.displayName,
          client_id: app.clientId,
          application_object_id: app.application.objectId,
          service_principal_object_id: app.servicePrincipal.objectId,
          secret_key_id: app.clientSecret.keyId,
          secret_expires_at: app.clientSecret.endDate,
          // Fabric has neither: it signs in with client credentials and is not registered with Nango.
          redirect_uri: app.redirectUri ?? Token.nullValue(),
          nango_unique_key: app.nangoRegistration?.uniqueKey ?? Token.nullValue(),
          nango_provider: app.nangoRegistration?.provider ?? Token.nullValue(),
          nango_fields: app.nangoRegistration?.fields ?? Token.nullValue(),
        };
      },
    ),
  });
  output('client_secrets', {
    description: 'Client secret per enabled integration id. Sensitive: read with `terraform output -json`.',
    sensitive: true,
    value: byId(
      kindo.apps.map((a) => a.definition.id),
      (id) => kindo.app(id as IntegrationId)!.clientSecret.value,
    ),
  });
  output('tenant_id', { description: 'Directory (tenant) ID of the apps.', value: kindo.apps[0].tenantId });
  const fabric = kindo.app('fabric')!;
  output('fabric_connection', {
    description:
      'Values for Kindo\'s Microsoft Fabric connection form when fabric is enabled, else null; the client secret is client_secrets["fabric"].',
    value: {
      tenant_id: fabric.tenantId,
      client_id: fabric.clientId,
      sql_endpoint_host: fabric.fabricSqlEndpointHost,
      lakehouse_database: fabric.fabricLakehouseDatabase,
    },
  });
  return stack;
}
