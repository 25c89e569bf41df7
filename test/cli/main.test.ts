import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS, main } from '../../src/cli/main';
import { loadSynthesizedStacks } from '../../src/review/review';
import { expectKindoError } from '../support/errors';
import { captureOutput } from '../support/output';

describe('command line', () => {
  const io = captureOutput();

  test('--help lists every command and exits 0', () => {
    expect(main(['--help'])).toBe(0);
    for (const c of COMMANDS) expect(io.out).toContain(`  ${c.name}`);
    expect(io.err).toBe('');
  });

  test.each(COMMANDS.map((c) => [c.name]))('%s --help prints its own usage and exits 0', (name) => {
    expect(main([name, '--help'])).toBe(0);
    expect(io.out).toMatch(new RegExp(`^Usage: kindo-microsoft-integrations ${name} `));
    expect(main([name, '-h'])).toBe(0);
  });

  test.each([['--version'], ['-V']])("%s prints the package.json's version alone and exits 0", (flag) => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
    expect(main([flag])).toBe(0);
    expect(io.out).toBe(`${version}\n`);
    expect(io.err).toBe('');
  });

  test('prints bad input as one line with its code, once, and exits 1', () => {
    const missing = join(__dirname, 'no-such-synth');
    expect(main(['review', '--synth', missing])).toBe(1);
    const error = expectKindoError(() => loadSynthesizedStacks(missing), 'REVIEW_INPUT_NOT_FOUND', [`'${missing}'`]);
    expect(io.err).toBe(`Error [REVIEW_INPUT_NOT_FOUND]: ${error.message}\n`);
    expect(io.out).toBe('');
  });

  test('throws bad input with its stack instead when KINDO_DEBUG is set', () => {
    vi.stubEnv('KINDO_DEBUG', '1');
    try {
      expectKindoError(() => main(['review', '--synth', join(__dirname, 'no-such-synth')]), 'REVIEW_INPUT_NOT_FOUND');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  test('fails if no command is given, with status 2 and the list on stderr', () => {
    expect(main([])).toBe(2);
    expect(io.err).toMatch(/^Usage: kindo-microsoft-integrations <command> \[options\]/);
  });

  test('fails if the command is unknown, naming it and the commands', () => {
    expect(main(['reveiw'])).toBe(2);
    expect(io.err).toMatch(
      new RegExp(`^unknown command: 'reveiw'; expected one of ${COMMANDS.map((c) => c.name).join(', ')}\\n`),
    );
  });

  test('fails if an option has no value, naming the option', () => {
    expect(main(['review', '--synth'])).toBe(2);
    expect(io.err).toMatch(
      /^review: option --synth needs a value; expected --synth <value> \(or --synth=<value> for a value that starts with -\)\n/,
    );
  });

  test.each(COMMANDS.map((c) => [c.name, Object.keys(c.options)]))(
    '%s fails if an option is unknown, naming it, listing its own options with --help, then its usage',
    (name, options) => {
      expect(main([name, '--stack=x'])).toBe(2);
      const [first, ...rest] = io.err.split('\n');
      expect(first).toBe(
        `${name}: unknown option: '--stack'; expected one of ${[...options, 'help'].map((o) => `--${o}`).join(', ')}`,
      );
      expect(rest.join('\n')).toMatch(new RegExp(`^\\nUsage: kindo-microsoft-integrations ${name} `));
    },
  );

  test('fails if a flag is given a value, naming the flag rather than asking for a value', () => {
    expect(main(['verify', '--json=yes'])).toBe(2);
    expect(io.err.split('\n')[0]).toBe('verify: option --json takes no value; expected --json alone');
  });

  test('fails if an argument is not an option, naming it', () => {
    expect(main(['review', 'cdktf.out'])).toBe(2);
    expect(io.err).toMatch(/^review: unexpected argument: 'cdktf.out'; expected options only: --synth, /);
  });
});
