import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KindoConfigError } from '../core/errors';
import { CLI_EXIT, parseCommandArgs, type Command } from './command';
import { adoptCommand } from './adopt-command';
import { reviewCommand } from './review-command';
import { verifyCommand } from './verify-command';

/** Every subcommand, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [reviewCommand, verifyCommand, adoptCommand];

const PROGRAM = 'kindo-microsoft-integrations';

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `Usage: ${PROGRAM} <command> [options]`,
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `Run \`${PROGRAM} <command> --help\` for a command's options; \`${PROGRAM} --version\` for the version.`,
    'Exit status: 0 done; 1 bad input; 2 wrong command line; a command may add its own (see its --help).',
  ].join('\n');
}

/** The package's version, from its package.json (two folders up from src/cli and from lib/cli alike). */
export function version(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Runs the command line; returns the exit status, or a promise of it for a command that asks a server.
 * @param argv the arguments after the program name, e.g. `['review', '--base', 'origin/main']`.
 */
export function main(argv: readonly string[], cwd: string = process.cwd()): number | Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? process.stderr : process.stdout).write(`${overview()}\n`);
    return name === undefined ? CLI_EXIT.USAGE : CLI_EXIT.OK;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`${version()}\n`);
    return CLI_EXIT.OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(
      `unknown command: '${name}'; expected one of ${COMMANDS.map((c) => c.name).join(', ')}\n\n${overview()}\n`,
    );
    return CLI_EXIT.USAGE;
  }
  // Bad input: its code and message, once (a wrong command line: the message and the usage); any
  // other error is a fault and keeps its stack, as does bad input with KINDO_DEBUG=1.
  const failed = (e: unknown): number => {
    if (!(e instanceof KindoConfigError) || process.env.KINDO_DEBUG) throw e;
    if (e.code !== 'CLI_USAGE') {
      process.stderr.write(`${cliError(e)}\n`);
      return CLI_EXIT.ERROR;
    }
    process.stderr.write(`${e.message}\n\n${command.usage}\n`);
    return CLI_EXIT.USAGE;
  };
  try {
    const values = parseCommandArgs(command, args);
    if (values === 'help') {
      process.stdout.write(`${command.usage}\n`);
      return CLI_EXIT.OK;
    }
    const status = command.run(values, cwd);
    return typeof status === 'number' ? status : status.catch(failed);
  } catch (e) {
    return failed(e);
  }
}

/** How the CLI prints bad input: `Error [UNKNOWN_INTEGRATION]: <message>`, as Node prints its own coded errors. */
export function cliError(e: KindoConfigError): string {
  return `Error [${e.code}]: ${e.message}`;
}

// `npm run review` and the bin script run this file.
if (require.main === module) {
  void Promise.resolve(main(process.argv.slice(2))).then((status) => (process.exitCode = status));
}
