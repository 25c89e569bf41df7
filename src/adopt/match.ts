import { catalog, type CatalogApi, type IntegrationDefinition, type IntegrationId } from '../catalog/catalog';
import { KindoConfigError } from '../core/errors';
import type { AzApplication, AzObjects, AzServicePrincipal } from './az-output';
import { differences } from './differences';
import { show } from '../core/errors';

// Matching the chosen integrations to app registrations made by hand from Kindo's guide.

/** One integration's hand-made app, as found. */
export interface FoundApp {
  readonly integration: IntegrationId;
  readonly objectId: string;
  readonly clientId: string;
  readonly displayName: string;
  readonly servicePrincipalObjectId?: string;
  /** Admin consent grants (consentType AllPrincipals) by the catalog's API name. */
  readonly grantIds: Readonly<Record<string, string>>;
  readonly secrets: readonly { readonly keyId: string; readonly expires?: string; readonly description?: string }[];
  /** What the first apply will change, in the operator's words. */
  readonly notes: readonly string[];
}

/** The outcome for the chosen integrations. */
export interface AdoptionMatch {
  readonly found: readonly FoundApp[];
  /** Integrations for which no hand-made app was found: the stack creates theirs. */
  readonly missing: readonly IntegrationId[];
  /** Apps that carry the Nango callback but no integration's name. */
  readonly unassigned: readonly { readonly displayName: string; readonly clientId: string }[];
}

/** How the command was asked to match. */
export interface MatchOptions {
  readonly namePrefix: string;
  readonly callbackUrl: string;
  /** Integration → client ID (or object ID) of the app to adopt, in lower case. */
  readonly picks: Readonly<Partial<Record<IntegrationId, string>>>;
}

/** Several hand-made app registrations fit one integration: the operator picks one. */
export function adoptAmbiguous(integration: string, candidates: readonly AzApplication[]): KindoConfigError {
  const listed = candidates.map((c) => `${show(c.displayName, 60)} (client ID ${c.appId})`).join('; ');
  return new KindoConfigError(
    'ADOPT_AMBIGUOUS',
    `integration '${integration}' matches ${candidates.length} app registrations: ${listed}; expected one: pass --app ${integration}=<client ID of the one Nango uses>`,
    'docs/adopting.md#2-turn-it-into-settings',
  );
}

/**
 * Tenant-wide grants (consentType AllPrincipals: the portal's "Grant admin consent") of a service
 * principal, by the catalog API each is for; grants on APIs the definition does not use are passed over.
 */
export function tenantWideGrants(
  objects: AzObjects,
  servicePrincipalId: string,
  definition: IntegrationDefinition,
): { api: CatalogApi; scope: string; id: string }[] {
  const apiByAppId = new Map(definition.apis.map((a) => [a.resourceAppId.toLowerCase(), a] as const));
  return objects.grants
    .filter((g) => g.clientId === servicePrincipalId && g.consentType === 'AllPrincipals')
    .flatMap((g) => {
      const resource = objects.servicePrincipals.find((s) => s.id === g.resourceId);
      const api = resource ? apiByAppId.get(resource.appId) : undefined;
      return api ? [{ api, scope: g.scope, id: g.id }] : [];
    });
}

function found(
  integration: IntegrationId,
  app: AzApplication,
  sp: AzServicePrincipal | undefined,
  objects: AzObjects,
  callbackUrl: string,
): FoundApp {
  const definition = catalog()[integration];
  const delegated = definition.authFlow === 'delegated';
  const grants = sp && delegated ? tenantWideGrants(objects, sp.id, definition) : [];
  return {
    integration,
    objectId: app.id,
    clientId: app.appId,
    displayName: app.displayName,
    servicePrincipalObjectId: sp?.id,
    grantIds: Object.fromEntries(grants.map((g) => [g.api.name, g.id])),
    // passwordCredentials never carry the secret's value in list output (secretText is null); the hint is left out too.
    secrets: app.passwordCredentials.map((p) => ({
      keyId: p.keyId,
      ...(p.endDateTime ? { expires: p.endDateTime } : {}),
      // The adoption file takes descriptions of at most 1024 characters (adoption-file.schema.json).
      ...(p.displayName ? { description: p.displayName.slice(0, 1024) } : {}),
    })),
    notes: [
      ...(sp ? [] : ['no service principal yet: the stack creates it']),
      ...differences(definition, app, callbackUrl, grants),
    ],
  };
}

/**
 * Matches the chosen integrations to hand-made apps: by the guide's display name first, then by an
 * explicit `picks` entry (integration → client ID). Several apps of one name need a pick.
 */
export function matchApps(
  objects: AzObjects,
  integrations: readonly IntegrationId[],
  options: MatchOptions,
): AdoptionMatch {
  const used = new Set<string>();
  const result: FoundApp[] = [];
  const missing: IntegrationId[] = [];
  for (const integration of integrations) {
    const pick = options.picks[integration];
    const name = `${options.namePrefix}${catalog()[integration].displayName}`;
    const candidates = objects.applications.filter((a) =>
      pick ? a.appId === pick || a.id === pick : a.displayName === name,
    );
    if (candidates.length > 1) throw adoptAmbiguous(integration, candidates);
    const app = candidates[0];
    if (!app) {
      missing.push(integration);
      continue;
    }
    used.add(app.appId);
    const sp = objects.servicePrincipals.find((s) => s.appId === app.appId);
    result.push(found(integration, app, sp, objects, options.callbackUrl));
  }
  const unassigned = objects.applications
    .filter((a) => !used.has(a.appId))
    .map((a) => ({ displayName: a.displayName, clientId: a.appId }));
  return { found: result, missing, unassigned };
}
