import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalog, guideSource, type IntegrationDefinition } from '../src/catalog/catalog';

/** PERMISSIONS.md, rendered from permissions/ (the catalog is the source; this file is for reading). */
export function renderPermissionsDoc(): string {
  const guide = guideSource();
  const lines = [
    '# Permissions by integration',
    '',
    '<!-- Generated from permissions/*.json by `npm run permissions:doc`; do not edit by hand. -->',
    '',
    `Source: ${guide.publisher}'s [${guide.title}](${guide.url}), read ${guide.read}.`,
    '',
    "Every permission is **delegated**: it acts as the signed-in user, so the integration can reach only what both the app and the user may reach. Microsoft Fabric is the exception: it signs in as its own service principal (client credentials) and keeps only the portal's default `User.Read`.",
    '',
    "Every delegated integration also has `offline_access`: the guide's troubleshooting table asks for it wherever delegated refresh is required, and Nango refreshes every delegated connection. Where the integration's own table lacks it, it is marked as added that way; it is part of the guide's list, not a deviation.",
    '',
    '| Integration | Id | APIs | Permissions | Write | Admin consent |',
    '|---|---|---|---:|---:|---:|',
  ];
  const all = Object.values(catalog());
  const count = (i: IntegrationDefinition, f: (p: { access: string; adminConsentRequired: boolean }) => boolean) =>
    i.apis.reduce((n, a) => n + a.permissions.filter(f).length, 0);
  for (const i of all) {
    lines.push(
      `| [${i.displayName}](#${i.id}) | \`${i.id}\` | ${i.apis.map((a) => a.name).join(', ')} | ${count(i, () => true)} | ${count(i, (p) => p.access === 'write')} | ${count(i, (p) => p.adminConsentRequired)} |`,
    );
  }
  for (const i of all) {
    lines.push('', `## ${i.displayName} <a id="${i.id}"></a>`, '');
    lines.push(
      i.authFlow === 'delegated'
        ? `Delegated sign-in through Nango (default provider \`${i.nangoProvider}\`), with Nango's OAuth callback as Web redirect URI.`
        : "Client credentials (service principal); no redirect URI and no Nango registration. Kindo's connection form asks for: " +
            (i.connectionFields ?? []).map((f) => f.field).join(', ') +
            '.',
    );
    for (const api of i.apis) {
      lines.push(
        '',
        `### ${api.name}`,
        '',
        `Resource app \`${api.resourceAppId}\`, identifier URI \`${api.identifierUri}\`.`,
        '',
      );
      lines.push('| Permission | Description | Access | Admin consent | Scope ID |', '|---|---|---|---|---|');
      for (const p of api.permissions) {
        const directed =
          p.directedBy === 'troubleshooting' ? " (added as the guide's troubleshooting table directs)" : '';
        lines.push(
          `| \`${p.name}\`${directed} | ${p.description} | ${p.access === 'write' ? '**write**' : 'read'} | ${p.adminConsentRequired ? 'Yes' : 'No'} | \`${p.id}\` |`,
        );
      }
    }
  }
  const sources = new Map(all.flatMap((i) => i.apis.map((a) => [a.name, a.scopeIdSource] as const)));
  lines.push('', '## Where the scope IDs come from', '');
  for (const [api, source] of sources) lines.push(`- **${api}**: ${source}.`);
  return `${lines.join('\n')}\n`;
}

export const PERMISSIONS_DOC = join(__dirname, '..', 'PERMISSIONS.md');

if (require.main === module) {
  writeFileSync(PERMISSIONS_DOC, renderPermissionsDoc());
  console.log(`wrote ${PERMISSIONS_DOC}`);
}
