import { visible } from '../core/visible';
import { show } from '../core/errors';
import type { AdoptionMatch } from './match';
import { saasChangeLines } from './render-saas';
import type { SaasAdoptionMatch } from './saas-match';

// What `adopt` tells the operator on standard error, whatever the format: what it found, what the first
// apply changes, what it could not match. Standard output carries only the settings. Names come from
// the tenant, so every line is made safe for the terminal.

const changes = (integration: string, notes: readonly string[]) =>
  notes.length === 0
    ? [`${integration}: the first apply changes nothing on it.`]
    : [`${integration}: the first apply changes:`, ...notes.map((n) => `  - ${n}`)];

const truncated = (lists: number) =>
  lists > 0
    ? [
        `${lists} Graph list(s) in the input are cut into pages (@odata.nextLink) and az rest printed the first page only: objects on later pages are missing.`,
      ]
    : [];

/** The summary of a match of app registrations made by hand. */
export function adoptionSummary(match: AdoptionMatch, truncatedLists = 0): string[] {
  const found = match.found.map((f) => `${f.integration} (${show(f.displayName, 60)}, client ID ${f.clientId})`);
  const lines = [
    `Found ${match.found.length} app registration(s) made by hand: ${found.join(', ') || 'none'}.`,
    ...match.found.flatMap((f) => changes(f.integration, f.notes)),
  ];
  if (match.missing.length > 0)
    lines.push(`No app registration found for: ${match.missing.join(', ')}; the stack creates theirs.`);
  if (match.unassigned.length > 0) {
    const apps = match.unassigned.map((a) => `${show(a.displayName, 60)} (client ID ${a.clientId})`);
    lines.push(
      `Not matched to any integration (adopt one with --app <integration id>=<client ID>): ${apps.join(', ')}.`,
    );
  }
  const delegated = match.found.filter((f) => f.integration !== 'fabric').map((f) => f.integration);
  if (delegated.length > 0)
    lines.push(
      `Set nangoUniqueKeys (module: nango_unique_keys) to the unique keys of your Nango integrations for ${delegated.join(', ')} if they are not kindo-<id>, so that Nango keeps their connections.`,
    );
  return [...lines, ...truncated(truncatedLists)].map(visible);
}

/** The summary of a match of Kindo SaaS consent. */
export function saasAdoptionSummary(match: SaasAdoptionMatch, truncatedLists = 0): string[] {
  const found = match.found.map(
    (f) =>
      `${f.integration} (${f.displayName ? show(f.displayName, 60) : 'unnamed'}, object ID ${f.servicePrincipalObjectId})`,
  );
  const lines = [
    `Found ${match.found.length} service principal(s) of Kindo's apps: ${found.join(', ') || 'none'}.`,
    ...match.found.flatMap((f) => saasChangeLines(f.integration, f.notes)),
  ];
  if (match.missing.length > 0)
    lines.push(
      `No service principal for: ${match.missing.join(', ')}; nothing to take over (KindoSaasConsent creates it).`,
    );
  return [...lines, ...truncated(truncatedLists)].map(visible);
}
