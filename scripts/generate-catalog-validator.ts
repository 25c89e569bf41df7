import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { CATALOG_DIR, schemaDigest } from '../src/catalog/catalog';

// permissions/schema.json compiled ahead of time (Ajv standalone code): loading Ajv and compiling the
// schema cost about as much at every synth as the rest of the catalog. A test keeps the file equal to
// what this script writes.

export const CATALOG_VALIDATOR = join(__dirname, '..', 'src', 'catalog', 'catalog-schema-validator.ts');

/** The validator module's text. The options must match the ones loadCatalog compiles other schemas with. */
export function renderCatalogValidator(): string {
  const schema = readFileSync(join(CATALOG_DIR, 'schema.json'), 'utf8');
  const ajv = new Ajv({ allErrors: false, code: { source: true, esm: true } });
  const validate = ajv.compile(JSON.parse(schema));
  return [
    '// Generated from permissions/schema.json by `npm run catalog:validator` (Ajv standalone code); do not edit by hand.',
    '// @ts-nocheck',
    standaloneCode(ajv, validate),
    '/** SHA-256 of the schema.json text this validator was compiled from; loadCatalog compiles any other schema itself. */',
    `export const SCHEMA_SHA256 = ${JSON.stringify(schemaDigest(schema))};`,
    '',
  ].join('\n');
}

if (require.main === module) {
  writeFileSync(CATALOG_VALIDATOR, renderCatalogValidator());
  console.log(`wrote ${CATALOG_VALIDATOR}`);
}
