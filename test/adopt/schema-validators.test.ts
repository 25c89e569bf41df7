import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { ADOPT_AJV_OPTIONS, ADOPT_VALIDATORS, renderAdoptValidator } from '../../scripts/generate-adopt-validators';
import { validateAdoptionFile } from '../../src/adopt/adoption-file-schema-validator';
import { DEFAULT_ACCESS_ROLE } from '../../src/adopt/saas-match';
import { INTEGRATION_IDS } from '../../src/catalog/catalog';
import { GRANT_ID } from '../../src/constructs/existing-app-import';
import { DEFAULT_ACCESS_APP_ROLE_ID } from '../../src/constructs/who-may-connect';
import { NANGO_UNIQUE_KEY_PATTERN } from '../../src/nango/nango-registration';

const ROOT = join(__dirname, '..', '..');
const schema = (name: string) => JSON.parse(readFileSync(join(ROOT, 'src', 'adopt', name), 'utf8'));

describe('the adoption schemas and their precompiled validators', () => {
  test.each(ADOPT_VALIDATORS.map((v) => [v.schema, v] as const))(
    'the validator of %s is up to date (run `npx tsx scripts/generate-adopt-validators.ts` when this fails)',
    (_name, validator) => {
      expect(readFileSync(validator.file, 'utf8')).toBe(renderAdoptValidator(validator));
    },
  );

  test('gives the verdict and first error Ajv gives compiling the schema', () => {
    const compiled = new Ajv(ADOPT_AJV_OPTIONS).compile(schema('adoption-file.schema.json'));
    const generated = validateAdoptionFile as unknown as typeof compiled;
    const app = { applicationObjectId: '0f8e2c6d-1b2a-4c3d-9e8f-7a6b5c4d3e2f' };
    for (const doc of [
      { existingApps: { teams: app } },
      { existingApps: { teams: { ...app, applicationObjectID: 'x' } } },
      { existingApps: { hubspot: app } },
      { nangoUniqueKeys: { teams: 5 } },
      [],
    ]) {
      expect(generated(doc)).toBe(compiled(doc));
      expect(generated.errors?.[0]?.instancePath).toEqual(compiled.errors?.[0]?.instancePath);
      expect(generated.errors?.[0]?.keyword).toEqual(compiled.errors?.[0]?.keyword);
    }
  });

  test('say what the code says: integration ids, Nango unique keys, grant IDs, the default access role', () => {
    const file = schema('adoption-file.schema.json');
    expect(file.definitions.integrationId.enum).toEqual([...INTEGRATION_IDS]);
    expect(file.properties.adoptExistingNangoIntegrations.items.enum).toEqual([...INTEGRATION_IDS]);
    expect(file.properties.nangoUniqueKeys.additionalProperties.pattern).toBe(NANGO_UNIQUE_KEY_PATTERN.source);
    expect(file.definitions.existingApp.properties.permissionGrantIds.additionalProperties.pattern).toBe(
      GRANT_ID.source,
    );
    const az = schema('az-output.schema.json');
    expect(az.definitions.graphId.pattern).toBe(GRANT_ID.source);
    expect(az.definitions.guid.pattern).toBe(file.definitions.guid.pattern);
    expect(az.definitions.application.properties.passwordCredentials.items.properties.endDateTime.pattern).toBe(
      file.definitions.clientSecret.properties.expires.pattern,
    );
    expect(DEFAULT_ACCESS_ROLE).toBe(DEFAULT_ACCESS_APP_ROLE_ID);
  });

  test('reading an adoption file or az output loads no Ajv (a synth must not), only its small runtime helper', () => {
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        "require('./src/adopt/adoption-file'); require('./src/adopt/az-output'); console.log(JSON.stringify(Object.keys(require.cache).filter((k) => k.includes('/ajv/'))))",
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).map((k: string) => k.slice(k.indexOf('ajv/')))).toEqual([
      'ajv/dist/runtime/ucs2length.js',
    ]);
  }, 60_000);
});
