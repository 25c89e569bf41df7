import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { cliUsage } from './command';
import { checkServiceUrl } from '../core/validate';
import type { Command } from './command';
import {
  VERIFY_EXIT,
  registrationsFromState,
  renderVerifyJson,
  renderVerifyTable,
  verifyRegistrations,
} from '../nango/verify';
import { KindoConfigError, show } from '../core/errors';
import { parseJsonText } from '../core/json-text';
import { visible } from '../core/visible';

const USAGE = `Usage: kindo-microsoft-integrations verify [options]

Step 7 of Kindo's guide done by a machine, after \`terraform apply\`: compares every Nango registration
in Terraform's state with Nango, per integration: registered or not, provider, client ID, scopes,
integration-specific fields, the app's redirect URI against Nango's callback URL, and whether Nango
holds the client secret Terraform holds (compared by SHA-256, never printed).

Run it in the stack's directory (cdktf.out/stacks/kindo-microsoft-integrations for the default stack),
where \`terraform show -json\` reads the state. The Nango secret key comes from the environment:
NANGO_SECRET_KEY, or TF_VAR_nango_secret_key.

Options:
  --dir DIR           the stack's Terraform directory (default: the current directory)
  --state FILE        read this \`terraform show -json\` output instead of running terraform
  --callback-url URL  Nango's OAuth callback URL, when its environment sets one
                      (default: <Nango server URL>/oauth/callback)
  --json              print the report as JSON instead of a table
  -h, --help          show this text

Exit status: 0 everything agrees; 3 something differs or could not be read; 1 bad input, Nango
unreachable or the key refused; 2 wrong command line.`;

/** `terraform show -json` of the state in `dir`: the whole state, whatever stack or module wrote it. */
function showState(dir: string): unknown {
  // spawn reports a missing working directory as ENOENT, as it does a missing terraform.
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw verifyStateUnreadable(dir, 'no such directory');
  const run = spawnSync('terraform', ['show', '-json', '-no-color'], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, TF_IN_AUTOMATION: '1' },
  });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT')
    throw verifyStateUnreadable(dir, 'terraform is not on the PATH');
  if (run.error) throw verifyStateUnreadable(dir, `terraform could not be run (${run.error.message})`);
  if (run.status !== 0)
    throw verifyStateUnreadable(
      dir,
      `terraform show -json exited with ${run.status}: ${visible((run.stderr || run.stdout).trim().split('\n').slice(0, 3).join(' '))}`,
    );
  return parse(run.stdout, dir);
}

function parse(json: string, source: string): unknown {
  const parsed = parseJsonText(json);
  if (!parsed.ok) throw verifyStateUnreadable(source, parsed.problem);
  return parsed.value;
}

/** `verify`: Nango compared with Terraform's state; a table, or JSON for CI. */
export const verifyCommand: Command = {
  name: 'verify',
  summary: "compare Nango's registrations with Terraform's state after apply (guide step 7)",
  usage: USAGE,
  options: {
    dir: { type: 'string', default: '.' },
    state: { type: 'string' },
    'callback-url': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  run: async (values, cwd) => {
    const callbackUrl = values['callback-url'] as string | undefined;
    if (callbackUrl !== undefined) {
      try {
        checkServiceUrl('--callback-url', callbackUrl);
      } catch {
        throw cliUsage(
          'verify',
          'option --callback-url is not an https URL',
          callbackUrl,
          "--callback-url https://<host>/oauth/callback, e.g. 'https://api.nango.dev/oauth/callback'",
        );
      }
    }
    const secretKey = process.env.NANGO_SECRET_KEY || process.env.TF_VAR_nango_secret_key;
    if (!secretKey) throw verifyNoSecretKey();
    const dir = resolve(cwd, values.dir as string);
    const stateFile = values.state as string | undefined;
    let source = dir;
    let state: unknown;
    if (stateFile !== undefined) {
      source = resolve(cwd, stateFile);
      let raw: string;
      try {
        raw = readFileSync(source, 'utf8');
      } catch (e) {
        throw verifyStateUnreadable(source, visible((e as Error).message));
      }
      state = parse(raw, source);
    } else {
      state = showState(dir);
    }
    const report = await verifyRegistrations(registrationsFromState(state, source), source, { secretKey, callbackUrl });
    process.stdout.write(values.json ? `${renderVerifyJson(report)}\n` : `${renderVerifyTable(report)}\n`);
    return report.agrees ? VERIFY_EXIT.AGREES : VERIFY_EXIT.DIFFERS;
  },
};

/** `verify` could not read Terraform's state. */
export function verifyStateUnreadable(dir: string, reason: string): KindoConfigError {
  return new KindoConfigError(
    'VERIFY_STATE_UNREADABLE',
    `cannot read Terraform's state in ${show(dir)}: ${reason}; expected a stack directory after \`terraform apply\` (cdktf.out/stacks/kindo-microsoft-integrations for the default stack), or --state with the output of \`terraform show -json\``,
  );
}

/** `verify` has no Nango secret key to read Nango with. */
export function verifyNoSecretKey(): KindoConfigError {
  return new KindoConfigError(
    'VERIFY_NO_SECRET_KEY',
    'no Nango secret key in the environment; expected NANGO_SECRET_KEY (or TF_VAR_nango_secret_key, as for apply) to hold the secret key of the environment the integrations are registered in, never on the command line',
  );
}
