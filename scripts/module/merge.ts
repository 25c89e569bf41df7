import { catalog, type IntegrationId } from '../../src/catalog/catalog';
import { show } from '../../src/core/errors';
import { ModuleGeneratorError } from './generator-error';
import { expression } from './hcl';

// The copies of one construct, one per integration, merged into one body: the same value for all, or
// a conditional on a catalog fact where they differ by one (a block only some integrations have
// becomes a dynamic block), else generation fails naming the difference.

type Body = Record<string, unknown>;

/** Catalog facts an object's existence, or a difference between copies, may follow. */
export const PREDICATES: readonly {
  readonly holds: (id: IntegrationId) => boolean;
  readonly hcl: (entry: string) => string;
}[] = [{ holds: (id) => catalog()[id].authFlow === 'delegated', hcl: (entry) => `${entry}.auth_flow == "delegated"` }];

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/** One value for all copies: the same one, or one per catalog fact. */
function merge(
  label: string,
  field: string,
  copies: readonly { integration: IntegrationId; value: unknown }[],
  entry: (id: string) => string,
): unknown {
  const classes = new Map<string, IntegrationId[]>();
  for (const c of copies)
    classes.set(JSON.stringify(c.value) ?? 'undefined', [
      ...(classes.get(JSON.stringify(c.value) ?? 'undefined') ?? []),
      c.integration,
    ]);
  if (classes.size === 1) return copies[0].value;
  const values = [...classes.keys()].map((k) => (k === 'undefined' ? undefined : JSON.parse(k)));
  if (classes.size === 2) {
    const [a, b] = [...classes.values()];
    const ids = copies.map((c) => c.integration);
    for (const p of PREDICATES) {
      const holding = ids.filter(p.holds);
      if (!sameSet(holding, a) && !sameSet(holding, b)) continue;
      const [yes, no] = sameSet(holding, a) ? values : [values[1], values[0]];
      return { [PREDICATED]: { condition: p.hcl(entry('')), yes, no } };
    }
  }
  throw moduleCopiesDiffer(label, field, values);
}
const PREDICATED = '\0predicated';
type Predicated = { condition: string; yes: unknown; no: unknown };
const predicated = (v: unknown): Predicated | undefined =>
  v !== null && typeof v === 'object' ? (v as Record<string, Predicated>)[PREDICATED] : undefined;

/** A predicated attribute as a conditional expression. */
const conditional = ({ condition, yes, no }: Predicated) =>
  `\${${condition} ? ${expression(yes ?? null)} : ${expression(no ?? null)}}`;

/** Folds the copies' bodies into one: top-level fields that differ by a catalog fact become conditionals or dynamic blocks. */
export function mergeBodies(
  label: string,
  copies: readonly { integration: IntegrationId; body: Body }[],
  entry: string,
  isBlock: (key: string) => boolean,
): Body {
  const keys = [...new Set(copies.flatMap((c) => Object.keys(c.body)))];
  const merged: Body = {};
  const dynamic: Record<string, Body> = {};
  const entryOf = () => entry;
  for (const key of keys.filter((k) => k !== 'dynamic')) {
    const value = merge(
      label,
      key,
      copies.map((c) => ({ integration: c.integration, value: c.body[key] })),
      entryOf,
    );
    const p = predicated(value);
    if (!p) merged[key] = value;
    else if (isBlock(key) && (p.yes === undefined || p.no === undefined)) {
      // A block only some integrations have, e.g. the Web redirect URI of those registered with Nango.
      const [condition, content] = p.yes === undefined ? [`!(${p.condition})`, p.no] : [p.condition, p.yes];
      dynamic[key] = { for_each: `\${${condition} ? [true] : []}`, content };
    } else merged[key] = conditional(p);
  }
  const own = merge(
    label,
    'dynamic',
    copies.map((c) => ({ integration: c.integration, value: c.body.dynamic })),
    entryOf,
  );
  if (predicated(own)) throw moduleCopiesDiffer(label, 'dynamic', [predicated(own)!.yes, predicated(own)!.no]);
  if (own !== undefined || Object.keys(dynamic).length > 0)
    merged.dynamic = { ...(own as Body | undefined), ...dynamic };
  return merged;
}

/** Copies of one construct that differ between integrations in a way the module generator cannot express with for_each. */
export function moduleCopiesDiffer(group: string, field: string, values: readonly unknown[]): ModuleGeneratorError {
  return new ModuleGeneratorError(
    'MODULE_COPIES_DIFFER',
    `${group} differs between integrations at \`${field}\` (${values.map((v) => show(v).slice(0, 300)).join(' vs ')}); expected the integrations' copies to differ only by integration id, display name, API or a catalog fact the module holds as data (scripts/module/fold.ts)`,
  );
}
