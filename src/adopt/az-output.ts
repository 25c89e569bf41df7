import type { ValidateFunction } from 'ajv';
import { KindoConfigError } from '../core/errors';
import {
  validateApplication,
  validateAppRoleAssignment,
  validatePermissionGrant,
  validateServicePrincipal,
} from './az-output-schema-validator';
import { show } from '../core/errors';
import { parseJsonText } from '../core/json-text';
import { formatPath, type JsonPath, prototypeKeyPath, schemaProblem } from './json-input';

// The JSON the printed `az` commands write (Microsoft Graph v1.0 application, servicePrincipal,
// oAuth2PermissionGrant and appRoleAssignment objects; see docs/adopting.md), read into typed objects
// with GUIDs in lower case. src/adopt/az-output.schema.json says which fields are read and their types.

/** An app registration (`az ad app list`). */
export interface AzApplication {
  readonly id: string;
  readonly appId: string;
  readonly displayName: string;
  readonly redirectUris: readonly string[];
  readonly requiredResourceAccess: readonly { readonly resourceAppId: string; readonly scopeIds: readonly string[] }[];
  readonly passwordCredentials: readonly {
    readonly keyId: string;
    readonly endDateTime?: string;
    readonly displayName?: string;
  }[];
}

/** A service principal (`az ad sp list`). */
export interface AzServicePrincipal {
  readonly id: string;
  readonly appId: string;
  readonly displayName?: string;
}

/** A delegated permission grant (`az rest …/oauth2PermissionGrants`). */
export interface AzPermissionGrant {
  readonly id: string;
  readonly clientId: string;
  readonly consentType: string;
  readonly resourceId: string;
  readonly scope: string;
}

/** An app role assignment to a service principal (`az rest …/appRoleAssignedTo`). */
export interface AzAppRoleAssignment {
  readonly id: string;
  readonly appRoleId: string;
  readonly principalId: string;
  readonly principalType?: string;
  readonly principalDisplayName?: string;
  readonly resourceId: string;
}

/** What the `az` commands return, sorted by Graph object type. */
export interface AzObjects {
  readonly applications: readonly AzApplication[];
  readonly servicePrincipals: readonly AzServicePrincipal[];
  readonly grants: readonly AzPermissionGrant[];
  readonly assignments: readonly AzAppRoleAssignment[];
  /** Lists Graph cut into pages (`@odata.nextLink`): `az rest` printed only the first page of those. */
  readonly truncatedLists: number;
}

/** Input to the `adopt` command that is not the JSON of the `az` commands it prints: the problem says what is expected. */
export function adoptInputInvalid(source: string, problem: string): KindoConfigError {
  return new KindoConfigError(
    'ADOPT_INPUT_INVALID',
    `cannot read ${show(source, Number.POSITIVE_INFINITY)}: ${problem}`,
    'docs/adopting.md#1-find-what-you-have',
  );
}

const notAzJson = (reason: string) =>
  `${reason}; expected the JSON the az commands of \`adopt\` (without --input) write`;

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
      if (depth < 0) throw adoptInputInvalid(source, notAzJson(`unbalanced '${c}' at character ${i}`));
      if (depth === 0) docs.push(parseDocument(text.slice(start, i + 1), source));
    } else if (depth === 0 && !/\s/.test(c)) {
      throw adoptInputInvalid(source, notAzJson(`unexpected ${show(text.slice(i, i + 20))} at character ${i}`));
    }
  }
  if (depth !== 0) throw adoptInputInvalid(source, notAzJson('it ends inside a JSON document'));
  if (docs.length === 0) throw adoptInputInvalid(source, notAzJson('it holds no JSON'));
  return docs;
}

function parseDocument(text: string, source: string): unknown {
  const read = parseJsonText(text);
  if (!read.ok) throw adoptInputInvalid(source, notAzJson(read.problem));
  return read.value;
}

type Json = Record<string, any>;
type Kind = 'application' | 'servicePrincipal' | 'permissionGrant' | 'appRoleAssignment';

const has = (o: Json, ...keys: string[]) => keys.every((k) => Object.hasOwn(o, k));

/** Which Graph object type `o` is, by the properties only that type has. */
function kindOf(o: Json): Kind | undefined {
  if (has(o, 'consentType', 'clientId', 'resourceId')) return 'permissionGrant';
  if (has(o, 'appRoleId', 'principalId', 'resourceId')) return 'appRoleAssignment';
  if (has(o, 'servicePrincipalType', 'appId')) return 'servicePrincipal';
  if (has(o, 'appId', 'requiredResourceAccess')) return 'application';
  return undefined;
}

// Ajv's standalone code is not type-checked; each is a validate function compiled with `verbose: true`.
const VALIDATORS = {
  application: validateApplication,
  servicePrincipal: validateServicePrincipal,
  permissionGrant: validatePermissionGrant,
  appRoleAssignment: validateAppRoleAssignment,
} as unknown as Record<Kind, ValidateFunction>;

/** One object found in the documents: where it is, for messages. */
interface Located {
  readonly object: Json;
  readonly where: string;
}

/** The objects of each document: a list, Graph's `{ "value": [...] }` envelope, or one object. */
function located(docs: readonly unknown[]): { items: Located[]; truncatedLists: number } {
  const items: Located[] = [];
  let truncatedLists = 0;
  docs.forEach((doc, d) => {
    const envelope =
      doc !== null && typeof doc === 'object' && !Array.isArray(doc) && Array.isArray((doc as Json).value);
    if (envelope && Object.hasOwn(doc, '@odata.nextLink')) truncatedLists++;
    const list: unknown[] = Array.isArray(doc) ? doc : envelope ? (doc as Json).value : [doc];
    list.forEach((object, i) => {
      if (object !== null && typeof object === 'object' && !Array.isArray(object))
        items.push({ object: object as Json, where: `document ${d + 1}, item ${i + 1}` });
    });
  });
  return { items, truncatedLists };
}

function refuse(source: string, item: Located, kind: Kind, path: JsonPath, value: unknown, expected: string): never {
  const name = item.object.displayName ?? item.object.id;
  const what = `${kind}${typeof name === 'string' ? ` ${show(name, 60)}` : ''}`;
  const field = path.length > 0 ? `\`${formatPath(path)}\`` : 'the object';
  throw adoptInputInvalid(source, `${item.where} (${what}): ${field} is ${show(value)}; expected ${expected}`);
}

/** Checks one object against its type's schema; a refusal names the document, the item, the field and the value. */
function checked(source: string, item: Located, kind: Kind): Json {
  const prototypeKey = prototypeKeyPath(item.object);
  if (prototypeKey) refuse(source, item, kind, prototypeKey, prototypeKey.at(-1), 'no key named like a prototype');
  const validate = VALIDATORS[kind];
  if (!validate(item.object)) {
    const problem = schemaProblem(validate.errors ?? [], item.object);
    refuse(source, item, kind, problem.path, problem.value, problem.expected);
  }
  return item.object;
}

const lower = (s: string) => s.toLowerCase();
const optional = (s: string | null | undefined) => (typeof s === 'string' ? s : undefined);

function application(o: Json): AzApplication {
  return {
    id: lower(o.id),
    appId: lower(o.appId),
    displayName: o.displayName,
    redirectUris: o.web?.redirectUris ?? [],
    requiredResourceAccess: (o.requiredResourceAccess ?? []).map((r: Json) => ({
      resourceAppId: lower(r.resourceAppId),
      scopeIds: r.resourceAccess.map((a: Json) => lower(a.id)),
    })),
    passwordCredentials: (o.passwordCredentials ?? []).map((p: Json) => ({
      keyId: lower(p.keyId),
      endDateTime: optional(p.endDateTime),
      displayName: optional(p.displayName),
    })),
  };
}

/**
 * The Graph objects in the `az` output, each checked against its type's schema, GUIDs in lower case.
 * Objects of no type the command reads (other documents `az` may print) are passed over.
 */
export function readAzObjects(text: string, source: string): AzObjects {
  const { items, truncatedLists } = located(parseJsonDocuments(text, source));
  const of = (kind: Kind) => items.filter((i) => kindOf(i.object) === kind).map((i) => checked(source, i, kind));
  return {
    applications: of('application').map(application),
    servicePrincipals: of('servicePrincipal').map((o) => ({
      id: lower(o.id),
      appId: lower(o.appId),
      displayName: optional(o.displayName),
    })),
    grants: of('permissionGrant').map((o) => ({
      id: o.id,
      clientId: lower(o.clientId),
      consentType: o.consentType,
      resourceId: lower(o.resourceId),
      scope: optional(o.scope) ?? '',
    })),
    assignments: of('appRoleAssignment').map((o) => ({
      id: o.id,
      appRoleId: lower(o.appRoleId),
      principalId: lower(o.principalId),
      principalType: optional(o.principalType),
      principalDisplayName: optional(o.principalDisplayName),
      resourceId: lower(o.resourceId),
    })),
    truncatedLists,
  };
}
