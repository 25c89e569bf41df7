import { readFileSync } from 'node:fs';
import { PERMISSIONS_DOC, renderPermissionsDoc } from '../scripts/generate-permissions-doc';
import { catalog } from '../src/catalog/catalog';

describe('PERMISSIONS.md', () => {
  test('is up to date with permissions/ (run `npm run permissions:doc` when this fails)', () => {
    expect(readFileSync(PERMISSIONS_DOC, 'utf8')).toBe(renderPermissionsDoc());
  });

  test('lists every permission of the catalog with its scope ID', () => {
    const doc = renderPermissionsDoc();
    for (const i of Object.values(catalog())) {
      for (const api of i.apis)
        for (const p of api.permissions) expect(doc).toContain(`| \`${p.name}\` | ${p.description} |`);
    }
  });
});
