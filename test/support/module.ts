import { join } from 'node:path';
import { buildModule, type ModuleBuild, type SaasModuleBuild } from '../../scripts/generate-module';

export type Body = Record<string, any>;
export const ROOT = join(__dirname, '..', '..');

let cached: ModuleBuild | undefined;
/** The module as the generator builds it, block by block; the committed files are its rendering (first test). */
export type Built = Pick<ModuleBuild, 'files' | 'moved' | 'saas'> & {
  readonly [K in 'resource' | 'data']: Record<string, Record<string, Body>>;
} & { readonly [K in 'check' | 'variable' | 'output']: Record<string, Body> } & {
  readonly locals: Body;
  readonly terraform: Body;
};
/** Built once per test file: a synth of every construct, seconds on a busy machine. */
export const built = (): Built => {
  cached ??= buildModule();
  return cached as Built;
};
/** The Kindo SaaS submodule as the generator builds it. */
export const saas = () =>
  built().saas as SaasModuleBuild & { resource: Record<string, Record<string, Body>>; variable: Record<string, Body> };

export const unwrap = (template: string) => /^\$\{([\s\S]*)\}$/.exec(template)![1];

/** Every block of main.tf with its address. */
export const blocks = () => [
  ...Object.entries(built().resource).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, body]) => ({ address: `${type}.${name}`, type, name, body, data: false })),
  ),
  ...Object.entries(built().data).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, body]) => ({ address: `data.${type}.${name}`, type, name, body, data: true })),
  ),
];
