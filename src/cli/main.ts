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
    `Run \`${PROGRAM} <command> --help\` for a command's options.`,
    'Exit status: 0 done; 1 bad input; 2 wrong command line; a command may add its own (see its --help).',
  ].join('\n');
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
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(
      `unknown command: '${name}'; expected one of ${COMMANDS.map((c) => c.name).join(', ')}\n\n${overview()}\n`,
    );
    return CLI_EXIT.USAGE;
  }
  const failed = (e: unknown): number => {
    if (!(e instanceof KindoConfigError)) throw e;
    process.stderr.write(`${e.message}\n`);
    if (e.code !== 'CLI_USAGE') return CLI_EXIT.ERROR;
    process.stderr.write(`\n${command.usage}\n`);
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

// `npm run review` and the bin script run this file.
if (require.main === module) {
  void Promise.resolve(main(process.argv.slice(2))).then((status) => (process.exitCode = status));
}
