import { catalog } from '../catalog/catalog';
import { commentText, tsString } from './escape';
import type { FoundApp } from './match';

// The adoption settings as TypeScript to paste into KindoMicrosoftIntegrations' props. Every value is
// a string literal (tsString) and every comment one line (commentText): a name from the tenant can
// neither end a string nor a `//` comment (U+2028 and U+2029 end lines in JavaScript).

/** A `//` comment line. */
export const tsComment = (indent: string, text: string) => `${indent}// ${commentText(text)}`;

/**
 * Whoever made the app by hand made its Nango integration too (the guide's step 4); the stack refuses
 * an adopted app without a decision on it, and taking it over is safe when there is none (it is created).
 */
export const TAKE_OVER =
  'Your Nango integrations made by hand: taken over and updated in place, connections kept (set their unique keys if not kindo-<id>).';

/** The found integrations registered with Nango (all but client credentials). */
export const nangoRegistered = (found: readonly FoundApp[]) =>
  found.filter((f) => catalog()[f.integration].authFlow === 'delegated').map((f) => f.integration);

/** The first apply's changes on one app, as comment text lines. */
export const changeLines = (f: FoundApp): string[] => [
  `${f.displayName}: the first apply ${f.notes.length > 0 ? 'changes:' : 'changes nothing on it.'}`,
  ...f.notes.map((n) => `  - ${n}`),
];

function secretLines(f: FoundApp): string[] {
  if (f.secrets.length === 0) return [];
  const secret = (s: FoundApp['secrets'][number]) =>
    [
      `keyId: ${tsString(s.keyId)}`,
      ...(s.expires ? [`expires: ${tsString(s.expires)}`] : []),
      ...(s.description ? [`description: ${tsString(s.description)}`] : []),
    ].join(', ');
  return [
    tsComment('    ', 'Hand-made secrets: left in place; delete them once Kindo works with the new one.'),
    '    clientSecrets: [',
    ...f.secrets.map((s) => `      { ${secret(s)} },`),
    '    ],',
  ];
}

function appLines(f: FoundApp): string[] {
  const grants = Object.entries(f.grantIds);
  return [
    ...changeLines(f).map((line) => tsComment('  ', line)),
    `  ${tsString(f.integration)}: {`,
    `    applicationObjectId: ${tsString(f.objectId)},`,
    ...(f.servicePrincipalObjectId ? [`    servicePrincipalObjectId: ${tsString(f.servicePrincipalObjectId)},`] : []),
    ...(grants.length > 0
      ? [`    permissionGrantIds: { ${grants.map(([api, id]) => `${tsString(api)}: ${tsString(id)}`).join(', ')} },`]
      : []),
    ...secretLines(f),
    '  },',
  ];
}

/** The `adoptExistingNangoIntegrations` and `existingApps` props of KindoMicrosoftIntegrations. */
export function renderTypeScript(found: readonly FoundApp[]): string {
  const delegated = nangoRegistered(found);
  return [
    ...(delegated.length > 0
      ? [tsComment('', TAKE_OVER), `adoptExistingNangoIntegrations: [${delegated.map(tsString).join(', ')}],`]
      : []),
    'existingApps: {',
    ...found.flatMap(appLines),
    '},',
  ].join('\n');
}
