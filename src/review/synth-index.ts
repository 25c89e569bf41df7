import type { Catalog } from '../catalog/catalog';
import { resolveExpression, type VariableDefaults } from './expression';
import { type ApiLookup, apiLookups } from './synth-permissions';
import type { ReviewedValue, SynthesizedStack, WhoMayConnect } from './types';

// How the review finds its way around one synthesized stack: its blocks by type, and the Terraform
// references that link an app to its service principal, grants, assignments and imports.

export type Block = Record<string, any>;

// A for_each over a literal list of group IDs, as `TerraformIterator.fromList` writes it.
const LITERAL_SET = /^\$\{toset\((\[[^\]]*\])\)\}$/;

export const isBlock = (v: unknown): v is Block => typeof v === 'object' && v !== null && !Array.isArray(v);
export const list = (v: unknown): Block[] => (Array.isArray(v) ? v.filter(isBlock) : []);

/** What every step reads of one stack: its blocks, the catalog, and how values are shown. */
export interface StackIndex {
  readonly stack: string;
  readonly resource: Block;
  readonly data: Block;
  readonly imports: readonly Block[];
  readonly catalog: Catalog;
  readonly apis: ReadonlyMap<string, ApiLookup>;
  /** A synthesized value as written and, where only string functions and variable defaults are involved, resolved. */
  readonly value: (raw: unknown) => ReviewedValue;
}

export function indexStack(stack: SynthesizedStack, catalog: Catalog): StackIndex {
  const config = stack.config;
  const variables: VariableDefaults = new Map(
    Object.entries<unknown>(isBlock(config.variable) ? config.variable : {}).map(([name, v]) => [
      name,
      { sensitive: isBlock(v) && v.sensitive === true, default: isBlock(v) ? v.default : undefined },
    ]),
  );
  return {
    stack: stack.name,
    resource: isBlock(config.resource) ? config.resource : {},
    data: isBlock(config.data) ? config.data : {},
    imports: list(config.import),
    catalog,
    apis: apiLookups(catalog),
    value: (raw) => {
      const text = typeof raw === 'string' ? raw : (JSON.stringify(raw) ?? 'null');
      const resolved = resolveExpression(text, variables);
      return resolved === undefined || resolved === text ? { raw: text } : { raw: text, resolved };
    },
  };
}

/** The blocks of one type in `resource` (or another section), by name. */
export const entries = (section: Block, type: string): [string, Block][] =>
  Object.entries<unknown>(isBlock(section[type]) ? section[type] : {}).filter((e): e is [string, Block] =>
    isBlock(e[1]),
  );

/** `${azuread_application.Foo.client_id}` or `${data.x.Foo[0].id}` (possibly inside a larger expression) → `Foo`. */
export function referenced(value: unknown, type: string): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = new RegExp(`(?<![\\w.])${type.replace('.', '\\.')}\\.([A-Za-z0-9_-]+)[.[]`).exec(value);
  return match?.[1];
}

const referencing = (ix: StackIndex, type: string, attribute: string, spNames: readonly string[]) =>
  entries(ix.resource, type).filter(([, b]) =>
    spNames.includes(referenced(b[attribute], 'azuread_service_principal') ?? ''),
  );
export const grantsOf = (ix: StackIndex, spNames: readonly string[]) =>
  referencing(ix, 'azuread_service_principal_delegated_permission_grant', 'service_principal_object_id', spNames);
export const assignmentsOf = (ix: StackIndex, spNames: readonly string[]) =>
  referencing(ix, 'azuread_app_role_assignment', 'resource_object_id', spNames);

/**
 * The resource app ID behind a grant's resource service principal: a data source or a resource
 * (use_existing), either way looked up by its literal client_id.
 */
export function resourceAppOf(ix: StackIndex, grant: Block): string | undefined {
  const target = grant.resource_service_principal_object_id;
  const looked = referenced(target, 'data.azuread_service_principal');
  if (looked) return ix.data.azuread_service_principal?.[looked]?.client_id;
  const own = referenced(target, 'azuread_service_principal');
  return own ? ix.resource.azuread_service_principal?.[own]?.client_id : undefined;
}

export const importId = (ix: StackIndex, address: string): unknown => ix.imports.find((i) => i.to === address)?.id;

/** A service principal's assignment requirement and the groups assigned to it. */
export function whoMayConnect(ix: StackIndex, sp: Block | undefined, assignments: readonly Block[]): WhoMayConnect {
  const assignmentRequired = ix.value(sp?.app_role_assignment_required ?? false);
  const groups: string[] = [];
  let groupsExpression: ReviewedValue | undefined;
  for (const a of assignments) {
    const literal = typeof a.for_each === 'string' ? literalList(a.for_each) : undefined;
    if (literal !== undefined) groups.push(...literal);
    else if (a.for_each !== undefined) groupsExpression = ix.value(a.for_each);
    else groups.push(String(a.principal_object_id));
  }
  return groupsExpression ? { assignmentRequired, groups, groupsExpression } : { assignmentRequired, groups };
}

/** The IDs of `${toset([...])}` when the list is literal strings; undefined when an element is a token (an expression). */
function literalList(forEach: string): string[] | undefined {
  const json = LITERAL_SET.exec(forEach)?.[1];
  if (json === undefined) return undefined;
  try {
    const ids: unknown = JSON.parse(json);
    return Array.isArray(ids) && ids.every((id) => typeof id === 'string' && !id.includes('${')) ? ids : undefined;
  } catch {
    return undefined;
  }
}
