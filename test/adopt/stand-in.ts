import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// A root module calling an HCL module of this package whose azuread resources are terraform_data
// stand-ins (no provider can be downloaded here): the module's own variables (types and
// validations), catalog and locals, and one terraform_data per resource kind with the module's
// for_each, addressed `module.<name>.terraform_data.<azuread type>[key]`. What adopt prints for the
// root module is planned against it.

const ROOT = join(__dirname, '..', '..');

/** The module's files that neither declare providers nor reference resources. */
const standInFiles = (moduleDir: string) =>
  readdirSync(moduleDir).filter((f) => f.endsWith('.tf') && !/^(main|outputs|versions|checks|moved)\b/.test(f));

/**
 * Writes the stand-in module into `<dir>/module` and the root module into `<dir>/main.tf`.
 * @param moduleDir the module, relative to the repository, e.g. `module/modules/kindo-saas-consent`
 * @param forEach the for_each expression of each azuread resource kind, by `<type>.<name>`
 * @param printed what adopt printed, with `module.<moduleName>.<type>.<name>` addresses
 * @param call the module block's other arguments, as HCL lines
 */
export function writeStandIn(
  dir: string,
  moduleDir: string,
  forEach: Readonly<Record<string, string>>,
  printed: string,
  moduleName: string,
  call: string,
): void {
  const child = join(dir, 'module');
  mkdirSync(child);
  for (const file of standInFiles(join(ROOT, moduleDir))) cpSync(join(ROOT, moduleDir, file), join(child, file));
  const standIn = (address: string) => `terraform_data.${address.replace('.', '__')}`;
  writeFileSync(
    join(child, 'main.tf'),
    Object.entries(forEach)
      .map(
        ([address, e]) =>
          `resource "${standIn(address).split('.')[0]}" "${address.replace('.', '__')}" {\n  for_each = ${e}\n}\n`,
      )
      .join(''),
  );
  let root = printed;
  for (const address of Object.keys(forEach))
    root = root.split(`module.${moduleName}.${address}[`).join(`module.${moduleName}.${standIn(address)}[`);
  // adopt's module block leaves its other arguments to the reader; a SaaS import list has no module block.
  const args = `  source = "./module"\n${call}`;
  const placeholder = '  # source, integrations, nango_secret_key… as before';
  writeFileSync(
    join(dir, 'main.tf'),
    root.includes(placeholder) ? root.replace(placeholder, args) : `module "${moduleName}" {\n${args}\n}\n\n${root}`,
  );
}

/** `# <address> will be imported` and the ID, per import in a plan's text. */
export const plannedImports = (planOutput: string): string[] =>
  [...planOutput.matchAll(/# (.+?) will be imported\n\s+resource "terraform_data" "\w+" \{\n\s+id = "([^"]+)"/g)].map(
    (m) => `${m[1]} ${m[2]}`,
  );
