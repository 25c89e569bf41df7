import { Application } from '@cdktf/provider-azuread/lib/application';
import type { Construct } from 'constructs';
import type { CatalogApi, IntegrationDefinition } from '../catalog/catalog';
import type { PermissionDeviation } from '../catalog/permission-changes';
import { perStack } from '../core/per-stack';
import { integrationNotes } from '../core/review-contract';
import { literal } from '../core/terraform-literal';
import {
  baseUrl,
  checkPattern,
  checkServiceUrl,
  isToken,
  lowerGuid,
  lowerGuids,
  missingSetting,
  notOneOf,
  settingNotApplicable,
} from '../core/validate';
import { GRAPH } from './admin-consent';
import {
  DEFAULT_NANGO_SERVER_URL,
  type MicrosoftIntegrationAppProps,
  SignInAudience,
} from './microsoft-integration-app-props';

// Steps 1, 2, 5 and 6 of Kindo's guide: the app registration's settings, checked, and the app
// registration itself (docs/entra-apps.md).

const DEFAULT_NAME_PREFIX = 'Kindo - ';
const NAME_PREFIX = /^[^\n]{0,60}$/;
// host,port: a DNS name, a comma, a TCP port.
const FABRIC_SQL_ENDPOINT =
  /^(?=.{1,253},)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*,([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$/;
const FABRIC_DATABASE = /^[^\s\][;'"]([^\][;'"]{0,126}[^\s\][;'"])?$/;
const NANGO_ONLY = ['nangoUniqueKey', 'nangoProvider', 'adoptExistingNangoIntegration', 'nangoFields'] as const;

/** Where the app's users sign in through Nango, checked. */
export interface NangoSettings {
  readonly serverUrl: string;
  /** As Terraform must receive it: a literal is escaped (see `literal`). */
  readonly callbackUrl: string;
  readonly secretKey: string;
  readonly environment?: string;
}

/** The app registration's own settings, checked: IDs in lower case, the display name as Terraform must receive it. */
export interface RegistrationSettings {
  readonly audience: SignInAudience;
  readonly displayName: string;
  readonly owners?: readonly string[];
  readonly tenantId?: string;
}

/** Refuses settings the integration does not take: Nango's for client credentials, Fabric's elsewhere, permission changes for client credentials. */
export function validateApplicableSettings(
  props: MicrosoftIntegrationAppProps,
  definition: IntegrationDefinition,
): void {
  const id = definition.id;
  if (definition.authFlow !== 'delegated') {
    const nango = NANGO_ONLY.find((k) => props[k] !== undefined);
    if (nango) throw settingNotApplicable(nango, id, 'which is not registered with Nango (client credentials)');
    const change = props.removePermissions?.length ? 'removePermissions' : 'addPermissions';
    if (props[change]?.length)
      throw settingNotApplicable(
        change,
        id,
        'which signs in with client credentials, where delegated permissions do not apply',
      );
  }
  if (id !== 'fabric') {
    const fabric = props.fabricSqlEndpointHost !== undefined ? 'fabricSqlEndpointHost' : 'fabricLakehouseDatabase';
    if (props[fabric] !== undefined) throw settingNotApplicable(fabric, id, 'which is not Microsoft Fabric');
  }
}

/** Checks Fabric's form values: `host,port`, and a database name. */
export function validateFabricSettings(props: MicrosoftIntegrationAppProps): void {
  if (props.fabricSqlEndpointHost !== undefined)
    checkPattern(
      'fabricSqlEndpointHost',
      props.fabricSqlEndpointHost,
      FABRIC_SQL_ENDPOINT,
      "host,port, e.g. 'foo.datawarehouse.fabric.microsoft.com,1433'",
    );
  if (props.fabricLakehouseDatabase !== undefined)
    checkPattern(
      'fabricLakehouseDatabase',
      props.fabricLakehouseDatabase,
      FABRIC_DATABASE,
      'a database name of 1 to 128 characters without brackets, quotes or semicolons',
    );
}

/** Checks the audience, name prefix, owners and tenant; the display name comes back escaped, the IDs in lower case. */
export function validateRegistration(
  props: MicrosoftIntegrationAppProps,
  definition: IntegrationDefinition,
): RegistrationSettings {
  const audience = props.signInAudience ?? SignInAudience.SINGLE_TENANT;
  const audiences: string[] = Object.values(SignInAudience);
  if (!audiences.includes(audience)) throw notOneOf('signInAudience', audience, audiences);
  const prefix = props.namePrefix ?? DEFAULT_NAME_PREFIX;
  checkPattern('namePrefix', prefix, NAME_PREFIX, 'at most 60 characters on one line');
  return {
    audience,
    // Escaped whole where both parts are literal, so that no `$` and `{` meet across the join unescaped.
    displayName: isToken(prefix) ? prefix + literal(definition.displayName) : literal(prefix + definition.displayName),
    owners: props.owners && lowerGuids('owners', props.owners),
    tenantId: props.tenantId === undefined ? undefined : lowerGuid('tenantId', props.tenantId),
  };
}

/** The Nango settings of a delegated integration, checked; undefined for client credentials. */
export function nangoSettings(
  scope: Construct,
  props: MicrosoftIntegrationAppProps,
  definition: IntegrationDefinition,
): NangoSettings | undefined {
  if (definition.authFlow !== 'delegated') return undefined;
  if (!props.nango) throw missingSetting('nango', `integration '${definition.id}' signs users in through Nango`);
  const serverUrl = props.nango.serverUrl ?? DEFAULT_NANGO_SERVER_URL;
  checkServiceUrl('nango.serverUrl', serverUrl);
  // Entra compares redirect URIs exactly, so a given callback URL is kept as it is.
  const callbackUrl =
    props.nango.callbackUrl ?? `${perStack(scope, `baseUrl:${serverUrl}`, () => baseUrl(serverUrl))}/oauth/callback`;
  checkServiceUrl('nango.callbackUrl', callbackUrl);
  return {
    serverUrl,
    callbackUrl: literal(callbackUrl),
    secretKey: props.nango.secretKey,
    environment: props.nango.environment,
  };
}

/** The guide's "keep a record of which Kindo integration uses each app registration", and any deviation from its list. */
export function appNotes(definition: IntegrationDefinition, deviations: readonly PermissionDeviation[]): string {
  const base = `${integrationNotes(definition.id, definition.displayName)}, managed by Terraform with kindo-microsoft-integrations.`;
  const list = deviations
    .map((d) => `${d.change === 'added' ? '+' : '-'}${d.api === GRAPH ? '' : `${d.api}/`}${d.permission}`)
    .join(' ');
  // Entra keeps at most 1024 characters of notes: cut before escaping, which Terraform undoes.
  return literal(
    deviations.length === 0
      ? `${base} Permissions as in Kindo's guide.`
      : `${base} Deviates from Kindo's guide: ${list}`.slice(0, 1024),
  );
}

/** What the app registration is made of. */
export interface ApplicationArgs {
  readonly settings: RegistrationSettings;
  readonly owners: string[];
  readonly notes: string;
  readonly apis: readonly CatalogApi[];
  readonly nango?: NangoSettings;
  readonly preventDuplicateNames?: boolean;
}

/** The app registration: delegated permissions only (`type = "Scope"`), Nango's callback as its Web redirect URI. */
export function registerApplication(scope: Construct, args: ApplicationArgs): Application {
  return new Application(scope, 'Application', {
    displayName: args.settings.displayName,
    preventDuplicateNames: args.preventDuplicateNames ?? true,
    signInAudience: args.settings.audience,
    owners: args.owners,
    notes: args.notes,
    web: args.nango ? { redirectUris: [args.nango.callbackUrl] } : undefined,
    requiredResourceAccess: args.apis.map((api) => ({
      resourceAppId: api.resourceAppId,
      resourceAccess: api.permissions.map((p) => ({ id: p.id, type: 'Scope' })),
    })),
  });
}
