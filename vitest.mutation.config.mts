import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config.mts';

// Stryker's test runs (npm run test:mutation), as one project: Stryker's vitest runner takes none.
// A run over the whole of src/ takes the unit project's tests: the end-to-end ones (*.e2e.test.ts) run
// terraform, for a minute or more per file, and under every mutant they cover they would make the run
// take hours. MUTATION_TESTS (comma-separated globs, set by scripts/mutation.sh for a per-file run)
// limits the run to the tests of the file under mutation, end-to-end files included where the globs
// name them (test/nango/nango-registration*.test.ts takes in the lifecycle tests), except the
// module's, which check the generated module (scripts/generate-module.ts, not mutated) through
// Terraform runs of minutes. A file used everywhere (src/core/validate.ts) would otherwise have the
// whole suite as its initial run.
const only = process.env.MUTATION_TESTS?.split(',').filter((glob) => glob !== '');
const { projects: _, ...shared } = base.test ?? {};
export default defineConfig({
  ...base,
  test: {
    ...shared,
    include: only ?? ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'test/module/*.e2e.test.ts', ...(only ? [] : ['test/**/*.e2e.test.ts'])],
  },
});
