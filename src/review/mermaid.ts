import type { ReviewDiff, ReviewedIntegration, ReviewedPermission } from './types';

// Mermaid's defaults (packages/mermaid/src/schemas/config.schema.yaml): a larger diagram is not
// drawn at all, so the report says so instead of showing an error box.
const MAX_EDGES = 500;
const MAX_TEXT_SIZE = 50_000;
const HIGHLIGHT = 'stroke:#d1242f,stroke-width:4px';

/**
 * Text for a quoted Mermaid label. Inside quotes only `"` ends the string (flow.jison `<string>[^"]+`);
 * a leading backtick would start a Markdown string, `#...;` is an entity code, and `<` would be HTML.
 * Everything but letters, digits and a few plain signs is written as a numeric entity code (`#35;`),
 * which Mermaid decodes after parsing.
 */
export function mermaidText(s: string): string {
  return s.replace(/[^A-Za-z0-9 ./_,+()-]/gu, (c) => `#${c.codePointAt(0)};`);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function counts(permissions: readonly ReviewedPermission[]): string {
  const parts = [plural(permissions.length, 'scope')];
  const write = permissions.filter((p) => p.access === 'write').length;
  const unknown = permissions.filter((p) => p.access === 'unknown').length;
  const admin = permissions.filter((p) => p.adminConsentRequired === true).length;
  if (write > 0) parts.push(`${write} write`);
  if (unknown > 0) parts.push(`${unknown} unknown`);
  if (admin > 0) parts.push(`${admin} admin consent`);
  return parts.join(', ');
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly thick: boolean;
  readonly dotted: boolean;
  readonly highlighted: boolean;
}

/** What a diff changed per arrow (`<integration>\0<api>`): scopes added and removed, and new integrations. */
function diffMarks(diff: ReviewDiff | undefined) {
  const added = new Map<string, number>();
  const removed = new Map<string, number>();
  const newIntegrations = new Set<string>();
  for (const c of diff?.changes ?? []) {
    const key = `${c.integration}\0${c.api}`;
    if (c.kind === 'permission-added') added.set(key, (added.get(key) ?? 0) + 1);
    if (c.kind === 'permission-removed') removed.set(key, (removed.get(key) ?? 0) + 1);
    if (c.kind === 'integration-added') newIntegrations.add(c.integration);
  }
  return { added, removed, newIntegrations };
}

/** The nodes (integrations and APIs, with generated IDs) and arrows of the diagram. */
function graph(integrations: readonly ReviewedIntegration[], diff: ReviewDiff | undefined) {
  const { added, removed, newIntegrations } = diffMarks(diff);
  const nodes: string[] = [];
  const apiIds = new Map<string, string>();
  const edges: Edge[] = [];
  const apiNode = (name: string) => {
    if (!apiIds.has(name)) {
      apiIds.set(name, `a${apiIds.size}`);
      nodes.push(`  ${apiIds.get(name)}(["${mermaidText(name)}"])`);
    }
    return apiIds.get(name)!;
  };
  integrations.forEach((integration, n) => {
    const from = `i${n}`;
    nodes.push(`  ${from}["${mermaidText(integration.key)}"]`);
    for (const api of integration.apis) {
      const gained = added.get(`${integration.key}\0${api.name}`) ?? 0;
      const isNew =
        diff !== undefined &&
        (newIntegrations.has(integration.key) || (gained > 0 && gained === api.permissions.length));
      const label = `${isNew ? 'new: ' : ''}${counts(api.permissions)}${gained > 0 && !isNew ? `, +${gained} added` : ''}`;
      const thick = api.permissions.some((p) => p.access !== 'read');
      edges.push({ from, to: apiNode(api.name), label, thick, dotted: false, highlighted: gained > 0 || isNew });
    }
    for (const [key, count] of removed) {
      const [integrationKey, apiName] = key.split('\0');
      if (integrationKey !== integration.key || integration.apis.some((a) => a.name === apiName)) continue;
      const label = `removed: ${plural(count, 'scope')}`;
      edges.push({ from, to: apiNode(apiName), label, thick: false, dotted: true, highlighted: false });
    }
  });
  return { nodes, edges };
}

/**
 * The access surface as a Mermaid flowchart: each integration points to the APIs it holds
 * permissions on, the arrow labelled with the number of scopes and how many of them write, are
 * unknown or need admin consent. Arrows that carry write or unknown scopes are thick. With a diff,
 * arrows that are new or gained scopes are highlighted, and arrows whose scopes were all removed are
 * dotted. Only integration keys, API names and counts reach the diagram.
 *
 * @returns the Markdown section (heading, fenced `mermaid` block, legend), or a sentence when there
 *   is nothing to draw or too much for Mermaid.
 */
export function renderAccessDiagram(integrations: readonly ReviewedIntegration[], diff?: ReviewDiff): string[] {
  const heading = ['## Access surface', ''];
  const { nodes, edges } = graph(integrations, diff);
  if (edges.length === 0) return [...heading, 'No app registration holds a permission.', ''];
  if (edges.length > MAX_EDGES)
    return [
      ...heading,
      `Not drawn: ${edges.length} arrows, more than the ${MAX_EDGES} Mermaid draws. The tables below list them all.`,
      '',
    ];
  const arrow = (e: Edge) => (e.dotted ? '-.->' : e.thick ? '==>' : '-->');
  const lines = [
    'flowchart LR',
    ...nodes,
    ...edges.map((e) => `  ${e.from} ${arrow(e)}|"${mermaidText(e.label)}"| ${e.to}`),
  ];
  const highlighted = edges.flatMap((e, i) => (e.highlighted ? [i] : []));
  if (highlighted.length > 0) lines.push(`  linkStyle ${highlighted.join(',')} ${HIGHLIGHT}`);
  const text = lines.join('\n');
  if (text.length > MAX_TEXT_SIZE)
    return [
      ...heading,
      `Not drawn: the diagram would be ${text.length} characters, more than the ${MAX_TEXT_SIZE} Mermaid accepts. The tables below list every permission.`,
      '',
    ];
  const legend = [
    'Each arrow: the scopes an integration holds on an API, how many write, are unknown to the catalog, or need admin consent. Thick arrows carry write or unknown scopes.',
    diff ? ' Red arrows are new, or gained scopes, against the base; dotted arrows lost all their scopes.' : '',
  ].join('');
  return [...heading, '```mermaid', text, '```', '', legend, ''];
}
