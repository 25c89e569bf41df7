import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { CATALOG_VALIDATOR, renderCatalogValidator } from '../../scripts/generate-catalog-validator';
import { CATALOG_DIR, loadCatalog } from '../../src/catalog/catalog';
import { validate as generated } from '../../src/catalog/catalog-schema-validator';
import { expectKindoError } from '../support/errors';

// The generated module is not type-checked; it is an Ajv validate function.
const validate = generated as unknown as ValidateFunction;

describe('precompiled catalog schema', () => {
  test('is up to date with permissions/schema.json (run `npm run catalog:validator` when this fails)', () => {
    expect(readFileSync(CATALOG_VALIDATOR, 'utf8')).toBe(renderCatalogValidator());
  });

  test('gives the same verdict and first error as Ajv compiling permissions/schema.json', () => {
    const compiled = new Ajv({ allErrors: false }).compile(
      JSON.parse(readFileSync(join(CATALOG_DIR, 'schema.json'), 'utf8')),
    );
    const teams = JSON.parse(readFileSync(join(CATALOG_DIR, 'teams.json'), 'utf8'));
    const broken = [
      teams,
      { ...teams, authFlow: 'implicit' },
      { ...teams, apis: [{ ...teams.apis[0], permissions: [{ ...teams.apis[0].permissions[0], id: 'not-a-guid' }] }] },
      { ...teams, extra: true },
      { id: 'teams' },
    ];
    for (const doc of broken) {
      expect(validate(doc)).toBe(compiled(doc));
      expect(validate.errors?.[0]).toEqual(compiled.errors?.[0]);
    }
  });

  test('is not used for a schema edited since it was generated', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalog-schema-'));
    try {
      cpSync(CATALOG_DIR, dir, { recursive: true });
      const schema = JSON.parse(readFileSync(join(dir, 'schema.json'), 'utf8'));
      schema.properties.displayName.maxLength = 3;
      writeFileSync(join(dir, 'schema.json'), JSON.stringify(schema, null, 2));
      expectKindoError(() => loadCatalog(dir), 'CATALOG_FIELD_INVALID', ['permissions/defender.json', '`displayName`']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
