import { mapStrings, templateParts } from './hcl';
import { inline } from './hcl-expression';
import { type Node, parse } from './hcl-parse';

// Folded bodies written with the module's own names: an expression that a hand-written local holds
// becomes `local.<name>`, and a value the module's locals have already put in the form the constructs
// bring it to is read as it is.

/**
 * Expressions of the constructs that the module's locals make redundant, each with the value that
 * replaces it and why.
 */
const SETTLED: readonly { readonly expression: string; readonly value: string; readonly why: string }[] = [
  {
    expression: '[for key, val in toset(local.owners) : lower(val)]',
    value: 'local.owners',
    why: 'locals.tf lower-cases the owners once; the constructs lower-case a list known only at plan',
  },
  {
    expression: 'distinct(concat(local.owners, [terraform_data.first_applier[each.key].input.object_id]))',
    value: 'local.integration_owners[each.key]',
    why: "locals.tf holds each integration's owners: the given ones and its first applier's record",
  },
  {
    expression: 'lower(local.tenant_id)',
    value: 'local.tenant_id',
    why: "locals.tf lower-cases the given tenant ID; the one of azuread_client_config is Graph's, in lower case",
  },
  {
    expression: 'lower(each.value.client_id)',
    value: 'each.value.client_id',
    why: "the Kindo SaaS module's locals.tf lower-cases each client ID once",
  },
  {
    expression: 'merge({ tenant_id = local.tenant_id }, each.value.nango_fields)',
    value: 'each.value.nango_fields',
    why: "locals.tf puts the apps' tenant under the given fields, as the constructs merge it",
  },
];

/** Replaces, anywhere in the tree, each node whose one-line text is a key of `names` by that name. */
function rename(n: Node, names: ReadonlyMap<string, string>): Node {
  const own = names.get(inline(n));
  if (own !== undefined) return { t: 'raw', s: own };
  // Inner expressions first: an expression may match a name once its parts are named.
  const renamed = renameParts(n, names);
  const name = names.get(inline(renamed));
  return name === undefined ? renamed : { t: 'raw', s: name };
}

/** A node with each of its parts renamed. */
function renameParts(n: Node, names: ReadonlyMap<string, string>): Node {
  const r = (x: Node) => rename(x, names);
  switch (n.t) {
    case 'tpl':
      return { ...n, parts: n.parts.map((p) => (typeof p === 'string' ? p : r(p))) };
    case 'call':
      return { ...n, args: n.args.map(r) };
    case 'paren':
    case 'unary':
      return { ...n, e: r(n.e) };
    case 'tuple':
      return { ...n, items: n.items.map(r) };
    case 'object':
      return { ...n, items: n.items.map((i) => ({ key: r(i.key), value: r(i.value) })) };
    case 'for':
      return { ...n, coll: r(n.coll), key: n.key && r(n.key), value: r(n.value), cond: n.cond && r(n.cond) };
    case 'cond':
      return { ...n, c: r(n.c), a: r(n.a), b: r(n.b) };
    case 'bin':
      return { ...n, operands: n.operands.map(r) };
    case 'postfix':
      return { ...n, base: r(n.base), parts: n.parts.map((p) => (typeof p === 'string' ? p : r(p))) };
    default:
      return n;
  }
}

/**
 * The names to write for expressions: each hand-written local whose definition is one line, by that
 * definition's text, and the settled expressions above.
 * @param locals the module's hand-written locals, by name, as HCL expressions
 */
export function namesOf(locals: Readonly<Record<string, string>>): Map<string, string> {
  const names = new Map<string, string>();
  for (const [name, expression] of Object.entries(locals)) {
    if (expression.includes('\n')) continue;
    const node = parse(expression);
    // A reference or a literal is a value, not an expression worth a name of its own.
    if (!['raw', 'postfix', 'tpl'].includes(node.t)) names.set(inline(node), `local.${name}`);
  }
  for (const s of SETTLED) names.set(inline(parse(s.expression)), s.value);
  return names;
}

/** A folded body with every expression written with the module's names. */
export function withNames<T>(body: T, names: ReadonlyMap<string, string>): T {
  return mapStrings(body, (s) =>
    templateParts(s)
      .map((p) => ('literal' in p ? p.literal : `\${${inline(rename(parse(p.expression), names))}}`))
      .join(''),
  ) as T;
}
