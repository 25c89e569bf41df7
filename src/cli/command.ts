import { parseArgs, type ParseArgsConfig } from 'node:util';
import { KindoConfigError, show } from '../core/errors';

/** Exit statuses every subcommand shares; a subcommand may add its own above 2. */
export const CLI_EXIT = {
  /** Done, and nothing to report as a failure. */
  OK: 0,
  /** Bad input: a missing or unreadable file, a value that does not fit. */
  ERROR: 1,
  /** Wrong command line: an unknown option, a missing value, an unexpected argument. */
  USAGE: 2,
} as const;

/** Option values as `util.parseArgs` returns them. */
export type CommandValues = Record<string, string | boolean | string[] | undefined>;

/** One subcommand of `kindo-microsoft-integrations`. */
export interface Command {
  /** The word that selects it, e.g. `review`. */
  readonly name: string;
  /** One line for the list of commands. */
  readonly summary: string;
  /** The full `--help` text. */
  readonly usage: string;
  /** Its options, as `util.parseArgs` takes them; `--help` is added to every command. */
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** Runs it; returns the exit status (a promise for commands that ask a server). */
  run(values: CommandValues, cwd: string): number | Promise<number>;
}

/** Parses a subcommand's arguments (strict, no positionals); an error names the option and the value. */
export function parseCommandArgs(command: Command, args: readonly string[]): CommandValues | 'help' {
  const options = { ...command.options, help: { type: 'boolean', short: 'h' } } as const;
  const known = Object.keys(options)
    .map((o) => `--${o}`)
    .join(', ');
  try {
    const { values } = parseArgs({ args: [...args], options, strict: true, allowPositionals: false });
    return values.help ? 'help' : (values as CommandValues);
  } catch (e) {
    const { code, message } = e as Error & { code?: string };
    const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
      throw cliUsage(command.name, 'unknown option', quoted, `one of ${known}`);
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
      throw cliUsage(command.name, 'unexpected argument', quoted, `options only: ${known}`);
    const option = quoted.split(' ')[0];
    // The same code covers a flag given a value (`--json=yes`) and an option missing its value.
    if (options[option.replace(/^--/, '') as keyof typeof options]?.type === 'boolean')
      throw cliUsage(command.name, `option ${option} takes no value`, '', `${option} alone`);
    throw cliUsage(
      command.name,
      `option ${option} needs a value`,
      '',
      `${option} <value> (or ${option}=<value> for a value that starts with -)`,
    );
  }
}

/** A command line the CLI cannot run: names the subcommand, the option or argument and what it takes. */
export function cliUsage(command: string, problem: string, value: string, usage: string): KindoConfigError {
  return new KindoConfigError(
    'CLI_USAGE',
    `${command}: ${problem}${value === '' ? '' : `: ${show(value)}`}; expected ${usage}`,
  );
}
