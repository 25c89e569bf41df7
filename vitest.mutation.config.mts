import { defineConfig } from 'vitest/config';
import base from './vitest.config.mts';

// Stryker's test runs (npm run test:mutation). test/module/module*.test.ts check the generated module
// (scripts/generate-module.ts, which Stryker does not mutate) through Terraform runs of a minute or
// more; run under every mutant of the constructs it covers, it would make the run take hours.
// MUTATION_TESTS (comma-separated globs, set by scripts/mutation.sh for a per-file run) limits the
// run to the tests of the file under mutation: a file used everywhere (src/core/validate.ts) would
// otherwise have the whole suite as its initial run.
const only = process.env.MUTATION_TESTS?.split(',').filter((glob) => glob !== '');
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: only ?? base.test?.include,
    exclude: ['test/module/module.test.ts', 'test/module/module.e2e.test.ts', 'node_modules/**'],
  },
});
