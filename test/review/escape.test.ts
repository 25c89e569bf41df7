import MarkdownIt from 'markdown-it';
import { cell, code, html, text } from '../../src/review/escape';
import { visible } from '../../src/core/visible';
import {
  buildReviewReport,
  diffReviews,
  renderReviewMarkdown,
  reviewStacks,
  summarizePlan,
} from '../../src/review/review';
import type { SynthesizedStack } from '../../src/review/types';
import { adoptedTeams, addressOf, firstApplyPlan } from '../support/adopted-plan';

type Tf = Record<string, any>;

// GitHub renders comments as CommonMark with GFM tables and autolinks, and passes (sanitized) HTML;
// markdown-it with html and linkify is the closest CommonMark renderer on npm.
const renderer = new MarkdownIt({ html: true, linkify: true });
const render = (markdown: string) => renderer.render(markdown);

/** Values a pull request could put in a name, prefix, justification, note, key, URL, label or address. */
const HOSTILE = [
  'a\rb',
  'x\r<!-- hides the rest',
  'a\r\n## Risks\r\nNone.',
  'a\nb',
  'a\u2028b\u2029c\u0085d',
  'x\u0000y\u001b[31mz\u007f',
  '\u202eevil\u202c \ufeff\u200b',
  '<!--',
  '--> <!--',
  '<img src=https://evil.example/p.png>',
  '![x](https://evil.example/p.png)',
  '[x](javascript:alert(1))',
  '[ref]: https://evil.example',
  '<https://evil.example>',
  'https://evil.example/x',
  'www.evil.example',
  'someone@evil.example',
  '@org/team and @admin',
  '#123 and GH-123 and owner/repo#1',
  'a|b\\|c',
  '`',
  '``code`` ` `',
  ' `x` ',
  '## Risks None.',
  '# H1',
  '*em* _em_ **strong** ~~strike~~',
  '&lt;script&gt; &#64;admin &amp; &#x3c;b&#x3e;',
  '<script>alert(1)</script>',
  '<details open><summary>x</summary>',
  '</details></summary></b></code>',
  '$x^2$ $$\\frac{1}{2}$$',
  '\\',
  '"onmouseover="x',
  "' onerror='x",
  ':+1: :warning:',
  '<br><hr>',
  '1. item',
  '- item',
  '> quote',
  '| --- |',
];
const BENIGN = 'benign';

const ADOPTED = adoptedTeams();
const BASE = reviewStacks(ADOPTED);

/** The adopted Teams synth with `value` planted wherever the synth carries configured text. */
function plantedStacks(value: string): SynthesizedStack[] {
  const tf: Tf = JSON.parse(JSON.stringify(ADOPTED[0].config));
  const app = tf.resource.azuread_application[addressOf(tf, 'azuread_application', 'teams').split('.')[1]];
  app.display_name = value;
  app.web.redirect_uris = [value];
  app.required_resource_access[0].resource_access.push({ id: value, type: 'Scope' });
  app.required_resource_access.push({ resource_app_id: value, resource_access: [{ id: value, type: value }] });
  app['//'].kindo_permission_deviations = [
    { change: 'added', api: 'Microsoft Graph', id: value, permission: value, justification: value },
  ];
  app['//'].kindo_adoption.handMadeSecrets = [{ keyId: value, expires: value, description: value }];
  app['//'].kindo_adoption.application = { clientId: value };
  for (const i of tf.import) i.id = value;
  const sync = Object.values<Tf>(tf.resource.terraform_data).find((d) => 'provider' in (d.triggers_replace ?? {}))!;
  Object.assign(sync.triggers_replace, {
    server_url: value,
    provider: value,
    unique_key: value,
    scopes: value,
    [`field.${value}`]: value,
  });
  const password = tf.resource.azuread_application_password;
  for (const p of Object.values<Tf>(password)) p.end_date = value;
  const grant = tf.resource.azuread_service_principal_delegated_permission_grant;
  for (const g of Object.values<Tf>(grant)) g.claim_values.push(value);
  for (const sp of Object.values<Tf>(tf.resource.azuread_service_principal)) sp.app_role_assignment_required = value;
  return [{ name: value, config: tf }];
}

/** A plan of that synth that changes, imports and moves what carries `value`. */
function plantedPlan(stacks: SynthesizedStack[], value: string): unknown {
  const tf = stacks[0].config;
  const plan = firstApplyPlan(tf, 'secret') as Tf;
  const app = addressOf(tf, 'azuread_application', 'teams');
  const sync = addressOf(tf, 'terraform_data', 'teams_Nango_Registration');
  plan.resource_changes.push(
    {
      address: `azuread_application.${value}`,
      mode: 'managed',
      type: 'azuread_application',
      change: {
        actions: ['update'],
        before: {
          display_name: 'old',
          notes: value,
          web: [{ redirect_uris: ['https://api.nango.dev/oauth/callback'] }],
        },
        after: { display_name: value, notes: 'new', web: [{ redirect_uris: [value] }] },
        importing: { id: value },
      },
    },
    {
      address: sync,
      mode: 'managed',
      type: 'terraform_data',
      change: {
        actions: ['delete', 'create'],
        before: { triggers_replace: { integration: 'teams', server_url: 'https://api.nango.dev' } },
        after: { triggers_replace: { integration: 'teams', server_url: value } },
        replace_paths: [['triggers_replace', 'server_url']],
      },
    },
  );
  for (const rc of plan.resource_changes) if (rc.address === app) rc.change.after.display_name = value;
  return plan;
}

/** The whole report of the planted synth, diffed against the unplanted one and with the planted plan. */
function report(value: string): string {
  const stacks = plantedStacks(value);
  const head = reviewStacks(stacks);
  const summary = summarizePlan(plantedPlan(stacks, value), value, head);
  const diff = diffReviews(BASE, head, value);
  return renderReviewMarkdown(buildReviewReport(value, stacks, head, { diff, plans: [summary] }));
}

/**
 * Every element, comment and attribute of the rendered HTML with each text run reduced to `#text`,
 * sorted: a value sorts where it sorts (an address orders the plan's rows), so the multiset is compared.
 */
function structure(rendered: string): string[] {
  return [...rendered.matchAll(/<!--[\s\S]*?-->|<\/?[A-Za-z][^>]*>|[^<]+/g)]
    .map(([token]) => (token.startsWith('<') ? token : '#text'))
    .sort();
}

/** Text GitHub would turn into a mention, a reference or a link: outside code, in the rendered HTML's text. */
function linkable(rendered: string): string[] {
  const outsideCode = rendered.replace(/<code>[\s\S]*?<\/code>|<pre>[\s\S]*?<\/pre>/g, ' ');
  const texts = [...outsideCode.matchAll(/>([^<]*)</g)].map(([, t]) =>
    t.replace(/&(#\d+|#x[\da-f]+|\w+);/gi, (entity) => renderer.utils.unescapeAll(entity)),
  );
  const patterns = [
    /(?<![\w@])@[a-z\d][a-z\d-]*/i,
    /(?<![\w&])#\d+/,
    /\bGH-\d+/i,
    /\b(https?|ftp):\/\//i,
    /\b(mailto|xmpp):[^\s@]+@/i,
    /\bwww\./i,
    /[\w.+-]+@[\w-]+\.\w/,
  ];
  return texts.flatMap((t) => patterns.flatMap((p) => (p.test(t) ? [t.trim()] : [])));
}

describe('escaping a value for where it lands in the report', () => {
  test('shows invisible and line-breaking characters as \\u{…}', () => {
    expect(visible('a\rb\r\nc\u2028d\u202ee\tf')).toBe('a\\u{D}b\\u{D}\\u{A}c\\u{2028}d\\u{202E}e\\u{9}f');
  });

  test('escapes Markdown in text and breaks mentions, references and URLs with a zero-width space', () => {
    expect(text('*x* [a](b) <i> @me #1 https://x www.y GH-2')).toBe(
      '\\*x\\* \\[a\\](b) \\<i\\> \u200b@\u200bme \\#\u200b1 https:\u200b//x www\u200b.y GH\u200b-2',
    );
  });

  test('fences a code span with more backticks than it holds, padded when it starts or ends with one', () => {
    expect([code('a'), code('a`b'), code('``x'), code('x `')]).toEqual(['`a`', '``a`b``', '``` ``x ```', '`` x ` ``']);
    expect(render(code('`` <b>@me</b> ``'))).toBe('<p><code>`` &lt;b&gt;@me&lt;/b&gt; ``</code></p>\n');
  });

  test('writes HTML-significant characters as entities inside raw HTML', () => {
    expect(html(`<b a="1">'&'`)).toBe('&lt;b a=&quot;1&quot;&gt;&#39;&amp;&#39;');
  });

  test('escapes every pipe of a table cell, inside code spans too', () => {
    const table = `| a |\n|---|\n| ${cell(`${code('x|y')} ${text('p|q')}`)} |\n`;
    expect(render(table)).toContain('<td><code>x|y</code> p|q</td>');
  });
});

describe('hostile corpus rendered by a CommonMark renderer (markdown-it, GFM tables and autolinks, HTML on)', () => {
  const benign = render(report(BENIGN));

  test('the benign report has the sections, tables and links the report writes', () => {
    expect(structure(benign)).toEqual(expect.arrayContaining(['<table>', '<details>', '<summary>', '<code>']));
    expect(benign).toContain('Planned actions');
    expect(linkable(benign)).toEqual([]);
  });

  test.each(HOSTILE.map((value) => [JSON.stringify(value), value]))(
    '%s adds no element, attribute, link, image or mention, and hides nothing',
    (_, value) => {
      const markdown = report(value);
      const rendered = render(markdown);
      expect(structure(rendered)).toEqual(structure(benign));
      expect(linkable(rendered)).toEqual([]);
      // Every line of the Markdown is one the report wrote: no value breaks a line.
      expect(markdown.split('\n')).toHaveLength(report(BENIGN).split('\n').length);
    },
  );

  test('a value inside a Mermaid label is written as entity codes, so it cannot end the label or the diagram', () => {
    for (const value of HOSTILE) {
      const diagram = /```mermaid\n([\s\S]*?)\n```/.exec(report(value))?.[1] ?? '';
      for (const line of diagram.split('\n').slice(1))
        expect(line).toMatch(
          /^ {2}(\w+(\["[\w ./,+()#;-]*"\]|\(\["[\w ./,+()#;-]*"\]\))|\w+ (-->|==>|-\.->)\|"[\w ./,+()#;-]*"\| \w+|linkStyle [\d,]+ [\w:#;,-]+)$/,
        );
    }
  });
});
