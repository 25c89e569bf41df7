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

const nextStep = (command: string) => `printf '%s\\n' ${shQuote(`Now run: ${command}`)}`;

/**
 * The script that lists the app registrations made by hand: by the guide's names or by the Nango
 * callback among their redirect URIs, with their service principals and consent grants.
 */
export function azQueries(
  integrations: readonly IntegrationId[],
  namePrefix: string,
  callbackUrl: string,
  out: string,
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
    nextStep(`npx kindo-microsoft-integrations adopt --integrations ${integrations.join(',')} --input ${shQuote(out)}`),
  ].join('\n');
}

/**
 * The script that lists, for Kindo SaaS, the service principal of each of Kindo's client IDs in the
 * tenant, its consent grants and the users and groups assigned to it.
 * @param clientIds Kindo's client IDs by integration, GUIDs (checked by the command)
 */
export function saasAzQueries(clientIds: Readonly<Partial<Record<IntegrationId, string>>>, out: string): string {
  const integrations = Object.keys(clientIds) as IntegrationId[];
  const options = integrations.map((id) => `--client-id ${id}=${clientIds[id]}`).join(' ');
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
    nextStep(`npx kindo-microsoft-integrations adopt --saas ${options} --input ${shQuote(out)}`),
  ].join('\n');
}
