import 'vitest';
import type { TerraformConstructor } from 'cdktf/lib/testing/matchers';

// cdktf 0.21 registers these matchers through `Testing.setupJest()` (see test/setup.ts);
// this teaches Vitest's `expect` their types.
interface CdktfMatchers<R = unknown> {
  toHaveResource(resourceConstructor: TerraformConstructor): R;
  toHaveResourceWithProperties(resourceConstructor: TerraformConstructor, properties: Record<string, unknown>): R;
  toHaveDataSource(dataSourceConstructor: TerraformConstructor): R;
  toHaveDataSourceWithProperties(dataSourceConstructor: TerraformConstructor, properties: Record<string, unknown>): R;
  toHaveProvider(providerConstructor: TerraformConstructor): R;
  toHaveProviderWithProperties(providerConstructor: TerraformConstructor, properties: Record<string, unknown>): R;
  toBeValidTerraform(): R;
  toPlanSuccessfully(): R;
}

declare module 'vitest' {
  interface Assertion<T = any> extends CdktfMatchers<T> {}
  interface AsymmetricMatchersContaining extends CdktfMatchers {}
}
