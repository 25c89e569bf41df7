import { catalog, type CatalogApi, type CatalogPermission, type IntegrationDefinition } from './catalog';
import type { AddedPermission, PermissionDeviation } from './permission-changes';
import { checkGuid, checkPattern } from '../core/validate';
import { KindoConfigError, show } from '../core/errors';

/** Shortest justification accepted for a permission added beyond the guide. */
export const MIN_JUSTIFICATION = 20;
/** What a delegated scope name looks like, e.g. `Mail.Read`. */
export const SCOPE_NAME = /^[A-Za-z][A-Za-z0-9._-]*$/;

/** Every API the catalog knows, by name, from all integrations. */
function knownApis(): Map<string, CatalogApi> {
  return new Map(Object.values(catalog()).flatMap((i) => i.apis.map((a) => [a.name, a] as const)));
}

/**
 * The integration's APIs and delegated permissions after the operator's removals and justified
 * additions, and the list of deviations from the guide.
 */
export function effectivePermissions(
  definition: IntegrationDefinition,
  remove: readonly string[] = [],
  add: readonly AddedPermission[] = [],
): { apis: CatalogApi[]; deviations: PermissionDeviation[] } {
  const deviations: PermissionDeviation[] = [];
  const removed = new Set<CatalogPermission>();
  remove.forEach((entry, i) => {
    const field = `removePermissions[${i}]`;
    const [apiName, name] = entry.includes('/') ? entry.split('/', 2) : [undefined, entry];
    const matches = definition.apis.flatMap((api) =>
      api.permissions
        .filter((p) => p.name === name && (apiName === undefined || api.name === apiName))
        .map((p) => ({ api, p })),
    );
    if (matches.length === 0) {
      const known = definition.apis.flatMap((a) =>
        a.permissions.map((p) => (definition.apis.length > 1 ? `${a.name}/${p.name}` : p.name)),
      );
      throw unknownPermissionToRemove(field, entry, definition.id, known);
    }
    if (matches.length > 1)
      throw ambiguousPermission(
        field,
        entry,
        matches.map((m) => m.api.name),
      );
    removed.add(matches[0].p);
    deviations.push({
      change: 'removed',
      api: matches[0].api.name,
      permission: matches[0].p.name,
      id: matches[0].p.id,
    });
  });

  const apis = new Map<string, CatalogApi>(
    definition.apis.map((api) => [api.name, { ...api, permissions: api.permissions.filter((p) => !removed.has(p)) }]),
  );
  const known = knownApis();
  add.forEach((a, i) => {
    const field = `addPermissions[${i}]`;
    const base = known.get(a.api);
    if (!base) throw unknownApi(`${field}.api`, a.api, [...known.keys()]);
    checkPattern(`${field}.name`, a.name, SCOPE_NAME, "a delegated scope name such as 'Mail.Read'");
    checkGuid(`${field}.id`, a.id);
    const justification = a.justification.trim();
    if (justification.length < MIN_JUSTIFICATION) throw missingJustification(`${field}.justification`, a.justification);
    for (const other of Object.values(catalog())) {
      for (const p of other.apis.find((x) => x.name === a.api)?.permissions ?? []) {
        if (p.name === a.name && p.id !== a.id)
          throw conflictingPermission(
            `${field}.id`,
            a.id,
            `but the catalog gives ${a.api} ${a.name} the scope ID ${p.id}; expected that ID`,
          );
        if (p.id === a.id && p.name !== a.name)
          throw conflictingPermission(
            `${field}.name`,
            a.name,
            `but ${a.id} is ${a.api} ${p.name} in the catalog; expected that name`,
          );
      }
    }
    const api = apis.get(a.api) ?? { ...base, permissions: [] };
    if (api.permissions.some((p) => p.name === a.name)) {
      throw conflictingPermission(
        `${field}.name`,
        a.name,
        `which integration '${definition.id}' already requests; expected a permission beyond its list`,
      );
    }
    const access = a.access ?? 'write';
    const adminConsentRequired = a.adminConsentRequired ?? true;
    apis.set(a.api, {
      ...api,
      permissions: [
        ...api.permissions,
        { name: a.name, id: a.id, description: justification, access, adminConsentRequired },
      ],
    });
    // The review reads this record: it is how a scope the catalog does not know gets its name, access and admin consent.
    deviations.push({
      change: 'added',
      api: a.api,
      permission: a.name,
      id: a.id,
      justification,
      access,
      adminConsentRequired,
    });
  });

  return { apis: [...apis.values()].filter((api) => api.permissions.length > 0), deviations };
}

/** Longest list of an integration's permissions a message spells out; longer lists are in PERMISSIONS.md. */
const MAX_LISTED = 200;

/**
 * A permission to remove that the integration's catalog entry does not list. The message lists the
 * integration's permissions when they are few; otherwise those of the same resource as the value
 * (`Mail.` for 'Mail.Sendd') and where all of them are listed (Defender's run to 1,300 characters).
 */
export function unknownPermissionToRemove(
  field: string,
  value: string,
  integration: string,
  known: readonly string[],
): KindoConfigError {
  const rule = `\`${field}\` is ${show(value)}, which integration '${integration}' does not request`;
  if (known.join(', ').length <= MAX_LISTED)
    return new KindoConfigError('UNKNOWN_PERMISSION', `${rule}; expected one of its permissions: ${known.join(', ')}`);
  const resource = (name: string) => (name.split('/').at(-1) ?? '').split('.')[0].toLowerCase();
  const alike = known.filter((k) => resource(k) === resource(value));
  return new KindoConfigError(
    'UNKNOWN_PERMISSION',
    `${rule}; expected one of its ${known.length} permissions${alike.length > 0 ? `, such as ${alike.join(', ')}` : ''}`,
    `PERMISSIONS.md#${integration}`,
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
