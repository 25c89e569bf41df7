import { randomUUID } from 'node:crypto';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { catalog } from '../../src/catalog/catalog';
import { KindoMicrosoftIntegrations } from '../../src/constructs/kindo-microsoft-integrations';
import { KindoMicrosoftIntegrationsStack } from '../../src/constructs/kindo-microsoft-integrations-stack';
import { mermaidText, renderAccessDiagram } from '../../src/review/mermaid';
import {
  buildReviewReport,
  diffReviews,
  renderReviewMarkdown,
  reviewStacks,
  summarizePlan,
} from '../../src/review/review';
import type { ReviewedIntegration, SynthesizedStack } from '../../src/review/types';

type Tf = Record<string, any>;
const stacks = (config: Tf): SynthesizedStack[] => [{ name: 'test', config }];

// The statements the diagram may use, as Mermaid's flowchart grammar reads them
// (packages/mermaid/src/diagrams/flowchart/parser/flow.jison): a quoted string ends at the next `"`,
// `"` followed by a backtick starts a Markdown string, `#name;` is an entity code.
const LABEL = '"((?:[A-Za-z0-9 ./_,+()-]|#\\d+;)*)"';
const STATEMENTS = {
  integration: new RegExp(`^  (i\\d+)\\[${LABEL}\\]$`),
  api: new RegExp(`^  (a\\d+)\\(\\[${LABEL}\\]\\)$`),
  edge: new RegExp(`^  (i\\d+) (-->|==>|-\\.->)\\|${LABEL}\\| (a\\d+)$`),
  linkStyle: /^ {2}linkStyle (\d+(?:,\d+)*) stroke:#[0-9a-f]{6},stroke-width:\d+px$/,
};

interface Parsed {
  readonly nodes: Map<string, string>;
  readonly edges: { from: string; arrow: string; label: string; to: string }[];
  readonly highlighted: number[];
}

const decode = (label: string) => label.replace(/#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)));

/** Reads the diagram out of a report, failing on any line outside the grammar above or any dangling reference. */
function parseDiagram(markdown: string): Parsed {
  const block = /\n```mermaid\n([\s\S]*?)\n```\n/.exec(markdown);
  expect(block, 'a mermaid block').not.toBeNull();
  const [first, ...lines] = block![1].split('\n');
  expect(first).toBe('flowchart LR');
  const parsed: Parsed = { nodes: new Map(), edges: [], highlighted: [] };
  for (const line of lines) {
    const node = STATEMENTS.integration.exec(line) ?? STATEMENTS.api.exec(line);
    const edge = STATEMENTS.edge.exec(line);
    const style = STATEMENTS.linkStyle.exec(line);
    if (node) {
      expect(parsed.nodes.has(node[1]), `${node[1]} defined once`).toBe(false);
      parsed.nodes.set(node[1], decode(node[2]));
    } else if (edge) parsed.edges.push({ from: edge[1], arrow: edge[2], label: decode(edge[3]), to: edge[4] });
    else if (style) parsed.highlighted.push(...style[1].split(',').map(Number));
    else expect.fail(`not a statement the diagram may use: ${JSON.stringify(line)}`);
  }
  for (const e of parsed.edges)
    expect([parsed.nodes.has(e.from), parsed.nodes.has(e.to)], JSON.stringify(e)).toEqual([true, true]);
  for (const i of parsed.highlighted) expect(i).toBeLessThan(parsed.edges.length);
  return parsed;
}

/** The edges of the diagram by "<integration key> -> <API>". */
const edgesOf = (p: Parsed) =>
  Object.fromEntries(
    p.edges.map((e, i) => [
      `${p.nodes.get(e.from)} -> ${p.nodes.get(e.to)}`,
      { ...e, highlighted: p.highlighted.includes(i) },
    ]),
  );

describe('review report diagram of the access surface', () => {
  const tf = JSON.parse(Testing.synth(new KindoMicrosoftIntegrationsStack(Testing.app(), 'test', {})));
  const integrations = reviewStacks(stacks(tf));
  const markdown = renderReviewMarkdown(buildReviewReport('cdktf.out', stacks(tf), integrations));

  test('opens the report, above the tables', () => {
    const at = (s: string) => markdown.indexOf(s);
    expect(at('## Access surface')).toBeGreaterThan(at('# Entra ID app review'));
    expect(at('```mermaid')).toBeLessThan(at('## Summary'));
    expect(at('## Summary')).toBeLessThan(at('## Risks'));
  });

  test('draws one edge per integration and API, labelled with its scopes, write and admin-consent counts; write edges thick', () => {
    const edges = edgesOf(parseDiagram(markdown));
    const expected = Object.fromEntries(
      Object.values(catalog()).flatMap((d) =>
        d.apis.map((api) => {
          const write = api.permissions.filter((p) => p.access === 'write').length;
          const admin = api.permissions.filter((p) => p.adminConsentRequired).length;
          const n = api.permissions.length;
          const label = [
            `${n} scope${n === 1 ? '' : 's'}`,
            ...(write ? [`${write} write`] : []),
            ...(admin ? [`${admin} admin consent`] : []),
          ].join(', ');
          return [`test/${d.id} -> ${api.name}`, { label, arrow: write ? '==>' : '-->', highlighted: false }];
        }),
      ),
    );
    expect(
      Object.fromEntries(
        Object.entries(edges).map(([k, e]) => [k, { label: e.label, arrow: e.arrow, highlighted: e.highlighted }]),
      ),
    ).toEqual(expected);
    expect(edges['test/outlook -> Microsoft Graph'].label).toBe('5 scopes, 1 write');
    expect(edges['test/fabric -> Microsoft Graph']).toMatchObject({ label: '1 scope', arrow: '-->' });
  });

  test('highlights in a diff the new edges and the edges that gained scopes; dotted edges lost all their scopes', () => {
    const synthHead = (head: boolean) => {
      const stack = new TerraformStack(Testing.app(), 'test');
      const secretKey = new TerraformVariable(stack, 'nango_secret_key', { type: 'string', sensitive: true })
        .stringValue;
      new KindoMicrosoftIntegrations(stack, 'Kindo', {
        integrations: head ? ['outlook', 'purview-data-governance', 'teams'] : ['outlook', 'purview-data-governance'],
        nango: { secretKey },
        addPermissions: head
          ? {
              outlook: [
                {
                  api: 'Microsoft Graph',
                  name: 'Mail.Read',
                  id: '570282fd-fa5c-430d-a7fd-fc8dc98a9dca',
                  access: 'read',
                  adminConsentRequired: false,
                  justification: 'summaries of the mail threads a user asks about',
                },
              ],
            }
          : undefined,
        removePermissions: head
          ? { 'purview-data-governance': ['Microsoft Purview/Purview.DelegatedAccess'] }
          : undefined,
      });
      return reviewStacks(stacks(stack.toTerraform()));
    };
    const head = synthHead(true);
    const diff = diffReviews(synthHead(false), head, 'main');
    const parsed = parseDiagram(renderReviewMarkdown(buildReviewReport('cdktf.out', [], head, { diff })));
    const edges = edgesOf(parsed);
    expect(edges['test/outlook -> Microsoft Graph']).toMatchObject({
      label: '6 scopes, 1 write, +1 added',
      arrow: '==>',
      highlighted: true,
    });
    expect(edges['test/teams -> Microsoft Graph']).toMatchObject({
      label: 'new: 8 scopes, 3 write, 2 admin consent',
      highlighted: true,
    });
    expect(edges['test/purview-data-governance -> Microsoft Purview']).toMatchObject({
      label: 'removed: 1 scope',
      arrow: '-.->',
      highlighted: false,
    });
    expect(edges['test/purview-data-governance -> Microsoft Graph']).toMatchObject({
      label: '2 scopes',
      highlighted: false,
    });
    expect(parsed.highlighted).toHaveLength(2);
  });

  test('says so instead of drawing when there is nothing to draw, or more than Mermaid draws', () => {
    expect(renderAccessDiagram([])).toEqual(['## Access surface', '', 'No app registration holds a permission.', '']);
    const many = Array.from({ length: 501 }, (_, n) => ({
      ...integrations[0],
      key: `test/app-${n}`,
      apis: integrations[0].apis.slice(0, 1),
    }));
    expect(renderAccessDiagram(many)[2]).toBe(
      'Not drawn: 501 arrows, more than the 500 Mermaid draws. The tables below list them all.',
    );
  });

  test('writes any character of a label that could end the string or change its meaning as an entity code', () => {
    const nasty = 'x"]\n`md` <script>alert(1)</script> #quot; |pipe| %% end;linkStyle 0 stroke:red 🔑';
    const text = mermaidText(nasty);
    expect(text).toMatch(/^(?:[A-Za-z0-9 ./_,+()-]|#\d+;)*$/);
    expect(decode(text)).toBe(nasty);
    const odd: ReviewedIntegration = {
      ...integrations[0],
      key: nasty,
      apis: [{ ...integrations[0].apis[0], name: nasty }],
    };
    const parsed = parseDiagram(['', ...renderAccessDiagram([odd]), ''].join('\n'));
    expect([...parsed.nodes.values()]).toEqual([nasty, nasty]);
  });
});

describe('review report diagram never shows a secret', () => {
  test('leaves out planted sensitive variable defaults, a sensitive resource app ID and plan secrets', () => {
    const planted = `planted-${randomUUID()}`;
    const tf = JSON.parse(
      Testing.synth(
        new KindoMicrosoftIntegrationsStack(Testing.app(), 'test', { integrations: ['teams', 'defender'] }),
      ),
    );
    tf.variable.nango_secret_key.default = planted;
    tf.variable.nango_server_url = {
      ...tf.variable.nango_server_url,
      sensitive: true,
      default: `https://${planted}.example`,
    };
    // An API named only by a sensitive variable: the diagram may show the reference, never its value.
    tf.variable.secret_app = { type: 'string', sensitive: true, default: planted };
    const app = Object.values<Tf>(tf.resource.azuread_application)[0];
    app.required_resource_access.push({
      resource_app_id: '${var.secret_app}',
      resource_access: [{ id: randomUUID(), type: 'Role' }],
    });
    app.display_name = '${var.secret_app}';
    const integrations = reviewStacks(stacks(tf));
    const plan = {
      format_version: '1.2',
      variables: { nango_secret_key: { value: planted } },
      resource_changes: [
        {
          address: 'azuread_application_password.p',
          mode: 'managed',
          type: 'azuread_application_password',
          change: {
            actions: ['create'],
            before: null,
            after: { value: planted },
            after_unknown: {},
            before_sensitive: false,
            after_sensitive: { value: true },
          },
        },
      ],
    };
    const report = buildReviewReport('cdktf.out', stacks(tf), integrations, {
      diff: diffReviews([], integrations, 'main'),
      plans: [summarizePlan(plan, 'plan.json', integrations)],
    });
    const markdown = renderReviewMarkdown(report);
    const diagram = /```mermaid\n[\s\S]*?```/.exec(markdown)![0];
    expect(diagram).toContain(mermaidText('unknown API ${var.secret_app}'));
    expect(diagram).not.toContain(planted);
    expect(diagram).not.toContain(mermaidText(planted));
    expect(markdown).not.toContain(planted);
  });
});
