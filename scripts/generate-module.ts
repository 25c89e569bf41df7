import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { getProviders } from '@nangohq/providers';
import { App, Fn, TerraformOutput, TerraformStack, TerraformVariable, Token, type TerraformVariableValidationConfig } from 'cdktf';
import { INTEGRATION_IDS, catalog, type IntegrationId } from '../src/catalog/catalog';
import { moduleBlockUnsupported, moduleElementOutsideIntegration, moduleElementHasMetaArgument } from '../src/core/errors';
import { KindoMicrosoftIntegrations } from '../src/constructs/kindo-microsoft-integrations';
import { DEFAULT_NANGO_SERVER_URL } from '../src/constructs/microsoft-integration-app';
import { NANGO_UNIQUE_KEY_PATTERN } from '../src/nango/nango-registration';
import { MIN_JUSTIFICATION, SCOPE_NAME } from '../src/catalog/effective-permissions';
import { checkNangoProvider } from '../src/nango/nango-providers';
import { clientConfig } from '../src/constructs/stack-lookups';

// The plain Terraform module in module/ is the cdktf constructs synthesized once with every
// integration and with Terraform variables for all inputs, then made selectable: each resource is
// keyed by its integration id (for_each), so enabling or disabling an integration plans exactly that
// integration's objects. Nothing here describes a resource; those come from the constructs.

const ROOT = join(__dirname, '..');
/** The committed module; `source = "git::<repo>//module?ref=<tag>"`. */
export const MODULE_DIR = join(ROOT, 'module');
/** A complete root configuration that uses the module by relative path. */
export const EXAMPLE_DIR = join(ROOT, 'examples', 'basic');

const STACK_ID = 'module';
const CONSTRUCT_ID = 'Kindo';
const DELEGATED = INTEGRATION_IDS.filter((id) => catalog()[id].authFlow === 'delegated');
// Validation conditions that refer to other variables need Terraform 1.9.
const REQUIRED_TERRAFORM = '>= 1.9';
const GUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
// Terraform's regex (RE2) has no lookahead, so the host's 253-character limit is a separate length check.
const FABRIC_HOST = '^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$';
const TCP_PORT = '^([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$';
const FABRIC_DATABASE = '^[^\\s\\][;\'"]([^\\][;\'"]{0,126}[^\\s\\][;\'"])?$';
const SERVICE_URL = '^(https://[^/?#@]+|http://(127\\.0\\.0\\.1|localhost|\\[::1\\])(:[0-9]+)?)(/[^?#]*)?$';
const GRANT = 'azuread_service_principal_delegated_permission_grant';
// Resources the constructs create only when a synth-time prop says so; with a variable in its place
// they are always synthesized, so the module gates them on that variable instead.
const GATED_BY: Readonly<Record<string, string>> = {
  [GRANT]: 'var.admin_consent',
};
// What src/constructs/microsoft-integration-app.ts writes when permissions change, which the module's expressions
// reproduce: Nango's scopes (offline_access, then Microsoft Graph's) and the app's notes. The synth has
// no changes, so its notes end with GUIDE_NOTE. test/module.test.ts compares both for the same input.
const GRAPH = 'Microsoft Graph';
const NANGO_FIRST_SCOPE = 'offline_access';
const GUIDE_NOTE = " Permissions as in Kindo's guide.";
const DEVIATION_NOTE = " Deviates from Kindo's guide: ";
const NOTES_MAX_LENGTH = 1024;

const hcl = (value: unknown): string => JSON.stringify(value);
const list = (values: readonly string[]): string => `[${values.map(hcl).join(', ')}]`;
const rule = (condition: string, errorMessage: string): TerraformVariableValidationConfig => ({ condition: `\${${condition}}`, errorMessage });

/** Nango's unique key and provider for each delegated integration, as the constructs default them. */
function constructDefaults(): { uniqueKeys: Record<string, string>; providers: Record<string, string> } {
  const stack = new TerraformStack(new App(), 'defaults');
  const secretKey = new TerraformVariable(stack, 'nango_secret_key', { type: 'string' }).stringValue;
  const kindo = new KindoMicrosoftIntegrations(stack, CONSTRUCT_ID, { integrations: INTEGRATION_IDS, nango: { secretKey } });
  const registered = kindo.apps.flatMap((a) => (a.nangoRegistration ? [[a.definition.id, a.nangoRegistration] as const] : []));
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
function moduleStack(app: App): TerraformStack {
  const stack = new TerraformStack(app, STACK_ID);
  // Only for cdktf's synth-time checks; the provider block is not part of the module.
  new AzureadProvider(stack, 'azuread', {});
  const defaults = constructDefaults();
  const providers = acceptedNangoProviders();
  const variable = (name: string, config: ConstructorParameters<typeof TerraformVariable>[2]) => new TerraformVariable(stack, name, config);
  const keyRules = (input: string, what: string, whose = 'integrations registered with Nango'): TerraformVariableValidationConfig[] => [
    rule(
      `length(setsubtract(keys(var.${input}), ${list(DELEGATED)})) == 0`,
      `${input} has entries for \${join(", ", setsubtract(keys(var.${input}), ${list(DELEGATED)}))}; expected ${what} only for ${whose}: ${DELEGATED.join(', ')}.`,
    ),
    rule(
      `length(setsubtract(keys(var.${input}), var.integrations)) == 0`,
      `${input} has entries for \${join(", ", setsubtract(keys(var.${input}), var.integrations))}, which are not in integrations; expected entries only for enabled integrations.`,
    ),
  ];

  variable('integrations', {
    type: 'set(string)',
    nullable: false,
    description: `Kindo Microsoft integrations to set up, by id; each gets its own Entra ID app registration. Any of: ${INTEGRATION_IDS.join(', ')}.`,
    validation: [
      rule('length(var.integrations) > 0', 'integrations is empty; expected at least one integration id, e.g. ["teams"].'),
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
    description: 'OAuth callback URL that Nango shows in its integration setup; becomes the apps\' Web redirect URI. Default: "<nango_server_url>/oauth/callback".',
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
    description: 'Nango secret key of the environment the integrations are registered in (Nango dashboard > Environment Settings).',
    validation: [rule('length(var.nango_secret_key) > 0', 'nango_secret_key is empty; expected the secret key of your Nango environment.')],
  });
  const namePrefix = variable('name_prefix', {
    type: 'string',
    nullable: false,
    default: 'Kindo - ',
    description: 'Text put before each integration\'s name to form its app registration\'s display name, e.g. "Kindo - Microsoft Teams".',
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
  const rotation = variable('secret_rotation', {
    type: 'string',
    nullable: false,
    default: '',
    description: 'Any value; changing it rotates every client secret. Each new secret is created and pushed to Nango before the old one is deleted.',
  });
  const owners = variable('owners', {
    type: 'list(string)',
    nullable: false,
    default: [],
    description: 'Object IDs of the users or service principals that own the app registrations and their service principals. Empty: the identity Terraform runs as.',
    validation: [
      rule(
        `alltrue([for o in var.owners : can(regex(${hcl(GUID)}, o))])`,
        `owners has \${join(", ", [for o in var.owners : o if !can(regex(${hcl(GUID)}, o))])}; expected object IDs (GUIDs) such as "00000000-0000-0000-0000-000000000000".`,
      ),
    ],
  });
  variable('admin_consent', {
    type: 'bool',
    nullable: false,
    default: true,
    description: 'Grant tenant-wide admin consent for each app\'s delegated permissions (the portal\'s "Grant admin consent" button), one grant per API.',
  });
  const tenantId = variable('tenant_id', {
    type: 'string',
    default: Token.nullValue(),
    description: 'Directory (tenant) ID reported in the outputs, for Kindo\'s forms. Default: the tenant of the azuread provider.',
    validation: [
      rule(
        `var.tenant_id == null || can(regex(${hcl(GUID)}, var.tenant_id))`,
        'tenant_id is "${coalesce(var.tenant_id, "")}"; expected a GUID such as "00000000-0000-0000-0000-000000000000".',
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
        `length(distinct(values({ for id, k in merge(${toHcl(defaults.uniqueKeys)}, var.nango_unique_keys) : id => k if contains(var.integrations, id) }))) == length(setintersection(var.integrations, ${list(DELEGATED)}))`,
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
  // Permission overrides are checked per entry, against the guide lists in permissions.tf.json (from
  // the synthesized constructs); each rule lists its findings, `<input>["<id>"][<i>]… is …`, and holds
  // when there are none. Entries under keys that are not delegated integrations are the key rules' to report.
  const delegatedPermissionsOnly = 'delegated integrations (fabric signs in with client credentials, where delegated permissions do not apply)';
  const findings = (input: string, perEntry: string) =>
    `flatten([for id, entries in var.${input} : [for i, e in entries : ${perEntry}] if contains(keys(local.guide_permissions), id)])`;
  const entryRule = (input: string, perEntry: string) => rule(`length(${findings(input, perEntry)}) == 0`, `\${join("; ", ${findings(input, perEntry)})}.`);
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
      entryRule('add_permissions', finding(`!contains(${catalogApis}, e.api)`, `${addedField('api')}; expected one of the APIs the catalog knows: \${join(", ", ${catalogApis})}"`)),
      entryRule(
        'add_permissions',
        finding(
          `contains(${catalogApis}, e.api) && !contains(${guideApis}, e.api)`,
          `${addedField('api')}, which the guide list of \${id} does not use; expected one of its APIs, \${join(", ", ${guideApis})}, since the module grants admin consent only to those"`,
        ),
      ),
      entryRule('add_permissions', finding(`!can(regex(${hcl(SCOPE_NAME.source)}, e.name))`, `${addedField('name')}; expected a delegated scope name such as \\"Mail.Read\\""`)),
      entryRule('add_permissions', finding(`!can(regex(${hcl(GUID)}, e.id))`, `${addedField('id')}; expected a GUID such as \\"00000000-0000-0000-0000-000000000000\\""`)),
      entryRule(
        'add_permissions',
        finding(
          `length(trimspace(e.justification)) < ${MIN_JUSTIFICATION}`,
          `${addedField('justification')}; expected a justification of at least ${MIN_JUSTIFICATION} characters saying why the integration needs this permission beyond Kindo's guide"`,
        ),
      ),
      entryRule('add_permissions', finding('!contains(["read", "write"], e.access)', `${addedField('access')}; expected \\"read\\" or \\"write\\""`)),
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
    rule(`var.${input} == null || contains(var.integrations, "fabric")`, `${input} is set, but fabric is not in integrations; expected it only with fabric enabled.`);
  const fabricHost = variable('fabric_sql_endpoint_host', {
    type: 'string',
    default: Token.nullValue(),
    description: "Microsoft Fabric's Lakehouse SQL endpoint as host,port, passed to the fabric_connection output for Kindo's form, e.g. \"foo.datawarehouse.fabric.microsoft.com,1433\".",
    validation: [
      rule(
        `var.fabric_sql_endpoint_host == null || can(length(split(",", var.fabric_sql_endpoint_host)) == 2 && length(split(",", var.fabric_sql_endpoint_host)[0]) <= 253 && regex(${hcl(FABRIC_HOST)}, split(",", var.fabric_sql_endpoint_host)[0]) != "" && regex(${hcl(TCP_PORT)}, split(",", var.fabric_sql_endpoint_host)[1]) != "")`,
        'fabric_sql_endpoint_host is "${coalesce(var.fabric_sql_endpoint_host, "")}"; expected host,port, e.g. "foo.datawarehouse.fabric.microsoft.com,1433".',
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
        'fabric_lakehouse_database is "${coalesce(var.fabric_lakehouse_database, "")}"; expected a database name of 1 to 128 characters without brackets, quotes or semicolons.',
      ),
      fabricOnly('fabric_lakehouse_database'),
    ],
  });

  // Outputs share their names with inputs (`integrations`), so their construct ids differ from their names.
  const output = (name: string, config: ConstructorParameters<typeof TerraformOutput>[2]) =>
    new TerraformOutput(stack, `output_${name}`, config).overrideLogicalId(name);
  const config = clientConfig(stack);
  const byId = <T>(ids: readonly string[], value: (id: string) => T) => Object.fromEntries(ids.map((id) => [id, value(id)]));
  const kindo = new KindoMicrosoftIntegrations(stack, CONSTRUCT_ID, {
    integrations: INTEGRATION_IDS,
    nango: {
      serverUrl: serverUrl.stringValue,
      callbackUrl: Token.asString(Fn.coalesce([callbackUrl.stringValue, `${Fn.trimsuffix(serverUrl.stringValue, '/')}/oauth/callback`])),
      secretKey: secretKey.stringValue,
    },
    namePrefix: namePrefix.stringValue,
    secretLifetimeDays: lifetime.numberValue,
    secretRotation: rotation.stringValue,
    owners: Token.asList(Fn.coalescelist([owners.listValue, [config.objectId]])),
    tenantId: Token.asString(Fn.coalesce([tenantId.stringValue, config.tenantId])),
    // A check block cannot take for_each, so the module has neither the drift check nor the
    // secret expiry warning (see the README).
    secretExpiryWarningDays: 0,
    nangoUniqueKeys: byId(DELEGATED, (id) => Token.asString(Fn.lookup(uniqueKeys.value, id, defaults.uniqueKeys[id]))),
    nangoProviders: byId(DELEGATED, (id) => Token.asString(Fn.lookup(providerKeys.value, id, defaults.providers[id]))),
    fabricSqlEndpointHost: fabricHost.stringValue,
    fabricLakehouseDatabase: fabricDatabase.stringValue,
  });
  output('integrations', {
    description: 'Per enabled integration id: client ID, object IDs, redirect URI and Nango registration, for Kindo and Nango.',
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
    description: "Values for Kindo's Microsoft Fabric connection form when fabric is enabled, else null; the client secret is client_secrets[\"fabric\"].",
    value: {
      tenant_id: fabric.tenantId,
      client_id: fabric.clientId,
      sql_endpoint_host: fabric.fabricSqlEndpointHost,
      lakehouse_database: fabric.fabricLakehouseDatabase,
    },
  });
  return stack;
}

type Body = Record<string, unknown>;
type Blocks = Record<string, Record<string, Body>>;
interface Synthesized {
  readonly resource: Blocks;
  readonly data: Blocks;
  readonly variable: Record<string, Body>;
  readonly output: Record<string, Body>;
  readonly terraform: { required_providers: Record<string, { source: string; version: string }> };
}

/** Synthesizes the constructs as the module's source: every integration, every input a variable. */
export function synthesizeConstructs(): { config: Synthesized; dir: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'kindo-module-'));
  const app = new App({ outdir, skipValidation: false });
  moduleStack(app);
  app.synth();
  const dir = join(outdir, 'stacks', STACK_ID);
  return { config: JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) as Synthesized, dir };
}

interface Element {
  readonly kind: 'resource' | 'data';
  readonly type: string;
  readonly uniqueId: string;
  readonly name: string;
  /** The integration the element belongs to; undefined for lookups that integrations share. */
  readonly integration?: IntegrationId;
  readonly body: Body;
}

const snake = (segment: string) => segment.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Maps a JSON value through `f` at every string. */
function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)]));
  return value;
}

/**
 * The expression of a template that is one interpolation and nothing else, e.g. `${a.b}` → `a.b`;
 * undefined for any other string. Follows nested quoted templates, so braces in them do not count.
 */
function soleInterpolation(template: string): string | undefined {
  if (!template.startsWith('${')) return undefined;
  // Each entry: an expression with its count of open braces, or a quoted string.
  const stack: ({ braces: number } | 'string')[] = [{ braces: 0 }];
  for (let i = 2; i < template.length; i++) {
    const top = stack[stack.length - 1];
    const c = template[i];
    if (top === 'string') {
      if (c === '\\') i++;
      else if (c === '"') stack.pop();
      else if (c === '$' && template[i + 1] === '{') (stack.push({ braces: 0 }), i++);
    } else if (c === '"') stack.push('string');
    else if (c === '{') top.braces++;
    else if (c === '}' && top.braces > 0) top.braces--;
    else if (c === '}') {
      stack.pop();
      if (stack.length === 0) return i === template.length - 1 ? template.slice(2, -1) : undefined;
    }
  }
  return undefined;
}

/** A JSON value of the synthesized configuration as one HCL expression; other strings stay templates. */
function toHcl(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(toHcl).join(', ')}]`;
  if (value !== null && typeof value === 'object') return `{ ${Object.entries(value).map(([k, v]) => `${hcl(k)} = ${toHcl(v)}`).join(', ')} }`;
  return (typeof value === 'string' ? soleInterpolation(value) : undefined) ?? hcl(value);
}

/** Integrations whose objects read a shared lookup under the same gate and condition. */
interface UserGroup {
  readonly gate?: string;
  /** The condition for an integration id given as an HCL expression. */
  readonly condition?: (integration: string) => string;
  readonly ids: Set<string>;
}

const enabled = (id: string) => `contains(var.integrations, ${hcl(id)})`;

/** One delegated permission of Kindo's guide list, as the constructs request it. */
interface GuidePermission {
  readonly api: string;
  readonly resource_app_id: string;
  readonly name: string;
  readonly id: string;
}
interface ResourceAccess {
  readonly resource_app_id: string;
  readonly resource_access: readonly { readonly id: string }[];
}

// The synth names an API by its application ID only; the overrides name it as the catalog does.
const API_NAMES = new Map(Object.values(catalog()).flatMap((d) => d.apis.map((a) => [a.resourceAppId, a.name] as const)));

/**
 * Makes each delegated integration's permissions follow `remove_permissions` and `add_permissions`:
 * the guide lists the constructs synthesized become locals, from which the app's
 * required_resource_access and notes, its consent grants and its Nango scopes are computed as the
 * constructs compute them from `removePermissions` and `addPermissions`. Returns the locals, the
 * rewritten bodies, and per grant the condition, for an integration id expression, that its API has scopes left.
 */
function permissionOverrides(
  elements: readonly Element[],
  referenced: (value: unknown) => Element[],
): { locals: Body; bodies: Map<Element, Body>; conditions: Map<Element, (integration: string) => string> } {
  const bodies = new Map<Element, Body>();
  const conditions = new Map<Element, (integration: string) => string>();
  const guide: Record<string, GuidePermission[]> = {};
  for (const id of DELEGATED) {
    const of = (type: string) => elements.filter((e) => e.integration === id && e.type === type);
    const local = (name: string) => `local.${name}[${hcl(id)}]`;
    // Each grant reads its API's service principal, which names the API by application ID.
    const grants = of(GRANT).map((grant) => ({ grant, resourceAppId: referenced(grant.body).find((d) => d.kind === 'data')!.body.client_id as string }));
    const [app] = of('azuread_application');
    const { required_resource_access: requested, notes, ...appBody } = app.body;
    // Scope IDs come from required_resource_access and their names from the same API's grant, in the same order.
    guide[id] = (requested as ResourceAccess[]).flatMap((r) => {
      const names = grants.find((g) => g.resourceAppId === r.resource_app_id)!.grant.body.claim_values as string[];
      return r.resource_access.map((a, i) => ({ api: API_NAMES.get(r.resource_app_id)!, resource_app_id: r.resource_app_id, name: names[i], id: a.id }));
    });
    const deviated = `${hcl((notes as string).slice(0, -GUIDE_NOTE.length) + DEVIATION_NOTE)}, join(" ", ${local('permission_deviations')})`;
    bodies.set(app, {
      ...appBody,
      notes: `\${length(${local('permission_deviations')}) == 0 ? ${hcl(notes)} : substr(join("", [${deviated}]), 0, ${NOTES_MAX_LENGTH})}`,
      dynamic: {
        required_resource_access: {
          for_each: `\${${local('resource_access')}}`,
          content: {
            resource_app_id: '${required_resource_access.key}',
            dynamic: { resource_access: { for_each: '${required_resource_access.value}', content: { id: '${resource_access.value}', type: 'Scope' } } },
          },
        },
      },
    });
    for (const { grant, resourceAppId } of grants) {
      const claims = (integration: string) => `lookup(local.claim_values[${integration}], ${hcl(API_NAMES.get(resourceAppId)!)}, [])`;
      bodies.set(grant, { ...grant.body, claim_values: `\${${claims(hcl(id))}}` });
      conditions.set(grant, (integration) => `length(${claims(integration)}) > 0`);
    }
    for (const sync of of('terraform_data')) {
      const scopes = (sync.body.triggers_replace as Body).scopes;
      if (typeof scopes !== 'string') continue;
      // The scopes are a plain value in triggers_replace and a quoted string in the request bodies.
      bodies.set(sync, mapStrings(sync.body, (s) => (s === scopes ? `\${${local('nango_scopes')}}` : s.replaceAll(hcl(scopes), local('nango_scopes')))) as Body);
    }
  }

  // As the notes name a permission: "<API>/<name>", or just the name for Microsoft Graph.
  const named = `\${p.api == ${hcl(GRAPH)} ? "" : "\${p.api}/"}\${p.name}`;
  const locals: Body = {
    guide_permissions: guide,
    // Every delegated scope the catalog names, for checking added permissions against it.
    catalog_permissions: '${distinct(flatten(values(local.guide_permissions)))}',
    removed_permissions:
      '${{ for id, guide in local.guide_permissions : id => flatten([for r in lookup(var.remove_permissions, id, []) : [for p in guide : p if contains([p.name, "${p.api}/${p.name}"], r)]]) }}',
    // Additions to APIs the integration does not use are refused by add_permissions' validation.
    added_permissions:
      '${{ for id, guide in local.guide_permissions : id => [for a in lookup(var.add_permissions, id, []) : { api = a.api, resource_app_id = one(distinct([for p in guide : p.resource_app_id if p.api == a.api])), name = a.name, id = a.id } if contains(guide[*].api, a.api)] }}',
    permissions: '${{ for id, guide in local.guide_permissions : id => concat([for p in guide : p if !contains(local.removed_permissions[id], p)], local.added_permissions[id]) }}',
    resource_access: '${{ for id, permissions in local.permissions : id => { for p in permissions : p.resource_app_id => p.id... } }}',
    claim_values: '${{ for id, permissions in local.permissions : id => { for p in permissions : p.api => p.name... } }}',
    // Nango signs users in to Microsoft Graph only; the other APIs are reached with the refresh token.
    nango_scopes: `\${{ for id, permissions in local.permissions : id => join(",", concat([${hcl(NANGO_FIRST_SCOPE)}], [for p in permissions : p.name if p.api == ${hcl(GRAPH)} && p.name != ${hcl(NANGO_FIRST_SCOPE)}])) }}`,
    permission_deviations: `\${{ for id, removed in local.removed_permissions : id => concat([for p in removed : "-${named}"], [for p in local.added_permissions[id] : "+${named}"]) }}`,
  };
  return { locals, bodies, conditions };
}

/** The synthesized constructs as a module whose integrations are switched on by `var.integrations`. */
export function transform(config: Synthesized): { main: Body; permissions: Body; variables: Body; outputs: Body; versions: Body; assets: string[] } {
  for (const key of Object.keys(config)) {
    if (!['//', 'resource', 'data', 'variable', 'output', 'provider', 'terraform'].includes(key)) throw moduleBlockUnsupported(key);
  }
  const elements: Element[] = [];
  for (const kind of ['resource', 'data'] as const) {
    for (const [type, blocks] of Object.entries(config[kind] ?? {})) {
      for (const [uniqueId, { '//': meta, ...body }] of Object.entries(blocks)) {
        const address = `${kind === 'data' ? 'data.' : ''}${type}.${uniqueId}`;
        for (const argument of ['count', 'for_each']) if (argument in body) throw moduleElementHasMetaArgument(address, argument);
        const path = (meta as { metadata: { path: string } }).metadata.path.split('/').slice(1);
        const inIntegration = path[0] === CONSTRUCT_ID && (INTEGRATION_IDS as readonly string[]).includes(path[1]);
        if (!inIntegration && (kind === 'resource' || path.length !== 1)) throw moduleElementOutsideIntegration(address, path.join('/'));
        const segments = inIntegration ? path.slice(1) : path;
        elements.push({ kind, type, uniqueId, name: segments.map(snake).join('_'), integration: inIntegration ? (path[1] as IntegrationId) : undefined, body });
      }
    }
  }
  const byAddress = new Map(elements.map((e) => [`${e.kind === 'data' ? 'data.' : ''}${e.type}.${e.uniqueId}`, e]));
  const reference = new RegExp(`(?<![\\w.-])(${[...byAddress.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|')})(?![\\w-])`, 'g');
  const addressOf = (e: Element) => `${e.kind === 'data' ? 'data.' : ''}${e.type}.${e.name}`;
  // Shared lookups are counted (0 or 1); an integration's objects are keyed by its id.
  const instance = (e: Element) => `${addressOf(e)}${e.integration ? `[${hcl(e.integration)}]` : '[0]'}`;
  const referenced = (value: unknown): Element[] => [...JSON.stringify(value).matchAll(reference)].map((m) => byAddress.get(m[1])!);
  const rewrite = (value: unknown): unknown => mapStrings(value, (s) => s.replace(reference, (address) => instance(byAddress.get(address)!)));
  const assets = new Set<string>();
  const localize = (value: unknown): unknown =>
    mapStrings(value, (s) =>
      s.replace(/\$\{path\.module\}\/(assets\/[^"\s]+\/([^/"\s]+))/g, (_, path: string, file: string) => {
        assets.add(path);
        return `\${path.module}/${file}`;
      }),
    );

  const permissions = permissionOverrides(elements, referenced);
  // When each of an integration's objects exists: its integration is enabled, its type's gate is open
  // and its own condition, if any, holds for its integration.
  const gate = (e: Element) => GATED_BY[e.type];
  const condition = (e: Element) => permissions.conditions.get(e);
  const exists = (e: Element) => [enabled(e.integration!), gate(e), condition(e)?.(hcl(e.integration!))].filter((c) => c !== undefined).join(' && ');
  // A shared lookup exists while one of the objects that read it does: per gate and condition, the integrations using it.
  const users = new Map<Element, Map<string, UserGroup>>();
  for (const e of elements.filter((x) => x.integration)) {
    for (const used of referenced(e.body)) {
      if (used.integration) continue;
      const groups = users.get(used) ?? new Map<string, UserGroup>();
      const key = `${gate(e)} ${condition(e)?.('id')}`;
      const group = groups.get(key) ?? { gate: gate(e), condition: condition(e), ids: new Set<string>() };
      group.ids.add(e.integration!);
      users.set(used, groups.set(key, group));
    }
  }

  const main: { resource: Blocks; data: Blocks } = { resource: {}, data: {} };
  for (const e of elements) {
    const { depends_on: dependsOn, ...rest } = (permissions.bodies.get(e) ?? e.body) as { depends_on?: string[] } & Body;
    const body: Body = localize(rewrite(rest)) as Body;
    // depends_on names whole resources; Terraform does not accept instance keys there.
    if (dependsOn) body.depends_on = dependsOn.map((d) => addressOf(byAddress.get(d)!));
    if (e.integration) {
      body.for_each = `\${${exists(e)} ? toset([${hcl(e.integration)}]) : toset([])}`;
    } else {
      const needed = [...(users.get(e)?.values() ?? [])].map(({ gate: g, condition: c, ids }) => {
        const selected = `setintersection(var.integrations, ${list([...ids].sort())})`;
        return [c ? `length([for id in ${selected} : id if ${c('id')}]) > 0` : `length(${selected}) > 0`, ...(g ? [g] : [])].join(' && ');
      });
      body.count = `\${${needed.length > 1 ? needed.map((n) => `(${n})`).join(' || ') : needed[0]} ? 1 : 0}`;
    }
    ((main[e.kind][e.type] ??= {}) as Record<string, Body>)[e.name] = body;
  }

  const outputs: Record<string, Body> = {};
  for (const [name, { '//': _meta, value, ...rest }] of Object.entries(config.output)) {
    const keys = value !== null && typeof value === 'object' ? Object.keys(value) : [];
    let expression: string;
    if (keys.length > 0 && keys.every((k) => (INTEGRATION_IDS as readonly string[]).includes(k))) {
      // Keyed by integration id: one entry per instance of the integration's first referenced resource.
      const parts = Object.entries(value as Record<string, unknown>).map(([id, entry]) => {
        const anchor = referenced(entry).find((r) => r.integration === id)!;
        return `{ for k, _ in ${addressOf(anchor)} : k => ${toHcl(rewrite(entry))} }`;
      });
      expression = `\${merge(${parts.join(', ')})}`;
    } else {
      const ids = [...new Set(referenced(value).flatMap((r) => (r.integration ? [r.integration] : [])))].sort();
      expression = ids.length > 0 ? `\${${ids.map(enabled).join(' && ')} ? ${toHcl(rewrite(value))} : null}` : (rewrite(value) as string);
    }
    outputs[name] = { ...rest, value: expression };
  }

  const variables = Object.fromEntries(Object.entries(config.variable).map(([name, { '//': _m, ...body }]) => [name, body]));
  const requiredProviders = Object.fromEntries(
    Object.entries(config.terraform.required_providers).map(([name, p]) => [
      name,
      { source: p.source, version: `~> ${p.version.split('.').slice(0, 2).join('.')}` },
    ]),
  );
  return {
    main,
    permissions: { locals: permissions.locals },
    variables: { variable: variables },
    outputs: { output: outputs },
    versions: { terraform: { required_version: REQUIRED_TERRAFORM, required_providers: requiredProviders } },
    assets: [...assets],
  };
}

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

function exampleModuleBlock(source: string): string[] {
  return [
    'module "kindo_microsoft_integrations" {',
    `  source = "${source}"`,
    '',
    // All of them, as the TypeScript default stack has: the same objects from three inputs.
    `  integrations     = [${INTEGRATION_IDS.map((id) => JSON.stringify(id)).join(', ')}]`,
    '  nango_server_url = "https://api.nango.dev"',
    '  nango_secret_key = var.nango_secret_key',
    '}',
  ];
}

function renderReadme(variables: Record<string, Body>, outputs: Record<string, Body>, versions: Body, source: string): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const providers = (versions.terraform as { required_providers: Record<string, { source: string; version: string }> }).required_providers;
  const lines = [
    '# Kindo Microsoft integrations: Terraform module',
    '',
    '<!-- Generated by `npm run module` from the module\'s own files; do not edit by hand. -->',
    '',
    '```hcl',
    ...exampleModuleBlock(source),
    '```',
    '',
    "Sets up Kindo's Microsoft MCP integrations: per enabled integration an Entra ID app registration with its client secret, service principal, delegated permissions, tenant-wide admin consent and, for every integration except Microsoft Fabric, its Nango registration with Nango's callback as Web redirect URI. A complete root configuration is in `examples/basic/`.",
    '',
    'This module is generated from the package\'s cdktf constructs (`npm run module`); it is not a separate implementation.',
    '',
    '- Every object is keyed by its integration id, e.g. `azuread_application.teams_application["teams"]`: removing an id from `integrations` plans the removal of that integration\'s objects only.',
    `- Providers are configured by the caller; the module requires Terraform ${(versions.terraform as { required_version: string }).required_version} and ${Object.values(providers).map((p) => `\`${p.source}\` ${p.version}`).join(', ')}. It has no provider configuration and no backend.`,
    '- Nango is called by `local-exec` provisioners (`nango-registration.sh`) during apply and destroy only, never during plan; the machine running Terraform needs a POSIX `sh`, `curl`, `awk`, `grep` and `mktemp`.',
    '- Unlike the cdktf stack, the module has no Nango drift check and no warning ahead of a client secret\'s expiry: Terraform `check` blocks cannot take `for_each`. Watch `integrations[*].secret_expires_at` instead.',
    "- Kindo's guide list of each delegated integration is in `permissions.tf.json`, taken from the constructs. `remove_permissions` and `add_permissions` change an app's required permissions, its admin consent and its Nango scopes as the constructs' `removePermissions` and `addPermissions` do, and the app's notes record each deviation. Unlike the constructs, the module adds permissions only for APIs the integration's guide list already uses: it has an admin-consent grant, and an API lookup, only for those.",
    '',
    '## Inputs',
    '',
    '| Name | Type | Default | Description |',
    '|---|---|---|---|',
    ...Object.entries(variables).map(
      ([name, v]) =>
        `| \`${name}\` | \`${cell(String(v.type))}\` | ${'default' in v ? `\`${cell(JSON.stringify(v.default))}\`` : 'required'} | ${cell(String(v.description))}${v.sensitive ? ' Sensitive.' : ''} |`,
    ),
    '',
    '## Outputs',
    '',
    '| Name | Description |',
    '|---|---|',
    ...Object.entries(outputs).map(([name, o]) => `| \`${name}\` | ${cell(String(o.description))}${o.sensitive ? ' Sensitive.' : ''} |`),
  ];
  return lines.join('\n') + '\n';
}

function renderExample(versions: Body): string {
  const providers = (versions.terraform as { required_providers: Record<string, { source: string; version: string }> }).required_providers;
  return [
    '# Generated by `npm run module`; do not edit by hand.',
    '# A complete root configuration: terraform init && TF_VAR_nango_secret_key=... terraform plan',
    'terraform {',
    `  required_version = "${(versions.terraform as { required_version: string }).required_version}"`,
    '  required_providers {',
    ...Object.entries(providers).map(([name, p]) => `    ${name} = {\n      source  = "${p.source}"\n      version = "${p.version}"\n    }`),
    '  }',
    '}',
    '',
    '# Tenant and credentials come from the environment: ARM_TENANT_ID, ARM_CLIENT_ID, OIDC or az login.',
    'provider "azuread" {}',
    '',
    'variable "nango_secret_key" {',
    '  type      = string',
    '  sensitive = true',
    '}',
    '',
    ...exampleModuleBlock('../../module'),
    '',
    'output "integrations" {',
    '  value = module.kindo_microsoft_integrations.integrations',
    '}',
    '',
    'output "client_secrets" {',
    '  value     = module.kindo_microsoft_integrations.client_secrets',
    '  sensitive = true',
    '}',
    '',
  ].join('\n');
}

/** Every generated file, by path relative to the repository root. */
export function renderModule(): Record<string, string> {
  const { config, dir } = synthesizeConstructs();
  try {
    const module = transform(config);
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const source = `git::https://github.com/<org>/kindo-microsoft-integrations.git//module?ref=v${version}`;
    const files: Record<string, string> = {
      'module/main.tf.json': json(module.main),
      'module/permissions.tf.json': json(module.permissions),
      'module/variables.tf.json': json(module.variables),
      'module/outputs.tf.json': json(module.outputs),
      'module/versions.tf.json': json(module.versions),
      'module/README.md': renderReadme(module.variables.variable as Record<string, Body>, module.outputs.output as Record<string, Body>, module.versions, source),
      'examples/basic/main.tf': renderExample(module.versions),
    };
    for (const asset of module.assets) files[`module/${asset.split('/').pop()}`] = readFileSync(join(dir, asset), 'utf8');
    return files;
  } finally {
    rmSync(join(dir, '..', '..'), { recursive: true, force: true });
  }
}

if (require.main === module) {
  const files = renderModule();
  rmSync(MODULE_DIR, { recursive: true, force: true });
  rmSync(EXAMPLE_DIR, { recursive: true, force: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(ROOT, path)), { recursive: true });
    writeFileSync(join(ROOT, path), content);
    console.log(`wrote ${path}`);
  }
}
