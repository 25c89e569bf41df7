import { INTEGRATION_IDS, catalog, type IntegrationId } from '../../src/catalog/catalog';
import { mapQuotedStrings, mapStrings, quote, soleExpression, templateParts } from './hcl';
import { mergeBodies, moduleCopiesDiffer, PREDICATES } from './merge';
import { type Element, moduleBlockUnsupported, moduleElementOutsideIntegration, type Synthesized } from './elements';

// Folds the constructs' fourteen copies of each object into one block with for_each, the way an
// HCL author writes it: `azuread_application.this["teams"]`. The copies are compared after their
// per-integration values are replaced by expressions (the integration id by `each.key`, its display
// name by `each.value.display_name`, an API's name by `each.value.api`…); what is left must be the
// same for every integration, or differ by a catalog fact (see PREDICATES), else generation fails.

type Body = Record<string, unknown>;
type Blocks = Record<string, Record<string, Body>>;

/** What the module's for_each blocks are made of. */
export interface Folded {
  readonly resource: Blocks;
  readonly data: Blocks;
  readonly check: Record<string, Body>;
  /** Per synthesized element, its instance address in the module, e.g. `azuread_application.this["teams"]`. */
  readonly instances: Map<Element, string>;
}

/** What the module needs beyond the synthesized JSON. */
export interface FoldOptions {
  /** Construct id of the integrations' construct in the stack. */
  readonly constructId: string;
  /** Construct path below the stack of each check block, by its name in the JSON. */
  readonly checkPaths: ReadonlyMap<string, readonly string[]>;
  /** Per element, a body to fold instead of the synthesized one. */
  readonly bodies: ReadonlyMap<Element, Body>;
  /** Per resource type, a variable that gates it (the constructs create it only when a prop says so). */
  readonly gates: Readonly<Record<string, string>>;
}

/** The hand-written values the folded blocks iterate over. */
const INTEGRATIONS = 'local.integrations';
/** Per "<integration>/<API>" of the enabled integrations: `integration`, `api` and its scopes (modules/catalog). */
const INTEGRATION_APIS = 'module.catalog.integration_apis';

const hcl = (value: unknown): string => JSON.stringify(value);
const snake = (segment: string) => segment.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
const apisOf = (id: IntegrationId) => [...new Set(catalog()[id].apis.map((a) => a.name))];

/** Elements folded into one block: same kind, type and construct role, with or without an API. */
interface Group {
  readonly kind: 'resource' | 'data';
  readonly type: string;
  /** Construct ids of the role, the API's name left out, e.g. `AdminConsent`. */
  readonly role: readonly string[];
  readonly shared: boolean;
  readonly perApi: boolean;
  readonly members: Element[];
  name: string;
}

const roleOf = (e: Element) => {
  const role = [...e.segments];
  if (e.api) role[role.length - 1] = role[role.length - 1].slice(0, -e.api.replace(/[^A-Za-z0-9]/g, '').length);
  return role;
};
const addressOf = (g: Group) => `${g.kind === 'data' ? 'data.' : ''}${g.type}.${g.name}`;
/** The instance key of an element in its folded block; undefined for a single shared lookup. */
const keyOf = (e: Element): string | undefined =>
  e.integration ? (e.api ? `${e.integration}/${e.api}` : e.integration) : e.api;

function groupsOf(elements: readonly Element[]): Group[] {
  const groups = new Map<string, Group>();
  for (const e of elements) {
    const role = roleOf(e);
    const id = [e.kind, e.type, role.join('/'), !e.integration, !!e.api].join(' ');
    const group = groups.get(id) ?? {
      kind: e.kind,
      type: e.type,
      role,
      shared: !e.integration,
      perApi: !!e.api,
      members: [],
      name: '',
    };
    group.members.push(e);
    groups.set(id, group);
  }
  const all = [...groups.values()];
  for (const g of all) {
    const ownOfType = all.filter((o) => !o.shared && o.kind === g.kind && o.type === g.type);
    // An integration's only object of a type is `this`; shared lookups keep their role: `client_config`, `api`.
    // A terraform_data is a record beside the objects, never the object itself: it keeps its role, `first_applier`.
    if (!g.shared && ownOfType.length === 1 && g.type !== 'terraform_data') g.name = 'this';
    else g.name = snake(g.role.join('_').replace(/^Kindo(?=[A-Z])/, ''));
  }
  return all;
}

/** How a folded body names the object's integration, its catalog entry and its API. */
interface Scope {
  readonly id: string;
  readonly entry: string;
  readonly api?: string;
}
const EACH: Scope = { id: 'each.key', entry: 'each.value' };
const EACH_PAIR: Scope = {
  id: 'each.value.integration',
  entry: `${INTEGRATIONS}[each.value.integration]`,
  api: 'each.value.api',
};
const forVariable = (name: string): Scope => ({ id: name, entry: `${INTEGRATIONS}[${name}]` });

/** Replacements, longest text first, for the values that vary with the integration and API. */
function factsOf(e: Element, scope: Scope): { text: string; expr: string }[] {
  const facts: { text: string; expr: string }[] = [];
  if (e.integration) {
    const d = catalog()[e.integration];
    facts.push({ text: d.displayName, expr: `${scope.entry}.display_name` }, { text: e.integration, expr: scope.id });
    if (d.nangoProvider) facts.push({ text: d.nangoProvider, expr: `${scope.entry}.nango_provider` });
  }
  if (e.api && scope.api) facts.push({ text: e.api, expr: scope.api });
  if (e.api && !e.integration) {
    const api = Object.values(catalog())
      .flatMap((d) => d.apis)
      .find((a) => a.name === e.api)!;
    facts.push({ text: e.api, expr: 'each.key' }, { text: api.resourceAppId, expr: 'each.value.resource_app_id' });
  }
  return facts.sort((a, b) => b.text.length - a.text.length);
}

/** Replaces each fact's text by its expression, in literal text and in the quoted strings of expressions. */
function substitute(value: unknown, facts: readonly { text: string; expr: string }[]): unknown {
  if (facts.length === 0) return value;
  const pattern = new RegExp(facts.map((f) => escapeRegExp(f.text)).join('|'), 'g');
  const exprOf = (text: string) => facts.find((f) => f.text === text)!.expr;
  const inLiteral = (literal: string) => literal.replace(pattern, (text) => `\${${exprOf(text)}}`);
  const inExpression = (expr: string): string =>
    mapQuotedStrings(expr, (content) =>
      facts.some((f) => f.text === content) ? exprOf(content) : `"${inTemplate(content, true)}"`,
    );
  const inTemplate = (template: string, escaped: boolean): string =>
    templateParts(template, escaped)
      .map((p) => ('literal' in p ? inLiteral(p.literal) : `\${${inExpression(p.expression)}}`))
      .join('');
  return mapStrings(value, (s) => (facts.some((f) => f.text === s) ? `\${${exprOf(s)}}` : inTemplate(s, false)));
}

/**
 * Folds the synthesized elements and checks into for_each blocks over the enabled integrations
 * (`local.integrations`) or their integration-API pairs (`module.catalog.integration_apis`).
 */
export function fold(
  config: Synthesized,
  elements: readonly Element[],
  options: FoldOptions,
  isBlock: (path: string) => boolean,
): Folded {
  const groups = groupsOf(elements);
  const groupOf = new Map(groups.flatMap((g) => g.members.map((e) => [e, g] as const)));
  const instances = new Map(
    elements.map((e) => [e, `${addressOf(groupOf.get(e)!)}${keyOf(e) === undefined ? '' : `[${hcl(keyOf(e))}]`}`]),
  );
  const { referenced, rewrite, bySynthAddress } = referencesOf(elements, instances);
  const resource: Blocks = {};
  const data: Blocks = {};
  for (const g of [...groups].sort((a, b) => Number(a.shared) - Number(b.shared))) {
    const folding = { options, groupOf, bySynthAddress, rewrite, isBlock };
    const { for_each: given, ...merged } = foldGroup(g, folding);
    const forEach = (given as string | undefined) ?? forEachOf(g, addressOf(g), options);
    (g.kind === 'resource' ? resource : data)[g.type] ??= {};
    (g.kind === 'resource' ? resource : data)[g.type][g.name] = {
      ...(forEach ? { for_each: forEach } : {}),
      ...merged,
    };
  }
  return { resource, data, check: foldChecks(config.check ?? {}, options, referenced, rewrite, groupOf), instances };
}

/** How a body's references to synthesized elements are found, and rewritten to the folded blocks' instances. */
function referencesOf(elements: readonly Element[], instances: ReadonlyMap<Element, string>) {
  const bySynthAddress = new Map(
    elements.map((e) => [`${e.kind === 'data' ? 'data.' : ''}${e.type}.${e.uniqueId}`, e]),
  );
  const reference = new RegExp(
    `(?<![\\w.-])(${[...bySynthAddress.keys()]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|')})(?![\\w-])(\\[0\\])?`,
    'g',
  );
  const referenced = (value: unknown): Element[] =>
    [...JSON.stringify(value).matchAll(reference)].map((m) => bySynthAddress.get(m[1])!);
  // A counted lookup's `[0]` gives way to its key in the folded block.
  const rewrite = (value: unknown): unknown =>
    mapStrings(value, (s) =>
      s.replace(reference, (_, address: string, index?: string) => {
        const e = bySynthAddress.get(address)!;
        return `${instances.get(e)!}${index && !e.counted ? index : ''}`;
      }),
    );
  return { referenced, rewrite, bySynthAddress };
}

/** One group's copies folded into one body; an integration's entry reads as `each.value` where it is iterated over. */
function foldGroup(
  g: Group,
  {
    options,
    groupOf,
    bySynthAddress,
    rewrite,
    isBlock,
  }: {
    options: FoldOptions;
    groupOf: ReadonlyMap<Element, Group>;
    bySynthAddress: ReadonlyMap<string, Element>;
    rewrite: (value: unknown) => unknown;
    isBlock: (path: string) => boolean;
  },
): Body {
  const label = addressOf(g);
  const scope = g.shared ? EACH : g.perApi ? EACH_PAIR : EACH;
  const copies = g.members.map((e) => {
    const { depends_on: dependsOn, ...rest } = (options.bodies.get(e) ?? e.body) as Body & { depends_on?: string[] };
    let body = substitute(rewrite(rest), factsOf(e, scope)) as Body;
    if (!g.shared && !g.perApi)
      body = mapStrings(body, (s) => s.replaceAll(`${INTEGRATIONS}[each.key]`, 'each.value')) as Body;
    // depends_on names whole blocks; Terraform takes no instance keys there.
    if (dependsOn)
      body.depends_on = [...new Set(dependsOn.map((d) => addressOf(groupOf.get(bySynthAddress.get(d)!)!)))];
    return { integration: e.integration ?? (INTEGRATION_IDS[0] as IntegrationId), body };
  });
  return g.shared
    ? sameForAll(
        label,
        copies.map((c) => c.body),
      )
    : mergeBodies(label, copies, scope.entry, (key) => isBlock(`${g.type}.${key}`));
}

/** Copies that must be the same: a shared lookup's, after its API's facts are replaced. */
function sameForAll(label: string, bodies: readonly Body[]): Body {
  const distinct = [...new Set(bodies.map((b) => JSON.stringify(b)))];
  if (distinct.length > 1)
    throw moduleCopiesDiffer(
      label,
      '(body)',
      distinct.map((d) => JSON.parse(d)),
    );
  return bodies[0];
}

/** The for_each of a folded block: the enabled integrations (or integration-API pairs) that have the object. */
function forEachOf(g: Group, label: string, options: FoldOptions): string | undefined {
  // A shared lookup is read once, unless its overriding body brings a for_each (scripts/module/preflight.ts).
  if (g.shared) {
    if (g.perApi) throw moduleCopiesDiffer(label, 'for_each', ['one lookup per API, without a for_each of its own']);
    return undefined;
  }
  const ids = [...new Set(g.members.flatMap((e) => (e.integration ? [e.integration] : [])))];
  const gate = options.gates[g.type];
  const [name, source] = g.perApi ? ['pair', INTEGRATION_APIS] : ['integration', INTEGRATIONS];
  const entry = g.perApi ? `${INTEGRATIONS}[pair.integration]` : 'integration';
  const id = g.perApi ? 'pair.integration' : 'id';
  let predicate: string | undefined;
  if (!sameSet(ids, INTEGRATION_IDS)) {
    const p = PREDICATES.find((x) => sameSet(INTEGRATION_IDS.filter(x.holds), ids));
    predicate = p ? p.hcl(entry) : `contains(${hcl(ids)}, ${id})`;
  }
  if (g.perApi) {
    const pairs = g.members.map((e) => `${e.integration}/${e.api}`);
    const expected = ids.flatMap((i) => apisOf(i).map((api) => `${i}/${api}`));
    if (!sameSet(pairs, expected)) throw moduleCopiesDiffer(label, 'instances', [pairs, expected]);
  }
  const filters = [predicate, gate].filter((f) => f !== undefined);
  if (filters.length === 0) return `\${${source}}`;
  const key = g.perApi ? 'key' : 'id';
  return `\${{ for ${key}, ${name} in ${source} : ${key} => ${name} if ${filters.join(' && ')} }}`;
}

/** Each integration's check of one kind as one check block asserting over every instance, naming the failing ones. */
function foldChecks(
  checks: Record<string, Body>,
  options: FoldOptions,
  referenced: (value: unknown) => Element[],
  rewrite: (value: unknown) => unknown,
  groupOf: Map<Element, Group>,
): Record<string, Body> {
  const byRole = new Map<string, { integration: IntegrationId; body: Body }[]>();
  for (const [name, body] of Object.entries(checks)) {
    if ('data' in body) throw moduleBlockUnsupported(`check with a data source (${name})`);
    const path = options.checkPaths.get(name)!;
    const integration = path[1] as IntegrationId;
    if (path[0] !== options.constructId || !(INTEGRATION_IDS as readonly string[]).includes(integration))
      throw moduleElementOutsideIntegration(`check.${name}`, path.join('/'));
    const role = snake(path.slice(2).join('_'));
    byRole.set(role, [...(byRole.get(role) ?? []), { integration, body }]);
  }
  const folded: Record<string, Body> = {};
  for (const [role, copies] of byRole) {
    const scope = forVariable('id');
    const asserts = copies.map((c) => {
      const anchor = referenced(c.body).find((e) => e.integration === c.integration)!;
      const facts = factsOf(anchor, scope);
      return {
        anchor: groupOf.get(anchor)!,
        asserts: substitute(rewrite(c.body.assert), facts) as { condition: string; error_message: string }[],
      };
    });
    const label = `check.${role}`;
    const body = sameForAll(
      label,
      asserts.map((a) => ({ anchor: addressOf(a.anchor), asserts: a.asserts })),
    ) as { anchor: string; asserts: { condition: string; error_message: string }[] };
    folded[role] = {
      assert: body.asserts.map(({ condition, error_message: message }) => {
        const holds = soleExpression(condition)!;
        return {
          condition: `\${alltrue([for id in keys(${body.anchor}) : ${holds}])}`,
          error_message: `\${join("\\n", [for id in keys(${body.anchor}) : ${quote(message)} if !(${holds})])}`,
        };
      }),
    };
  }
  return folded;
}
