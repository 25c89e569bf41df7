import { join } from 'node:path';
import { type BuiltModule, buildModule, type ModuleBuild } from '../../scripts/generate-module';

export type Body = Record<string, any>;
export const ROOT = join(__dirname, '..', '..');

let cached: ModuleBuild | undefined;
/** Builds the modules once per test file (a synth of every construct, seconds on a busy machine); call in beforeAll. */
export async function loadModule(): Promise<ModuleBuild> {
  cached ??= await buildModule();
  return cached;
}
/** The modules as the generator builds them; the committed files are their rendering (first test). */
export const built = (): ModuleBuild => {
  if (!cached) throw new Error('loadModule() first, in beforeAll');
  return cached;
};
type Loose = Omit<BuiltModule, 'resource' | 'data' | 'check'> & {
  readonly [K in 'resource' | 'data']: Record<string, Record<string, Body>>;
} & { readonly check: Record<string, Body> };
/** The main module, its bodies loosely typed. */
export const main = () => built().main as Loose;
/** The Kindo SaaS submodule, its bodies loosely typed. */
export const saas = () => built().saas as Loose;

export const unwrap = (template: string) => /^\$\{([\s\S]*)\}$/.exec(template)![1];

/** Every folded block of a module with its address. */
export const blocks = (m: Loose = main()) => [
  ...Object.entries(m.resource).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, body]) => ({ address: `${type}.${name}`, type, name, body, data: false })),
  ),
  ...Object.entries(m.data).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, body]) => ({ address: `data.${type}.${name}`, type, name, body, data: true })),
  ),
];
