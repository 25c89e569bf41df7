import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone';

// The adoption schemas (src/adopt/*.schema.json) compiled ahead of time (Ajv standalone code), as
// `npm run catalog:validator` does for permissions/schema.json: a synth reads the adoption file, and
// must not load Ajv. Run `npx tsx scripts/generate-adopt-validators.ts` after editing a schema; a test
// keeps the generated files equal to what this script writes.

const ADOPT_DIR = join(__dirname, '..', 'src', 'adopt');

/** Each generated validator module: its file, its schema and the exported validate functions by definition. */
export const ADOPT_VALIDATORS = [
  {
    file: join(ADOPT_DIR, 'adoption-file-schema-validator.ts'),
    schema: 'adoption-file.schema.json',
    exports: { validateAdoptionFile: '' },
  },
  {
    file: join(ADOPT_DIR, 'az-output-schema-validator.ts'),
    schema: 'az-output.schema.json',
    exports: {
      validateApplication: '#/definitions/application',
      validateServicePrincipal: '#/definitions/servicePrincipal',
      validatePermissionGrant: '#/definitions/permissionGrant',
      validateAppRoleAssignment: '#/definitions/appRoleAssignment',
    },
  },
] as const;

/** The options every adoption validator is compiled with; `verbose` gives errors their schema's description. */
export const ADOPT_AJV_OPTIONS = { allErrors: false, verbose: true } as const;

/** One validator module's text. */
export function renderAdoptValidator(validator: (typeof ADOPT_VALIDATORS)[number]): string {
  const schema = JSON.parse(readFileSync(join(ADOPT_DIR, validator.schema), 'utf8'));
  const ajv = new Ajv({ ...ADOPT_AJV_OPTIONS, code: { source: true, esm: true } });
  ajv.addSchema(schema);
  const refs = Object.fromEntries(
    Object.entries(validator.exports).map(([name, ref]) => [name, `${schema.$id}${ref}`]),
  );
  return [
    `// Generated from src/adopt/${validator.schema} by scripts/generate-adopt-validators.ts (Ajv standalone code); do not edit by hand.`,
    '// @ts-nocheck',
    standaloneCode(ajv, refs),
    '',
  ].join('\n');
}

if (require.main === module) {
  for (const validator of ADOPT_VALIDATORS) {
    writeFileSync(validator.file, renderAdoptValidator(validator));
    console.log(`wrote ${validator.file}`);
  }
}
