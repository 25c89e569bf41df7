import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { azQueries, givenOptions, saasAzQueries } from '../../src/adopt/az-queries';
import { main } from '../../src/cli/main';
import { catalog } from '../../src/catalog/catalog';
import { captureOutput } from '../support/output';

// The printed script run by a real `sh` against a fake `az` that records its arguments: values from
// the command line must reach az as one argument each, and nothing else may run.

const SP = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const APP = '6e5d4c3b-2a19-4f08-8e7d-6c5b4a392817';

// Printable, so accepted by the command; each would run something if a value were not quoted.
const HOSTILE = [
  `$(touch pwned-dollar)`,
  '`touch pwned-backtick`',
  `'; touch pwned-quote; echo '`,
  `"; touch pwned-dquote; echo "`,
  '${IFS}*?[a] & | ; < > #~',
  `\\' || displayName=='x`,
  '\\`"] || [?true] || ["\\',
  `it's "quoted" \\ back\\slash`,
];

/** A fake az: records each call's arguments (NUL-separated, the count first) and prints IDs for tsv queries. */
const FAKE_AZ = `#!/bin/sh
{ printf '%s\\0' "$#"; for a in "$@"; do printf '%s\\0' "$a"; done; } >> "$AZ_LOG"
case "$*" in
  *"ad app list"*tsv*) printf '%s\\n' ${APP} ;;
  *"ad sp list"*tsv*) printf '%s\\n' ${SP} ;;
  *) printf '[]\\n' ;;
esac
`;

function calls(log: string): string[][] {
  const fields = readFileSync(log, 'utf8').split('\0');
  const result: string[][] = [];
  for (let i = 0; i < fields.length - 1; ) {
    const count = Number(fields[i]);
    result.push(fields.slice(i + 1, i + 1 + count));
    i += count + 1;
  }
  return result;
}

/** JMESPath's JSON literals decoded, as az's jmespath.py reads them: `\\`` is a backtick, the rest JSON. */
const literals = (query: string) =>
  [...query.matchAll(/`((?:\\.|[^`\\])*)`/g)].map((m) => JSON.parse(m[1].replace(/\\`/g, '`')));

describe('the az script adopt prints', () => {
  const io = captureOutput();
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kindo-azq-'));
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'az'), FAKE_AZ);
    chmodSync(join(dir, 'bin', 'az'), 0o755);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * The command the script's last line tells to run, run as printed by `sh -c` with a fake `npx` (the
   * fake az, recording): its arguments, which must be the options given and `--input`.
   */
  const nextArgs = (stdout: string) => {
    expect(stdout).toMatch(/^Now run: npx kindo-microsoft-integrations adopt [^\n]*\n$/);
    writeFileSync(join(dir, 'bin', 'npx'), FAKE_AZ);
    chmodSync(join(dir, 'bin', 'npx'), 0o755);
    const command = stdout.slice('Now run: '.length, -1);
    const result = spawnSync('/bin/sh', ['-c', command], {
      cwd: dir,
      env: { PATH: join(dir, 'bin'), AZ_LOG: join(dir, 'npx.log') },
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    const recorded = calls(join(dir, 'npx.log'));
    expect(recorded).toHaveLength(1);
    return recorded[0];
  };

  const run = (script: string) => {
    writeFileSync(join(dir, 'find.sh'), script);
    expect(spawnSync('/bin/sh', ['-n', 'find.sh'], { cwd: dir, encoding: 'utf8' }).status).toBe(0);
    // Only the fake az on the PATH: any other command the script ran would fail, and show on stderr.
    return spawnSync('/bin/sh', ['find.sh'], {
      cwd: dir,
      env: { PATH: join(dir, 'bin'), AZ_LOG: join(dir, 'az.log') },
      encoding: 'utf8',
    });
  };

  test.each(HOSTILE)(
    'passes the name prefix, callback URL and output file %j as one argument each, running nothing else',
    (value) => {
      const callback = `https://nango.example.com/${value}`;
      const out = `kindo ${value}.json`;
      const options = givenOptions({
        integrations: 'teams,defender',
        'name-prefix': value,
        'callback-url': callback,
        out,
        app: [`teams=${APP}`],
        saas: false,
        'client-id': [],
      });
      const result = run(azQueries(['teams', 'defender'], value, callback, out, options));
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const recorded = calls(join(dir, 'az.log'));
      const query = recorded[0][recorded[0].indexOf('--query') + 1];
      expect(recorded[0]).toEqual(['ad', 'app', 'list', '--all', '--query', query, '--output', 'json']);
      expect(literals(query)).toEqual([`${value}Microsoft Teams`, `${value}Microsoft Defender`, callback]);
      expect(recorded[1]).toEqual(['ad', 'app', 'list', '--all', '--query', `${query}.appId`, '--output', 'tsv']);
      expect(recorded.slice(2, 5)).toEqual([
        ['ad', 'sp', 'list', '--filter', `appId eq '${APP}'`, '--output', 'json'],
        ['ad', 'sp', 'list', '--filter', `appId eq '${APP}'`, '--query', '[].id', '--output', 'tsv'],
        [
          'rest',
          '--method',
          'get',
          '--url',
          `https://graph.microsoft.com/v1.0/oauth2PermissionGrants?$filter=clientId eq '${SP}'`,
        ],
      ]);
      const apis = new Set([...catalog().teams.apis, ...catalog().defender.apis].map((a) => a.resourceAppId));
      expect(recorded).toHaveLength(5 + apis.size);
      // Every az command reads (list, or rest --method get): none creates, updates or deletes.
      for (const args of recorded)
        expect(args[2] === 'list' || (args[0] === 'rest' && args[2] === 'get'), args.join(' ')).toBe(true);
      expect(readdirSync(dir).sort()).toEqual(['az.log', 'bin', 'find.sh', out].sort());
      expect(nextArgs(result.stdout)).toEqual([
        ...['kindo-microsoft-integrations', 'adopt', '--integrations', 'teams,defender', '--name-prefix', value],
        ...['--callback-url', callback, '--out', out, '--app', `teams=${APP}`, '--input', out],
      ]);
    },
  );

  test('for Kindo SaaS, lists each client ID’s service principal, its grants and its assignments, reading only', () => {
    const out = `saas ${HOSTILE[0]}.json`;
    const options = givenOptions({ saas: true, 'client-id': [`teams=${APP}`, `fabric=${SP}`], out });
    const result = run(saasAzQueries({ teams: APP, fabric: SP }, out, options));
    expect(result.stderr).toBe('');
    const recorded = calls(join(dir, 'az.log'));
    expect(recorded.slice(0, 4)).toEqual([
      ['ad', 'sp', 'list', '--filter', `appId eq '${APP}'`, '--output', 'json'],
      ['ad', 'sp', 'list', '--filter', `appId eq '${APP}'`, '--query', '[].id', '--output', 'tsv'],
      [
        'rest',
        '--method',
        'get',
        '--url',
        `https://graph.microsoft.com/v1.0/oauth2PermissionGrants?$filter=clientId eq '${SP}'`,
      ],
      [
        'rest',
        '--method',
        'get',
        '--url',
        `https://graph.microsoft.com/v1.0/servicePrincipals/${SP}/appRoleAssignedTo?$top=999`,
      ],
    ]);
    expect(recorded[4]).toEqual(['ad', 'sp', 'list', '--filter', `appId eq '${SP}'`, '--output', 'json']);
    for (const args of recorded)
      expect(args[2] === 'list' || (args[0] === 'rest' && args[2] === 'get'), args.join(' ')).toBe(true);
    expect(existsSync(join(dir, out))).toBe(true);
    expect(nextArgs(result.stdout)).toEqual([
      ...['kindo-microsoft-integrations', 'adopt', '--saas', '--client-id', `teams=${APP}`],
      ...['--client-id', `fabric=${SP}`, '--out', out, '--input', out],
    ]);
  });

  test.each([
    [['--integrations', 'teams,outlook', '--name-prefix', `Contoso ${HOSTILE[2]}`, '--app', `outlook=${APP}`]],
    [['--callback-url', 'https://nango.example.com/oauth/callback', '--out', 'found.json', '--format', 'hcl']],
    [['--app', `teams=${APP}`, '--app', `outlook=${SP}`, '--module', 'kindo_prod']],
    [['--saas', '--client-id', `teams=${APP}`, '--client-id', `fabric=${SP}`, '--format', 'ts', '--out', 'saas.json']],
  ])('tells to run adopt with every option given, %j, and the output to read', (args) => {
    expect(main(['adopt', ...args])).toBe(0);
    const out = args.includes('--out') ? args[args.indexOf('--out') + 1] : undefined;
    const result = run(io.out);
    expect(result.stderr).toBe('');
    const input = out ?? (args.includes('--saas') ? 'kindo-saas-adopt.json' : 'kindo-adopt.json');
    expect(nextArgs(result.stdout)).toEqual(['kindo-microsoft-integrations', 'adopt', ...args, '--input', input]);
  });

  test('repeats the integrations as their ids, without the spaces and line breaks they were given with', () => {
    expect(main(['adopt', '--integrations', ' teams ,\r\u2028defender\n'])).toBe(0);
    expect(io.out).toContain(
      "Now run: npx kindo-microsoft-integrations adopt --integrations '\\''teams,defender'\\'' --input",
    );
  });
});
