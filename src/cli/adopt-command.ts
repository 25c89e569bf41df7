import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { INTEGRATION_IDS, type IntegrationId } from '../catalog/catalog';
import { checkServiceUrl } from '../core/validate';
import {
  adoptInputInvalid,
  azQueries,
  classify,
  matchApps,
  parseJsonDocuments,
  renderHcl,
  renderJson,
  renderTypeScript,
} from './adopt-candidates';
import { CLI_EXIT, type Command, cliUsage } from './command';

/** Exit statuses of the `adopt` command. */
export const ADOPT_EXIT = {
  ...CLI_EXIT,
  /** The input holds no app registration for any chosen integration: the stack would create them all. */
  NONE_FOUND: 3,
} as const;

const DEFAULT_CALLBACK = 'https://api.nango.dev/oauth/callback';
const DEFAULT_OUT = 'kindo-adopt.json';
// Terraform's identifiers: a letter or underscore, then letters, digits, underscores and dashes.
const HCL_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const USAGE = `Usage: kindo-microsoft-integrations adopt [options]

Finds the Entra app registrations you set up by hand from Kindo's guide and prints the settings that
make the stack import them instead of creating new ones (docs/adopting.md). Makes no network calls:
without --input it prints the read-only \`az\` commands to run; with --input it reads their output.

Options:
  --integrations LIST  comma-separated integration ids (default: all 14)
  --name-prefix TEXT   what the app names start with (default: 'Kindo - ', as in "Kindo - Microsoft Teams")
  --callback-url URL   Nango's OAuth callback URL, the apps' redirect URI
                       (default: ${DEFAULT_CALLBACK})
  --out FILE           where the printed commands write their output (default: ${DEFAULT_OUT})
  --input FILE         the commands' output to read; - reads standard input
  --app ID=CLIENT_ID   the app to adopt for integration ID, when several share its name or it has
                       another name; repeat for several integrations
  --format FORMAT      ts (KindoMicrosoftIntegrations' existingApps), hcl (the module's
                       existing_apps and the root module's import blocks), json (the file
                       KINDO_EXISTING_APPS names for the default stack) or both ts and hcl
                       (default: both)
  --module NAME        the module block's name in the printed HCL (default: kindo)
  -h, --help           show this text

Exit status: 0 printed; 3 no app registration found for any chosen integration; 1 bad input;
2 wrong command line.`;

function integrationsOf(value: string | undefined): IntegrationId[] {
  if (value === undefined) return [...INTEGRATION_IDS];
  const ids = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length === 0)
    throw cliUsage(
      'adopt',
      'option --integrations is empty',
      value,
      `integration ids separated by commas, from: ${INTEGRATION_IDS.join(', ')}`,
    );
  for (const id of ids) {
    if (!(INTEGRATION_IDS as readonly string[]).includes(id))
      throw cliUsage('adopt', 'unknown integration in --integrations', id, `one of ${INTEGRATION_IDS.join(', ')}`);
  }
  return [...new Set(ids)] as IntegrationId[];
}

function picksOf(
  values: readonly string[],
  integrations: readonly IntegrationId[],
): Partial<Record<IntegrationId, string>> {
  const picks: Partial<Record<IntegrationId, string>> = {};
  for (const v of values) {
    const [id, clientId, ...rest] = v.split('=');
    if (
      rest.length > 0 ||
      clientId === undefined ||
      !GUID.test(clientId) ||
      !(integrations as readonly string[]).includes(id)
    ) {
      throw cliUsage(
        'adopt',
        'option --app',
        v,
        `<integration id>=<client ID>, e.g. teams=6e5d4c3b-2a19-4f08-8e7d-6c5b4a392817, for an integration in --integrations`,
      );
    }
    picks[id as IntegrationId] = clientId;
  }
  return picks;
}

function readInput(input: string, cwd: string): string {
  try {
    return input === '-' ? readFileSync(0, 'utf8') : readFileSync(resolve(cwd, input), 'utf8');
  } catch (e) {
    throw adoptInputInvalid(input === '-' ? 'standard input' : input, (e as Error).message);
  }
}

function adopt(values: Record<string, unknown>, cwd: string): number {
  const integrations = integrationsOf(values.integrations as string | undefined);
  const namePrefix = values['name-prefix'] as string;
  const callbackUrl = values['callback-url'] as string;
  checkServiceUrl('--callback-url', callbackUrl);
  const format = values.format as string;
  if (!['ts', 'hcl', 'json', 'both'].includes(format))
    throw cliUsage('adopt', 'option --format', format, 'ts, hcl, json or both');
  const moduleName = values.module as string;
  if (!HCL_NAME.test(moduleName))
    throw cliUsage('adopt', 'option --module', moduleName, 'the name of your module block, e.g. kindo');
  const picks = picksOf((values.app as string[]) ?? [], integrations);
  const input = values.input as string | undefined;

  if (input === undefined) {
    process.stdout.write(`${azQueries(integrations, namePrefix, callbackUrl, values.out as string)}\n`);
    return ADOPT_EXIT.OK;
  }

  const source = input === '-' ? 'standard input' : input;
  const match = matchApps(classify(parseJsonDocuments(readInput(input, cwd), source)), integrations, {
    namePrefix,
    callbackUrl,
    picks,
  });
  const out: string[] = [];
  if (format === 'json') {
    // Only the settings on standard output, so that `> kindo-existing-apps.json` is the file to use; the rest to standard error.
    process.stderr.write(
      `Found ${match.found.length} app registration(s) made by hand: ${match.found.map((f) => f.integration).join(', ') || 'none'}.\n`,
    );
    if (match.found.length > 0) process.stdout.write(`${renderJson(match.found)}\n`);
    return match.found.length > 0 ? ADOPT_EXIT.OK : ADOPT_EXIT.NONE_FOUND;
  }
  out.push(
    `Found ${match.found.length} app registration(s) made by hand: ${match.found.map((f) => `${f.integration} ('${f.displayName}', client ID ${f.clientId})`).join(', ') || 'none'}.`,
  );
  if (match.missing.length > 0)
    out.push(`No app registration found for: ${match.missing.join(', ')}; the stack creates theirs.`);
  if (match.unassigned.length > 0)
    out.push(
      `Not matched to any integration (adopt one with --app <integration id>=<client ID>): ${match.unassigned.join(', ')}.`,
    );
  if (match.found.length > 0) {
    const delegated = match.found.filter((f) => f.integration !== 'fabric').map((f) => f.integration);
    if (delegated.length > 0) {
      out.push(
        `Set nangoUniqueKeys (module: nango_unique_keys) to the unique keys of your Nango integrations for ${delegated.join(', ')} if they are not kindo-<id>, so that Nango keeps their connections.`,
      );
    }
    if (format !== 'hcl')
      out.push('', 'TypeScript (KindoMicrosoftIntegrations props):', '', renderTypeScript(match.found));
    if (format !== 'ts')
      out.push(
        '',
        'HCL (module inputs, and import blocks for the root module):',
        '',
        renderHcl(match.found, values.module as string),
      );
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return match.found.length > 0 ? ADOPT_EXIT.OK : ADOPT_EXIT.NONE_FOUND;
}

/** `adopt`: the az queries that find hand-made apps, and the adoption settings from their output. */
export const adoptCommand: Command = {
  name: 'adopt',
  summary: 'find app registrations set up by hand and print the settings that import them',
  usage: USAGE,
  options: {
    integrations: { type: 'string' },
    'name-prefix': { type: 'string', default: 'Kindo - ' },
    'callback-url': { type: 'string', default: DEFAULT_CALLBACK },
    out: { type: 'string', default: DEFAULT_OUT },
    input: { type: 'string' },
    app: { type: 'string', multiple: true, default: [] },
    format: { type: 'string', default: 'both' },
    module: { type: 'string', default: 'kindo' },
  },
  run: (values, cwd) => adopt(values, cwd),
};
