import { catalog, type CatalogApi, type IntegrationDefinition } from '../catalog/catalog';
import type { AzApplication } from './az-output';

// What the first apply changes on something made by hand, in the operator's words: the notes `adopt`
// prints beside each app it found.

const GRAPH = 'Microsoft Graph';

/** A permission as messages name it: `Mail.Send` for Graph, `<API>/<name>` for the others. */
const permissionName = (api: CatalogApi, name: string) => `${api.name === GRAPH ? '' : `${api.name}/`}${name}`;

/** Every scope the catalog knows, by `<resource app id>/<scope id>`, to name what a hand-made app requests. */
function knownScopes(): Map<string, string> {
  return new Map(
    Object.values(catalog()).flatMap((d) =>
      d.apis.flatMap((api) =>
        api.permissions.map((p): [string, string] => [`${api.resourceAppId}/${p.id}`, permissionName(api, p.name)]),
      ),
    ),
  );
}

/** The guide permissions the app lacks, and those it has beyond the guide. */
export function permissionNotes(definition: IntegrationDefinition, app: AzApplication): string[] {
  const requested = new Set(
    app.requiredResourceAccess.flatMap((r) => r.scopeIds.map((id) => `${r.resourceAppId}/${id}`)),
  );
  const listed = definition.apis.flatMap((api) =>
    api.permissions.map((p) => ({ key: `${api.resourceAppId}/${p.id}`, name: permissionName(api, p.name) })),
  );
  const missing = listed.filter((p) => !requested.has(p.key)).map((p) => p.name);
  const known = knownScopes();
  const extra = [...requested]
    .filter((k) => !listed.some((p) => p.key === k))
    .map((k) => known.get(k) ?? `unknown ${k}`);
  const notes: string[] = [];
  if (missing.length > 0)
    notes.push(
      `requests ${missing.length} guide permission(s) it lacks: ${missing.join(', ')} (or leave them out with removePermissions)`,
    );
  if (extra.length > 0)
    notes.push(
      `drops ${extra.length} permission(s) beyond the guide: ${extra.join(', ')} (keep one with addPermissions and a justification)`,
    );
  return notes;
}

/** How each existing tenant-wide grant's scopes change to the API's requested ones. */
export function consentNotes(grants: readonly { readonly api: CatalogApi; readonly scope: string }[]): string[] {
  return grants.flatMap(({ api, scope }) => {
    const names = new Set(scope.split(' ').filter(Boolean));
    const wanted = new Set(api.permissions.map((p) => p.name));
    const lost = [...names].filter((n) => !wanted.has(n));
    const gained = [...wanted].filter((n) => !names.has(n));
    if (lost.length + gained.length === 0) return [];
    const changes = [
      gained.length > 0 ? `adds ${gained.join(' ')}` : '',
      lost.length > 0 ? `removes ${lost.join(' ')}` : '',
    ];
    return [`admin consent on ${api.name} ${changes.filter(Boolean).join(' and ')}`];
  });
}

/** What differs between a hand-made app and what the stack configures: the first apply's changes, in words. */
export function differences(
  definition: IntegrationDefinition,
  app: AzApplication,
  callbackUrl: string,
  grants: readonly { readonly api: CatalogApi; readonly scope: string }[],
): string[] {
  const notes: string[] = [];
  const uris = app.redirectUris;
  if (definition.authFlow === 'delegated' && !(uris.length === 1 && uris[0] === callbackUrl)) {
    notes.push(
      `redirect URIs ${uris.length > 0 ? uris.join(', ') : '(none)'} become ${callbackUrl}: set nango.callbackUrl if Nango uses another`,
    );
  }
  notes.push(...permissionNotes(definition, app), ...consentNotes(grants));
  if (definition.authFlow === 'delegated' && grants.length < definition.apis.length) {
    const without = definition.apis.filter((api) => !grants.some((g) => g.api.name === api.name)).map((a) => a.name);
    notes.push(`admin consent is created for ${without.join(', ')}`);
  }
  return notes;
}
