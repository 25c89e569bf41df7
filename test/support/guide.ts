import { join } from 'node:path';

/** One row of a permission table in Kindo's guide. */
export interface GuideRow {
  readonly integration: string;
  readonly api: string;
  readonly name: string;
  readonly description: string;
  readonly adminConsentRequired: boolean;
}

// Kindo's public guide page (https://docs.kindo.ai/connecting-integrations/microsoft-mcp/), copied verbatim from the shared seed 000_c0014d6804a8ac03.txt.
export const GUIDE = join(__dirname, '..', 'fixtures', 'kindo-guide.txt');

/**
 * Parses every permission table of the guide. Tables follow an integration heading
 * (`Section titled “Microsoft Teams”`) and, where an integration spans APIs, an
 * "Add the following <API> permission(s)" line.
 */
export function parseGuide(text: string): GuideRow[] {
  const rows: GuideRow[] = [];
  let integration = '';
  let api = 'Microsoft Graph';
  for (const line of text.split('\n')) {
    const heading = /^Section titled “(.+)”/.exec(line);
    if (heading) {
      integration = heading[1];
      api = 'Microsoft Graph';
      continue;
    }
    const table = /^Add the following (.+?) permissions?[:.]/.exec(line);
    if (table) {
      api = table[1];
      continue;
    }
    const row = /^([A-Za-z][\w.-]*) \| (.+) \| (Yes|No) \|$/.exec(line);
    if (row) rows.push({ integration, api, name: row[1], description: row[2], adminConsentRequired: row[3] === 'Yes' });
  }
  return rows;
}
