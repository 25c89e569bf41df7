import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { INTEGRATION_IDS, type IntegrationId } from '../catalog/catalog';
import { checkServiceUrl } from '../core/validate';
import { adoptInputInvalid, readAzObjects } from '../adopt/az-output';
import { azQueries, givenOptions, saasAzQueries } from '../adopt/az-queries';
import { codePointName, firstInvisible, visible } from '../core/visible';
import { matchApps } from '../adopt/match';
import { renderHcl } from '../adopt/render-hcl';
import { renderJson } from '../adopt/render-json';
import { renderSaasHcl, renderSaasTypeScript } from '../adopt/render-saas';
import { renderTypeScript } from '../adopt/render-typescript';
import { matchSaas } from '../adopt/saas-match';
import { adoptionSummary, saasAdoptionSummary } from '../adopt/summary';
import { CLI_EXIT, type Command, type CommandValues, cliUsage } from './command';

/** Exit statuses of the `adopt` command. */
export const ADOPT_EXIT = {
  ...CLI_EXIT,
  /** The input holds nothing to adopt for any chosen integration: the stack would create everything. */
  NONE_FOUND: 3,
} as const;

const DEFAULTS = {
  namePrefix: 'Kindo - ',
  callbackUrl: 'https://api.nango.dev/oauth/callback',
  out: 'kindo-adopt.json',
  saasOut: 'kindo-saas-adopt.json',
};
// Terraform's identifiers: a letter or underscore, then letters, digits, underscores and dashes.
const HCL_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const USAGE = `Usage: kindo-microsoft-integrations adopt [options]

Finds what was set up by hand from Kindo's guide and prints the settings that make the stack import it
instead of creating it anew (docs/adopting.md). Makes no network calls: without --input it prints the
read-only \`az\` commands to run; with --input it reads their output. Settings go to standard output,
what was found and what the first apply changes to standard error.

Options:
  --integrations LIST  comma-separated integration ids (default: all 14)
  --name-prefix TEXT   what the app names start with (default: '${DEFAULTS.namePrefix}', as in "Kindo - Microsoft Teams")
  --callback-url URL   Nango's OAuth callback URL, the apps' redirect URI (default: ${DEFAULTS.callbackUrl})
  --out FILE           where the printed commands write their output (default: ${DEFAULTS.out};
                       with --saas ${DEFAULTS.saasOut})
  --input FILE         the commands' output to read; - reads standard input
  --app ID=CLIENT_ID   the app to adopt for integration ID, when several share its name or it has
                       another name; repeat for several integrations
  --saas               Kindo SaaS (KindoSaasConsent): find the service principals of Kindo's apps, their
                       tenant-wide consent grants and group assignments instead
  --client-id ID=GUID  with --saas: Kindo's client ID for integration ID, as Kindo publishes it; repeat
  --format FORMAT      ts (KindoMicrosoftIntegrations' existingApps; with --saas KindoSaasConsent's
                       existing), hcl (the module's integrations and the root module's import blocks),
                       json (the file KINDO_EXISTING_APPS names; not with --saas) or both ts and hcl
                       (default: both)
  --module NAME        the module block's name in the printed HCL (default: kindo)
  -h, --help           show this text

Input rules: docs/troubleshooting.md#input-rules. Exit status: 0 printed; 3 nothing found to adopt;
1 bad input; 2 wrong command line.`;

/** Options whose values reach the printed script: no control characters, line breaks or bidi marks. */
function checkPrintable(option: string, value: string): void {
  const unsafe = firstInvisible(value);
  if (unsafe)
    throw cliUsage(
      'adopt',
      `option --${option} has ${codePointName(unsafe.codePoint)} at character ${unsafe.index + 1}`,
      '',
      'printable text without control characters, line breaks or bidi marks',
    );
}

function integrationsOf(value: string | undefined): IntegrationId[] {
  if (value === undefined) return [...INTEGRATION_IDS];
  const ids = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const known = `integration ids separated by commas, from: ${INTEGRATION_IDS.join(', ')}`;
  if (ids.length === 0) throw cliUsage('adopt', 'option --integrations is empty', visible(value), known);
  for (const id of ids) {
    if (!(INTEGRATION_IDS as readonly string[]).includes(id))
      throw cliUsage(
        'adopt',
        'unknown integration in --integrations',
        visible(id),
        `one of ${INTEGRATION_IDS.join(', ')}`,
      );
  }
  return [...new Set(ids)] as IntegrationId[];
}

/** `ID=GUID` pairs of --app or --client-id, GUIDs in lower case; each integration once, from `allowed`. */
function pairsOf(option: string, values: readonly string[], allowed: readonly string[]): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const v of values) {
    const [id, guid, ...rest] = v.split('=');
    if (
      rest.length > 0 ||
      guid === undefined ||
      !GUID.test(guid) ||
      !allowed.includes(id) ||
      Object.hasOwn(pairs, id)
    ) {
      const scope = option === 'app' ? 'for an integration in --integrations' : 'each integration once';
      throw cliUsage(
        'adopt',
        `option --${option}`,
        visible(v),
        `<integration id>=<GUID>, e.g. teams=6e5d4c3b-2a19-4f08-8e7d-6c5b4a392817, ${scope}`,
      );
    }
    pairs[id] = guid.toLowerCase();
  }
  return pairs;
}

function readInput(input: string, cwd: string): string {
  try {
    return input === '-' ? readFileSync(0, 'utf8') : readFileSync(resolve(cwd, input), 'utf8');
  } catch (e) {
    throw adoptInputInvalid(input === '-' ? 'standard input' : input, visible((e as Error).message));
  }
}

const write = (stream: NodeJS.WriteStream, lines: readonly string[]) => {
  if (lines.length > 0) stream.write(`${lines.join('\n')}\n`);
};

/** The option values every mode shares, checked. */
function common(values: CommandValues, saas: boolean) {
  const format = (values.format as string | undefined) ?? 'both';
  const formats = saas ? ['ts', 'hcl', 'both'] : ['ts', 'hcl', 'json', 'both'];
  if (!formats.includes(format))
    throw cliUsage('adopt', 'option --format', visible(format), `${formats.slice(0, -1).join(', ')} or both`);
  const moduleName = (values.module as string | undefined) ?? 'kindo';
  if (!HCL_NAME.test(moduleName))
    throw cliUsage('adopt', 'option --module', visible(moduleName), 'the name of your module block, e.g. kindo');
  const out = (values.out as string | undefined) ?? (saas ? DEFAULTS.saasOut : DEFAULTS.out);
  checkPrintable('out', out);
  return { format, moduleName, out, input: values.input as string | undefined };
}

function selfManaged(values: CommandValues, cwd: string): number {
  if ((values['client-id'] as string[]).length > 0)
    throw cliUsage(
      'adopt',
      'option --client-id without --saas',
      '',
      '--saas --client-id <id>=<GUID>, or --app for apps made by hand',
    );
  const { format, moduleName, out, input } = common(values, false);
  const integrations = integrationsOf(values.integrations as string | undefined);
  const namePrefix = (values['name-prefix'] as string | undefined) ?? DEFAULTS.namePrefix;
  const callbackUrl = (values['callback-url'] as string | undefined) ?? DEFAULTS.callbackUrl;
  checkPrintable('name-prefix', namePrefix);
  checkPrintable('callback-url', callbackUrl);
  checkServiceUrl('--callback-url', callbackUrl);
  const picks = pairsOf('app', values.app as string[], integrations);
  if (input === undefined) {
    // The integrations as checked: their ids, without the spaces or line breaks trim() let through.
    const options = givenOptions({ ...values, integrations: values.integrations && integrations.join(',') });
    write(process.stdout, [azQueries(integrations, namePrefix, callbackUrl, out, options)]);
    return ADOPT_EXIT.OK;
  }
  const objects = readAzObjects(readInput(input, cwd), input === '-' ? 'standard input' : input);
  const match = matchApps(objects, integrations, { namePrefix, callbackUrl, picks });
  write(process.stderr, adoptionSummary(match, objects.truncatedLists));
  if (match.found.length === 0) return ADOPT_EXIT.NONE_FOUND;
  const settings =
    format === 'json'
      ? [renderJson(match.found)]
      : [
          ...(format === 'hcl' ? [] : [renderTypeScript(match.found)]),
          ...(format === 'both' ? [''] : []),
          ...(format === 'ts' ? [] : [renderHcl(match.found, moduleName)]),
        ];
  write(process.stdout, settings);
  return ADOPT_EXIT.OK;
}

function saas(values: CommandValues, cwd: string): number {
  for (const option of ['integrations', 'name-prefix', 'callback-url'] as const)
    if (values[option] !== undefined)
      throw cliUsage('adopt', `option --${option} with --saas`, '', '--client-id <id>=<GUID> for each integration');
  if ((values.app as string[]).length > 0)
    throw cliUsage('adopt', 'option --app with --saas', '', '--client-id <id>=<GUID> for each integration');
  const { format, moduleName, out, input } = common(values, true);
  const clientIds = pairsOf('client-id', values['client-id'] as string[], INTEGRATION_IDS);
  if (Object.keys(clientIds).length === 0)
    throw cliUsage('adopt', '--saas without --client-id', '', "--client-id <id>=<GUID> for each of Kindo's apps");
  if (input === undefined) {
    write(process.stdout, [saasAzQueries(clientIds, out, givenOptions(values))]);
    return ADOPT_EXIT.OK;
  }
  const objects = readAzObjects(readInput(input, cwd), input === '-' ? 'standard input' : input);
  const match = matchSaas(objects, clientIds);
  write(process.stderr, saasAdoptionSummary(match, objects.truncatedLists));
  if (match.found.length === 0) return ADOPT_EXIT.NONE_FOUND;
  write(process.stdout, [
    ...(format === 'hcl' ? [] : [renderSaasTypeScript(match.found)]),
    ...(format === 'both' ? [''] : []),
    ...(format === 'ts' ? [] : [renderSaasHcl(match.found, moduleName)]),
  ]);
  return ADOPT_EXIT.OK;
}

/** `adopt`: the az queries that find hand-made setups, and the adoption settings from their output. */
export const adoptCommand: Command = {
  name: 'adopt',
  summary: 'find app registrations or SaaS consent set up by hand and print the settings that import them',
  usage: USAGE,
  options: {
    integrations: { type: 'string' },
    'name-prefix': { type: 'string' },
    'callback-url': { type: 'string' },
    out: { type: 'string' },
    input: { type: 'string' },
    app: { type: 'string', multiple: true, default: [] },
    saas: { type: 'boolean', default: false },
    'client-id': { type: 'string', multiple: true, default: [] },
    // No defaults here (common() has them): the next command the az script prints repeats only what was given.
    format: { type: 'string' },
    module: { type: 'string' },
  },
  run: (values, cwd) => (values.saas ? saas(values, cwd) : selfManaged(values, cwd)),
};
