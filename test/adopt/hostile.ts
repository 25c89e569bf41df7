import { readFileSync } from 'node:fs';
import { parseJsonDocuments } from '../../src/adopt/az-output';
import { INTEGRATION_IDS, type IntegrationId } from '../../src/catalog/catalog';
import { FIXTURE } from '../support/adopt-fixture';

// Names anyone who may register an app in the tenant can choose, each trying to leave its string or
// comment in the HCL, TypeScript, shell or terminal output of `adopt`. One per integration, so that a
// single output carries all of them.

export const HOSTILE_NAMES: readonly string[] = [
  "A\"B\\C 'D'",
  'x"\n  }\n}\nresource "terraform_data" "pwn" {\n  provisioner "local-exec" { command = "touch pwned" }\n}\n# ',
  'lone\rCR\r}\rresource "terraform_data" "cr" {}',
  'ls\u2028globalThis.pwned = require("child_process")\u2029// ',
  '*/ globalThis.pwned = 1; /*',
  '${file("/etc/hostname")} ${path.cwd}',
  '%{ if true }x%{ endif }',
  '$(touch pwned)',
  '`touch pwned`',
  '\u001b[31mred\u001b]0;title\u0007\u001b[2J',
  '\u202eevil\u202c \u2066isolate\u2069 \u200f',
  "'; touch pwned; echo '",
  'NEL\u0085VT\u000bFF\u000cNUL\u0000DEL\u007fC1\u009b',
  '$${already} %%{escaped} \\u0041 \\n \ud800 lone surrogate',
];

/** An object ID, client ID and secret key ID per integration: hex digits from its index. */
export const idsOf = (i: number) => {
  const h = (i + 1).toString(16).padStart(2, '0');
  return {
    objectId: `${h}000000-0000-4000-8000-0000000000${h}`,
    clientId: `${h}111111-1111-4111-8111-1111111111${h}`,
    keyId: `${h}222222-2222-4222-8222-2222222222${h}`,
  };
};

/** The integration each hostile name is adopted for, and the --app picks that adopt them. */
export const HOSTILE_PICKS = Object.fromEntries(INTEGRATION_IDS.map((id, i) => [id, idsOf(i).clientId])) as Record<
  IntegrationId,
  string
>;

/**
 * `az ad app list` output with one app per hostile name: its display name, its secret's description and
 * its redirect URI are the name, and one more app, unmatched, carries the first name too.
 */
export function hostileAzOutput(): string {
  const [applications] = parseJsonDocuments(readFileSync(FIXTURE, 'utf8'), FIXTURE) as Record<string, any>[][];
  const template = applications[0];
  const app = (name: string, i: number) => ({
    ...template,
    id: idsOf(i).objectId,
    appId: idsOf(i).clientId,
    displayName: name,
    web: { ...template.web, redirectUris: [`https://nango.example.com/${name}`] },
    passwordCredentials: [{ ...template.passwordCredentials[0], keyId: idsOf(i).keyId, displayName: name }],
  });
  const apps = HOSTILE_NAMES.map(app);
  apps.push({ ...app(HOSTILE_NAMES[1], 20), displayName: HOSTILE_NAMES[9] });
  return JSON.stringify(apps, null, 2);
}
