import { INTEGRATION_IDS, catalog, type IntegrationId } from '../../src/catalog/catalog';
import { expression, mapQuotedStrings, mapStrings, quote, soleExpression, templateParts } from './hcl';
import { show } from '../../src/core/errors';
import { ModuleGeneratorError } from './generator-error';

// Folds the constructs' fourteen copies of each object into one block with for_each, the way an
// HCL author writes it: `azuread_application.this["teams"]`. The copies are compared after their
// per-integration values are replaced by expressions (the integration id by `each.key`, its display
// name by `each.value.display_name`, an API's name by `each.value.api`…); what is left must be the
// same for every integration, or differ by a catalog fact (see PREDICATES), else generation fails.

type Body = Record<string, unknown>;
type Blocks = Record<string, Record<string, Body>>;

/** The parts of a stack's synthesized JSON the module is made of. */
export interface Synthesized {
  readonly resource: Blocks;
  readonly data: Blocks;
  readonly check?: Record<string, Body>;
  readonly variable: Record<string, Body>;
  readonly output: Record<string, Body>;
  readonly terraform: { required_providers: Record<string, { source: string; version: string }> };
}

/** One synthesized resource or data source, placed by its construct path. */
export interface Element {
  readonly kind: 'resource' | 'data';
  readonly type: string;
  readonly uniqueId: string;
  /** Construct ids below the integration's construct, or below the stack for shared lookups. */
  readonly segments: readonly string[];
  /** The integration it belongs to; undefined for lookups that integrations share. */
  readonly integration?: IntegrationId;
  /** The catalog's API it is for, when its construct id ends with the API's name (per-API grants and lookups). */
  readonly api?: string;
  /** Whether the constructs gave it `count` (a shared lookup read only when needed); references index it with `[0]`. */
  readonly counted: boolean;
  readonly body: Body;
}

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

/** Catalog facts an object's existence, or a difference between copies, may follow. */
const PREDICATES: readonly {
  readonly holds: (id: IntegrationId) => boolean;
  readonly hcl: (entry: string) => string;
}[] = [{ holds: (id) => catalog()[id].authFlow === 'delegated', hcl: (entry) => `${entry}.auth_flow == "delegated"` }];

const hcl = (value: unknown): string => JSON.stringify(value);
const snake = (segment: string) => segment.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
/** API names as construct ids carry them, e.g. `WindowsDefenderATP`. */
const API_IDS = new Map(
  Object.values(catalog()).flatMap((d) => d.apis.map((a) => [a.name.replace(/[^A-Za-z0-9]/g, ''), a.name] as const)),
);
const apisOf = (id: IntegrationId) => [...new Set(catalog()[id].apis.map((a) => a.name))];

/** The synthesized resources and data sources, each placed under its integration and API. */
export function elementsOf(config: Synthesized, constructId: string): Element[] {
  for (const key of Object.keys(config)) {
    if (!['//', 'resource', 'data', 'check', 'variable', 'output', 'provider', 'terraform'].includes(key))
      throw moduleBlockUnsupported(`${key} block`);
  }
  const elements: Element[] = [];
  for (const kind of ['resource', 'data'] as const) {
    for (const [type, blocks] of Object.entries(config[kind] ?? {})) {
      for (const [uniqueId, { '//': meta, ...body }] of Object.entries(blocks)) {
        const address = `${kind === 'data' ? 'data.' : ''}${type}.${uniqueId}`;
        const path = (meta as { metadata: { path: string } }).metadata.path.split('/').slice(1);
        const inIntegration = path[0] === constructId && (INTEGRATION_IDS as readonly string[]).includes(path[1]);
        if (!inIntegration && path.length !== 1) throw moduleElementOutsideIntegration(address, path.join('/'));
        // A shared lookup may be counted (read only when needed); the module gives it its own for_each.
        const counted = !inIntegration && 'count' in body;
        for (const argument of ['count', 'for_each'])
          if (argument in body && !(counted && argument === 'count'))
            throw moduleElementHasMetaArgument(address, argument);
        const segments = inIntegration ? path.slice(2) : path;
        const last = segments[segments.length - 1];
        const apiId = [...API_IDS.keys()].find((a) => last.endsWith(a) && last.length > a.length);
        elements.push({
          kind,
          type,
          uniqueId,
          segments,
          integration: inIntegration ? (path[1] as IntegrationId) : undefined,
          api: apiId && API_IDS.get(apiId),
          counted,
          body,
        });
      }
    }
  }
  return elements;
}

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
    if (!g.shared && ownOfType.length === 1) g.name = 'this';
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
function mergeBodies(
  label: string,
  copies: readonly { integration: IntegrationId; body: Body }[],
  scope: Scope,
  isBlock: (key: string) => boolean,
): Body {
  const keys = [...new Set(copies.flatMap((c) => Object.keys(c.body)))];
  const merged: Body = {};
  const dynamic: Record<string, Body> = {};
  const entry = () => scope.entry;
  for (const key of keys.filter((k) => k !== 'dynamic')) {
    const value = merge(
      label,
      key,
      copies.map((c) => ({ integration: c.integration, value: c.body[key] })),
      entry,
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
    entry,
  );
  if (predicated(own)) throw moduleCopiesDiffer(label, 'dynamic', [predicated(own)!.yes, predicated(own)!.no]);
  if (own !== undefined || Object.keys(dynamic).length > 0)
    merged.dynamic = { ...(own as Body | undefined), ...dynamic };
  return merged;
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
    : mergeBodies(label, copies, scope, (key) => isBlock(`${g.type}.${key}`));
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

/** The synthesized configuration has a top-level block the Terraform module generator cannot key by integration. */
export function moduleBlockUnsupported(block: string): ModuleGeneratorError {
  return new ModuleGeneratorError(
    'MODULE_BLOCK_UNSUPPORTED',
    `the constructs synthesized a \`${block}\`, which the Terraform module cannot switch per integration; expected only resource, data, check (without a data source, which cannot take for_each), variable and output blocks`,
  );
}

/** Copies of one construct that differ between integrations in a way the module generator cannot express with for_each. */
export function moduleCopiesDiffer(group: string, field: string, values: readonly unknown[]): ModuleGeneratorError {
  return new ModuleGeneratorError(
    'MODULE_COPIES_DIFFER',
    `${group} differs between integrations at \`${field}\` (${values.map((v) => show(v).slice(0, 300)).join(' vs ')}); expected the integrations' copies to differ only by integration id, display name, API or a catalog fact the module holds as data (scripts/module/fold.ts)`,
  );
}

/** A synthesized resource that belongs to no integration, so the module cannot key it by integration id. */
export function moduleElementOutsideIntegration(address: string, path: string): ModuleGeneratorError {
  return new ModuleGeneratorError(
    'MODULE_ELEMENT_OUTSIDE_INTEGRATION',
    `${address} (construct path ${path}) belongs to no integration; expected every resource under one integration's MicrosoftIntegrationApp, and only data sources shared at the stack's root`,
  );
}

/** A synthesized resource that already has count or for_each, which the module generator sets itself. */
export function moduleElementHasMetaArgument(address: string, argument: string): ModuleGeneratorError {
  return new ModuleGeneratorError(
    'MODULE_ELEMENT_HAS_META_ARGUMENT',
    `${address} already has \`${argument}\`; expected no count or for_each, since the Terraform module keys each resource by its integration id`,
  );
}
