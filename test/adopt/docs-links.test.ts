import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// Adoption messages point at docs by anchor (KindoConfigError's docs argument) and the docs at each
// other: each anchor must be a heading of the file it names, as GitHub makes anchors from headings.

const ROOT = join(__dirname, '..', '..');
const SOURCES = [
  ...readdirSync(join(ROOT, 'src', 'adopt'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('-schema-validator.ts'))
    .map((f) => `src/adopt/${f}`),
  'src/cli/adopt-command.ts',
  'src/constructs/existing-app.ts',
  'src/constructs/existing-app-import.ts',
  'src/constructs/existing-consent-import.ts',
  'src/constructs/kindo-saas-consent.ts',
  'docs/adopting.md',
  'docs/kindo-saas.md',
  'docs/troubleshooting.md',
];

/** GitHub's anchor of a heading: lower case, punctuation but `-` and `_` dropped, spaces as `-`. */
const slug = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

const anchors = (doc: string) =>
  new Set(
    readFileSync(join(ROOT, 'docs', doc), 'utf8')
      .split('\n')
      .filter((l) => /^#{1,6} /.test(l))
      .map((l) => slug(l.replace(/^#+ /, ''))),
  );

describe('links into the docs from adoption code and docs', () => {
  test.each(SOURCES)('every docs anchor %s names is a heading', (source) => {
    const text = readFileSync(join(ROOT, source), 'utf8');
    const links = [...text.matchAll(/(?:docs\/|\]\()([a-z-]+\.md)#([a-z0-9_-]+)/g)].map((m) => [m[1], m[2]]);
    for (const [doc, anchor] of links) expect(anchors(doc), `${source}: ${doc}#${anchor}`).toContain(anchor);
  });

  test('the adoption messages link the sections that explain them', () => {
    const linked = SOURCES.filter((s) => s.startsWith('src/')).flatMap((s) =>
      [...readFileSync(join(ROOT, s), 'utf8').matchAll(/docs\/([a-z-]+\.md#[a-z0-9_-]+)/g)].map((m) => m[1]),
    );
    // Other files of the list (kindo-saas-consent.ts) may link further sections: these must be among them.
    expect([...new Set(linked)]).toEqual(
      expect.arrayContaining([
        'adopting.md#the-adoption-file',
        'adopting.md#1-find-what-you-have',
        'adopting.md#2-turn-it-into-settings',
        'adopting.md#6-clean-up-and-re-plan',
        'adopting.md#the-nango-decision-is-never-implicit',
        'troubleshooting.md#input-rules',
        'kindo-saas.md#consent-given-before-terraform',
      ]),
    );
  });
});
