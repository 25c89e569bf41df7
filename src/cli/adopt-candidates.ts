import { catalog, type CatalogApi, type IntegrationDefinition, type IntegrationId } from '../catalog/catalog';
import { IMPORT_IDS } from '../constructs/existing-app-import';
import { KindoConfigError, show } from '../core/errors';

// Finding app registrations made by hand from Kindo's guide in the JSON that `az` prints (Microsoft
// Graph v1.0 objects: application, servicePrincipal, oAuth2PermissionGrant; see docs/adopting.md),
// and turning them into the adoption settings of KindoMicrosoftIntegrations and the HCL module.

type Json = Record<string, any>;

/** What the `az` commands return, sorted by Graph object type. */
export interface AzObjects {
  readonly applications: readonly Json[];
  readonly servicePrincipals: readonly Json[];
  readonly grants: readonly Json[];
}

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
  /** Apps that carry the Nango callback but no integration's name: named by display name and client ID. */
  readonly unassigned: readonly string[];
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The commands that list candidates, as one POSIX shell script writing all their JSON to one file. */
export function azQueries(
  integrations: readonly IntegrationId[],
  namePrefix: string,
  callbackUrl: string,
  out: string,
): string {
  const definitions = catalog();
  const apis = [
    ...new Map(integrations.flatMap((id) => definitions[id].apis.map((a) => [a.resourceAppId, a] as const))).values(),
  ];
  // JMESPath runs client-side in az; Graph's $filter cannot match inside web/redirectUris.
  const names = integrations
    .map((id) => `displayName=='${(namePrefix + definitions[id].displayName).replace(/'/g, "\\'")}'`)
    .join(' || ');
  const select = `[?${names} || contains(web.redirectUris, '${callbackUrl.replace(/'/g, "\\'")}')]`;
  return [
    '#!/bin/sh',
    `# Lists the app registrations set up by hand from Kindo's guide (by name or by Nango's callback`,
    `# ${callbackUrl}), their service principals and admin consent grants, and the`,
    '# service principals of the Microsoft APIs they use. Reads only; run it signed in with `az login`.',
    'set -e',
    '{',
    `  az ad app list --all --query "${select}" --output json`,
    `  for app in $(az ad app list --all --query "${select}.appId" --output tsv); do`,
    `    az ad sp list --filter "appId eq '$app'" --output json`,
    `    for sp in $(az ad sp list --filter "appId eq '$app'" --query "[].id" --output tsv); do`,
    `      az rest --method get --url "https://graph.microsoft.com/v1.0/oauth2PermissionGrants?\\$filter=clientId eq '$sp'"`,
    '    done',
    '  done',
    ...apis.map(
      (a) =>
        `  az ad sp list --filter "appId eq '${a.resourceAppId}'" --query "[].{id:id, appId:appId, displayName:displayName, servicePrincipalType:servicePrincipalType}" --output json  # ${a.name}`,
    ),
    `} > ${quote(out)}`,
    `echo "Now run: npx kindo-microsoft-integrations adopt --integrations ${integrations.join(',')} --input ${out}"`,
  ].join('\n');
}

/** Splits text holding several JSON documents one after another (what the script writes) and parses each. */
export function parseJsonDocuments(text: string, source: string): unknown[] {
  const docs: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth < 0) throw adoptInputInvalid(source, `unbalanced '${c}' at character ${i}`);
      if (depth === 0) {
        try {
          docs.push(JSON.parse(text.slice(start, i + 1)));
        } catch (e) {
          throw adoptInputInvalid(source, (e as Error).message);
        }
      }
    } else if (depth === 0 && !/\s/.test(c)) {
      throw adoptInputInvalid(
        source,
        `unexpected ${JSON.stringify(text.slice(i, i + 20))} at character ${i}, outside any JSON array or object`,
      );
    }
  }
  if (depth !== 0) throw adoptInputInvalid(source, 'it ends inside a JSON document');
  if (docs.length === 0) throw adoptInputInvalid(source, 'it holds no JSON');
  return docs;
}

/** Sorts Graph objects by their type's distinguishing properties (`az rest` wraps lists in `value`). */
export function classify(docs: readonly unknown[]): AzObjects {
  const objects = docs.flatMap((d) =>
    Array.isArray(d) ? d : d && typeof d === 'object' && Array.isArray((d as Json).value) ? (d as Json).value : [d],
  );
  const isObject = (o: unknown): o is Json => typeof o === 'object' && o !== null && !Array.isArray(o);
  const all = objects.filter(isObject);
  return {
    grants: all.filter((o) => 'consentType' in o && 'clientId' in o && 'resourceId' in o),
    servicePrincipals: all.filter((o) => 'servicePrincipalType' in o && 'appId' in o),
    applications: all.filter((o) => 'appId' in o && 'requiredResourceAccess' in o && !('servicePrincipalType' in o)),
  };
}

/** What differs between a hand-made app and what the stack configures: the first apply's changes, in words. */
function differences(
  definition: IntegrationDefinition,
  app: Json,
  callbackUrl: string,
  grants: readonly { api: CatalogApi; scope: string }[],
): string[] {
  const notes: string[] = [];
  const uris: string[] = app.web?.redirectUris ?? [];
  if (definition.authFlow === 'delegated' && !(uris.length === 1 && uris[0] === callbackUrl)) {
    notes.push(
      `redirect URIs ${uris.length > 0 ? uris.join(', ') : '(none)'} become ${callbackUrl}: set nango.callbackUrl if Nango uses another`,
    );
  }
  const requested = new Set<string>(
    ((app.requiredResourceAccess ?? []) as Json[]).flatMap((r) =>
      ((r.resourceAccess ?? []) as Json[]).map((a) => `${r.resourceAppId}/${a.id}`),
    ),
  );
  const listed = definition.apis.flatMap((api) =>
    api.permissions.map((p) => ({
      key: `${api.resourceAppId}/${p.id}`,
      name: `${api.name === 'Microsoft Graph' ? '' : `${api.name}/`}${p.name}`,
    })),
  );
  const missing = listed.filter((p) => !requested.has(p.key)).map((p) => p.name);
  // Named through the whole catalog where it knows the scope; otherwise by API and scope ID.
  const known = new Map<string, string>(
    Object.values(catalog()).flatMap((d) =>
      d.apis.flatMap((api) =>
        api.permissions.map((p): [string, string] => [
          `${api.resourceAppId}/${p.id}`,
          `${api.name === 'Microsoft Graph' ? '' : `${api.name}/`}${p.name}`,
        ]),
      ),
    ),
  );
  const extra = [...requested]
    .filter((k) => !listed.some((p) => p.key === k))
    .map((k) => known.get(k) ?? `unknown ${k}`);
  if (missing.length > 0)
    notes.push(
      `requests ${missing.length} guide permission(s) it lacks: ${missing.join(', ')} (or leave them out with removePermissions)`,
    );
  if (extra.length > 0)
    notes.push(
      `drops ${extra.length} permission(s) beyond the guide: ${extra.join(', ')} (keep one with addPermissions and a justification)`,
    );
  for (const { api, scope } of grants) {
    const names = new Set(scope.split(' ').filter(Boolean));
    const wanted = new Set(api.permissions.map((p) => p.name));
    const lost = [...names].filter((n) => !wanted.has(n));
    const gained = [...wanted].filter((n) => !names.has(n));
    if (lost.length + gained.length > 0) {
      notes.push(
        `admin consent on ${api.name} ${[gained.length > 0 ? `adds ${gained.join(' ')}` : '', lost.length > 0 ? `removes ${lost.join(' ')}` : ''].filter(Boolean).join(' and ')}`,
      );
    }
  }
  if (definition.authFlow === 'delegated' && grants.length < definition.apis.length) {
    const without = definition.apis.filter((api) => !grants.some((g) => g.api.name === api.name)).map((a) => a.name);
    notes.push(`admin consent is created for ${without.join(', ')}`);
  }
  return notes;
}

/**
 * Matches the chosen integrations to hand-made apps: by the guide's display name first, then by an
 * explicit `picks` entry (integration → client ID). Several apps of one name need a pick.
 */
export function matchApps(
  objects: AzObjects,
  integrations: readonly IntegrationId[],
  options: {
    readonly namePrefix: string;
    readonly callbackUrl: string;
    readonly picks: Readonly<Partial<Record<IntegrationId, string>>>;
  },
): AdoptionMatch {
  const definitions = catalog();
  const byApiAppId = new Map(
    Object.values(definitions).flatMap((d) => d.apis.map((a) => [a.resourceAppId, a] as const)),
  );
  const used = new Set<string>();
  const found: FoundApp[] = [];
  const missing: IntegrationId[] = [];
  for (const integration of integrations) {
    const definition = definitions[integration];
    const pick = options.picks[integration];
    const candidates = pick
      ? objects.applications.filter((a) => a.appId === pick || a.id === pick)
      : objects.applications.filter((a) => a.displayName === `${options.namePrefix}${definition.displayName}`);
    if (candidates.length > 1)
      throw adoptAmbiguous(
        integration,
        candidates.map((c) => `'${c.displayName}' client ID ${c.appId}`),
      );
    const app = candidates[0];
    if (!app) {
      missing.push(integration);
      continue;
    }
    used.add(app.appId);
    const sp = objects.servicePrincipals.find((s) => s.appId === app.appId);
    // Admin consent (the portal's "Grant admin consent") is the AllPrincipals grant of the app's service principal, one per API.
    const grants = (
      sp ? objects.grants.filter((g) => g.clientId === sp.id && g.consentType === 'AllPrincipals') : []
    ).flatMap((g) => {
      const resource = objects.servicePrincipals.find((s) => s.id === g.resourceId);
      const api = resource ? byApiAppId.get(resource.appId) : undefined;
      return api && definition.apis.some((a) => a.name === api.name)
        ? [{ api: definition.apis.find((a) => a.name === api.name)!, scope: String(g.scope ?? ''), id: String(g.id) }]
        : [];
    });
    found.push({
      integration,
      objectId: String(app.id),
      clientId: String(app.appId),
      displayName: String(app.displayName),
      servicePrincipalObjectId: sp ? String(sp.id) : undefined,
      grantIds: definition.authFlow === 'delegated' ? Object.fromEntries(grants.map((g) => [g.api.name, g.id])) : {},
      // passwordCredentials never carry the secret's value in list output (secretText is null); the hint is left out too.
      secrets: ((app.passwordCredentials ?? []) as Json[]).map((p) => ({
        keyId: String(p.keyId),
        ...(p.endDateTime ? { expires: String(p.endDateTime) } : {}),
        ...(p.displayName ? { description: String(p.displayName) } : {}),
      })),
      notes: [
        ...(sp ? [] : ['no service principal yet: the stack creates it']),
        ...differences(definition, app, options.callbackUrl, definition.authFlow === 'delegated' ? grants : []),
      ],
    });
  }
  const unassigned = objects.applications
    .filter((a) => !used.has(a.appId))
    .map((a) => `'${a.displayName}' (client ID ${a.appId})`);
  return { found, missing, unassigned };
}

const ts = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const hcl = (s: string) => JSON.stringify(s).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
const comment = (prefix: string, line: string) => `${prefix}// ${line.replace(/\r?\n/g, ' ')}`;
// Whoever made the app by hand made its Nango integration too (the guide's step 4); the stack refuses
// an adopted app without a decision on it, and taking it over is safe when there is none (it is created).
const TAKE_OVER =
  'Your Nango integrations made by hand: taken over and updated in place, connections kept (set their unique keys if not kindo-<id>).';
const nangoRegistered = (found: readonly FoundApp[]) =>
  found.filter((f) => catalog()[f.integration].authFlow === 'delegated').map((f) => f.integration);

/** The `existingApps` prop of KindoMicrosoftIntegrations. */
export function renderTypeScript(found: readonly FoundApp[]): string {
  const delegated = nangoRegistered(found);
  const lines =
    delegated.length > 0
      ? [
          comment('', TAKE_OVER),
          `adoptExistingNangoIntegrations: [${delegated.map(ts).join(', ')}],`,
          'existingApps: {',
        ]
      : ['existingApps: {'];
  for (const f of found) {
    lines.push(
      comment('  ', `${f.displayName}: the first apply ${f.notes.length > 0 ? 'changes:' : 'changes nothing on it.'}`),
    );
    for (const n of f.notes) lines.push(comment('  ', `  - ${n}`));
    lines.push(`  ${ts(f.integration)}: {`, `    applicationObjectId: ${ts(f.objectId)},`);
    if (f.servicePrincipalObjectId) lines.push(`    servicePrincipalObjectId: ${ts(f.servicePrincipalObjectId)},`);
    const grants = Object.entries(f.grantIds);
    if (grants.length > 0)
      lines.push(`    permissionGrantIds: { ${grants.map(([api, id]) => `${ts(api)}: ${ts(id)}`).join(', ')} },`);
    if (f.secrets.length > 0) {
      lines.push(comment('    ', 'Hand-made secrets: left in place; delete them once Kindo works with the new one.'));
      lines.push('    clientSecrets: [');
      for (const s of f.secrets) {
        const parts = [
          `keyId: ${ts(s.keyId)}`,
          ...(s.expires ? [`expires: ${ts(s.expires)}`] : []),
          ...(s.description ? [`description: ${ts(s.description)}`] : []),
        ];
        lines.push(`      { ${parts.join(', ')} },`);
      }
      lines.push('    ],');
    }
    lines.push('  },');
  }
  lines.push('},');
  return lines.join('\n');
}

/** The adoption file of the default stack (`KINDO_EXISTING_APPS`): KindoMicrosoftIntegrations' two adoption props as JSON. */
export function renderJson(found: readonly FoundApp[]): string {
  const existingApps = Object.fromEntries(
    found.map((f) => [
      f.integration,
      {
        applicationObjectId: f.objectId,
        ...(f.servicePrincipalObjectId ? { servicePrincipalObjectId: f.servicePrincipalObjectId } : {}),
        ...(Object.keys(f.grantIds).length > 0 ? { permissionGrantIds: f.grantIds } : {}),
        ...(f.secrets.length > 0
          ? {
              clientSecrets: f.secrets.map((s) => ({
                keyId: s.keyId,
                ...(s.expires ? { expires: s.expires } : {}),
                ...(s.description ? { description: s.description } : {}),
              })),
            }
          : {}),
      },
    ]),
  );
  return JSON.stringify({ adoptExistingNangoIntegrations: nangoRegistered(found), existingApps }, null, 2);
}

/**
 * The HCL module's adoption inputs and the import blocks of the root module that calls it: Terraform
 * allows `import` only in the root module, so the module cannot import by itself.
 */
export function renderHcl(found: readonly FoundApp[], moduleName: string): string {
  const lines = ['locals {', '  kindo_existing_apps = {'];
  for (const f of found) {
    lines.push(`    # ${f.displayName}: the first apply ${f.notes.length > 0 ? 'changes:' : 'changes nothing on it.'}`);
    for (const n of f.notes) lines.push(`    #   - ${n.replace(/\r?\n/g, ' ')}`);
    const grants = Object.entries(f.grantIds);
    const ids: [string, string][] = [
      ['application_object_id', hcl(f.objectId)],
      ...(f.servicePrincipalObjectId
        ? [['service_principal_object_id', hcl(f.servicePrincipalObjectId)] as [string, string]]
        : []),
      ...(grants.length > 0
        ? [
            ['permission_grant_ids', `{ ${grants.map(([api, id]) => `${hcl(api)} = ${hcl(id)}`).join(', ')} }`] as [
              string,
              string,
            ],
          ]
        : []),
    ];
    // Aligned as `terraform fmt` aligns consecutive arguments.
    const width = Math.max(...ids.map(([name]) => name.length));
    lines.push(
      `    ${hcl(f.integration)} = {`,
      ...ids.map(([name, value]) => `      ${name.padEnd(width)} = ${value}`),
    );
    if (f.secrets.length > 0) {
      lines.push('      # Hand-made secrets: left in place; delete them once Kindo works with the new one.');
      lines.push('      client_secrets = [');
      for (const s of f.secrets) {
        lines.push(
          `        { key_id = ${hcl(s.keyId)}, expires = ${s.expires ? hcl(s.expires) : 'null'}, description = ${s.description ? hcl(s.description) : 'null'} },`,
        );
      }
      lines.push('      ]');
    }
    lines.push('    }');
  }
  lines.push('  }', '}', '');
  const delegated = nangoRegistered(found);
  lines.push(
    `module ${hcl(moduleName)} {`,
    '  # source, integrations, nango_secret_key… as before',
    '  existing_apps = local.kindo_existing_apps',
  );
  if (delegated.length > 0)
    lines.push(`  # ${TAKE_OVER}`, `  adopt_existing_nango_integrations = [${delegated.map(hcl).join(', ')}]`);
  lines.push('}', '');
  // Entries of a local are not typed by the module's variable: absent attributes are read with lookup.
  const target = (type: string) => `module.${moduleName}.${type}.this[each.key]`;
  const importBlock = (forEach: string, type: string, id: string) => [
    'import {',
    `  for_each = ${forEach}`,
    `  to       = ${target(type)}`,
    `  id       = "${id}"`,
    '}',
  ];
  lines.push(
    '# Import blocks belong in the root module (Terraform >= 1.7 for for_each); they are spent after the first apply.',
    ...importBlock(
      'local.kindo_existing_apps',
      'azuread_application',
      IMPORT_IDS.application('${each.value.application_object_id}'),
    ),
    ...importBlock(
      '{ for id, app in local.kindo_existing_apps : id => app.service_principal_object_id if lookup(app, "service_principal_object_id", null) != null }',
      'azuread_service_principal',
      IMPORT_IDS.servicePrincipal('${each.value}'),
    ),
    ...importBlock(
      'merge([for id, app in local.kindo_existing_apps : { for api, grant in lookup(app, "permission_grant_ids", {}) : "${id}/${api}" => grant }]...)',
      'azuread_service_principal_delegated_permission_grant',
      IMPORT_IDS.permissionGrant('${each.value}'),
    ),
  );
  return lines.join('\n');
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
