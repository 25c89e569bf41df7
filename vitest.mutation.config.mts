import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.mts';

// Stryker's test runs (npm run test:mutation). test/module.test.ts checks the generated module
// (scripts/generate-module.ts, which Stryker does not mutate) through Terraform runs of a minute or
// more; run under every mutant of the constructs it covers, it would make the run take hours.
export default mergeConfig(base, defineConfig({ test: { exclude: ['test/module.test.ts', 'node_modules/**'] } }));
