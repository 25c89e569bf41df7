import { catalog, type CatalogApi, type IntegrationId } from '../catalog/catalog';
import { commentText, jmesLiteral, shQuote } from './escape';

// The read-only `az` commands `adopt` prints, as one POSIX sh script writing all their JSON to one
// file. Values from the command line reach the script only as single-quoted sh words (shQuote),
// and inside the JMESPath query as JSON literals (jmesLiteral), so that no value is run.

/** The Microsoft APIs the integrations use, each once. */
function apisOf(integrations: readonly IntegrationId[]): CatalogApi[] {
  const apis = integrations.flatMap((id) => catalog()[id].apis.map((a) => [a.resourceAppId, a] as const));
  return [...new Map(apis).values()];
}

/** The service principals of the APIs, to name what the grants are for. */
const apiLines = (apis: readonly CatalogApi[]) =>
  apis.map(
    (a) =>
      `  az ad sp list --filter "appId eq '${a.resourceAppId}'" --query "[].{id:id, appId:appId, displayName:displayName, servicePrincipalType:servicePrincipalType}" --output json  # ${commentText(a.name)}`,
  );

/** An option of `adopt` as given on the command line: its name, and its value unless it is a flag. */
export type AdoptOption = readonly [name: string, value?: string];

/**
 * The options in `values` (as util.parseArgs returns them) that were given, in their order: a flag
 * once, a repeated option once per value; unset ones (undefined, false, empty) left out.
 */
export function givenOptions(
  values: Readonly<Record<string, string | boolean | readonly string[] | undefined>>,
): AdoptOption[] {
  return Object.entries(values).flatMap(([name, value]): AdoptOption[] => {
    if (value === undefined || value === false) return [];
    if (value === true) return [[name]];
    return (typeof value === 'string' ? [value] : value).map((v) => [name, v]);
  });
}

/**
 * The line that tells what to run next: `adopt` with every option the user gave (so that matching uses
 * the same prefix, callback URL and picks) and `--input` the script's output. Names come from the
 * command's own option table; each value is one sh word.
 */
function nextStep(options: readonly AdoptOption[], out: string): string {
  const words = options.map(([name, value]) => (value === undefined ? `--${name}` : `--${name} ${shQuote(value)}`));
  const command = ['npx kindo-microsoft-integrations adopt', ...words, `--input ${shQuote(out)}`].join(' ');
  return `printf '%s\\n' ${shQuote(`Now run: ${command}`)}`;
}

/**
 * The script that lists the app registrations made by hand: by the guide's names or by the Nango
 * callback among their redirect URIs, with their service principals and consent grants.
 * @param options the options given, repeated in the next command the script prints
 */
export function azQueries(
  integrations: readonly IntegrationId[],
  namePrefix: string,
  callbackUrl: string,
  out: string,
  options: readonly AdoptOption[],
): string {
  // JMESPath runs client-side in az; Graph's $filter cannot match inside web/redirectUris.
  const names = integrations.map((id) => `displayName==${jmesLiteral(namePrefix + catalog()[id].displayName)}`);
  const query = `[?${names.join(' || ')} || contains(web.redirectUris, ${jmesLiteral(callbackUrl)})]`;
  return [
    '#!/bin/sh',
    "# Lists the app registrations set up by hand from Kindo's guide (by name or by Nango's callback URL),",
    '# their service principals and admin consent grants, and the service principals of the Microsoft APIs',
    '# they use. Reads only; run it signed in with `az login`.',
    'set -e',
    `apps=${shQuote(query)}`,
    `out=${shQuote(out)}`,
    '{',
    '  az ad app list --all --query "$apps" --output json',
    '  for app in $(az ad app list --all --query "$apps.appId" --output tsv); do',
    `    az ad sp list --filter "appId eq '$app'" --output json`,
    `    for sp in $(az ad sp list --filter "appId eq '$app'" --query "[].id" --output tsv); do`,
    `      az rest --method get --url "https://graph.microsoft.com/v1.0/oauth2PermissionGrants?\\$filter=clientId eq '$sp'"`,
    '    done',
    '  done',
    ...apiLines(apisOf(integrations)),
    '} > "$out"',
    nextStep(options, out),
  ].join('\n');
}

/**
 * The script that lists, for Kindo SaaS, the service principal of each of Kindo's client IDs in the
 * tenant, its consent grants and the users and groups assigned to it.
 * @param clientIds Kindo's client IDs by integration, GUIDs (checked by the command)
 * @param options the options given (`--saas` and `--client-id` among them), repeated in the next command
 */
export function saasAzQueries(
  clientIds: Readonly<Partial<Record<IntegrationId, string>>>,
  out: string,
  options: readonly AdoptOption[],
): string {
  const integrations = Object.keys(clientIds) as IntegrationId[];
  return [
    '#!/bin/sh',
    "# Lists the service principals of Kindo's apps in this tenant (one per client ID), their consent grants",
    '# and app role assignments, and the service principals of the Microsoft APIs they use. Reads only;',
    '# run it signed in with `az login`.',
    'set -e',
    `out=${shQuote(out)}`,
    '{',
    `  for client in ${integrations.map((id) => shQuote(clientIds[id]!)).join(' ')}; do`,
    `    az ad sp list --filter "appId eq '$client'" --output json`,
    `    for sp in $(az ad sp list --filter "appId eq '$client'" --query "[].id" --output tsv); do`,
    `      az rest --method get --url "https://graph.microsoft.com/v1.0/oauth2PermissionGrants?\\$filter=clientId eq '$sp'"`,
    `      az rest --method get --url "https://graph.microsoft.com/v1.0/servicePrincipals/$sp/appRoleAssignedTo?\\$top=999"`,
    '    done',
    '  done',
    ...apiLines(apisOf(integrations)),
    '} > "$out"',
    nextStep(options, out),
  ].join('\n');
}
