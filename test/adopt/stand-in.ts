import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARGUMENTS_AS_BEFORE } from '../../src/adopt/render-hcl';
import { blocks, main, saas } from '../support/module';
import { inputsDir } from '../support/module-terraform';

// A root module calling an HCL module of this package whose azuread resources are terraform_data
// stand-ins (no provider can be downloaded here): the module's inputs as test/support/module-terraform.ts
// copies them (variables with their validations, locals, modules/catalog), and one terraform_data per
// resource kind with the module's own for_each, addressed `module.<name>.terraform_data.<type>__<name>[key]`.
// What adopt prints for the root module is planned against it. Call loadModule() first.

/**
 * Writes the stand-in module into `<dir>/module` and the root module into `<dir>/main.tf`.
 * @param addresses the azuread blocks to stand in for, `<type>.<name>`, with the module's for_each
 * @param printed what adopt printed, with `module.<moduleName>.<type>.<name>` addresses
 * @param call the module block's other arguments, as HCL lines
 */
export async function writeStandIn(
  dir: string,
  module: 'main' | 'saas',
  addresses: readonly string[],
  printed: string,
  moduleName: string,
  call: string,
): Promise<void> {
  const child = join(dir, 'module');
  renameSync(await inputsDir(module), child);
  const folded = blocks(module === 'main' ? main() : saas());
  const standIn = (address: string) => address.replace('.', '__');
  const resources = Object.fromEntries(
    addresses.map((address) => {
      const block = folded.find((b) => b.address === address);
      if (!block) throw new Error(`the ${module} module has no ${address}`);
      return [standIn(address), { for_each: block.body.for_each }];
    }),
  );
  writeFileSync(join(child, 'main.tf.json'), JSON.stringify({ resource: { terraform_data: resources } }));
  let root = printed;
  for (const address of addresses)
    root = root
      .split(`module.${moduleName}.${address}[`)
      .join(`module.${moduleName}.terraform_data.${standIn(address)}[`);
  writeFileSync(join(dir, 'main.tf'), root.replace(ARGUMENTS_AS_BEFORE, `  source = "./module"\n${call}`));
}

/** `# <address> will be imported` and the ID, per import in a plan's text. */
export const plannedImports = (planOutput: string): string[] =>
  [...planOutput.matchAll(/# (.+?) will be imported\n\s+resource "terraform_data" "\w+" \{\n\s+id = "([^"]+)"/g)].map(
    (m) => `${m[1]} ${m[2]}`,
  );
