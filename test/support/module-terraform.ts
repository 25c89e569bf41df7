import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOG_MODULE_PATH, PREFLIGHT_MODULE_PATH } from '../../scripts/generate-module';
import { SAAS_MODULE_PATH } from '../../scripts/module/saas';
import { ROOT, built } from './module';
import { terraform } from './terraform';

/** The tenant and object ID the stand-in for `azuread_client_config`, the identity Terraform runs as, reports. */
export const STAND_IN_TENANT = '00000000-0000-0000-0000-000000000001';
export const STAND_IN_CALLER = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

/** Copies the `.tf` files of a module directory (not its subdirectories) into `to`, each through `edit`. */
function copyModule(from: string, to: string, edit: (text: string) => string = (t) => t, only?: readonly string[]) {
  mkdirSync(to, { recursive: true });
  const names = only ?? readdirSync(join(ROOT, from)).filter((f) => f.endsWith('.tf'));
  for (const file of names) writeFileSync(join(to, file), edit(readFileSync(join(ROOT, from, file), 'utf8')));
}

/**
 * A directory that holds a module's inputs and what needs no provider: its variables, locals and the
 * call of modules/catalog, and the tenant preflight's
 * locals as `module.tenant_preflight_inputs`, whose `requested_apis` output is the preflight's
 * `local.requested_apis`. `terraform plan` there validates the inputs; `terraform console` evaluates
 * the module's for_each expressions and messages. The identity Terraform runs as is STAND_IN_CALLER of
 * STAND_IN_TENANT, and the one that first applied every integration.
 */
export async function inputsDir(module: 'main' | 'saas'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `kindo-module-${module}-`));
  const from = module === 'main' ? 'module' : SAAS_MODULE_PATH;
  // The SaaS module's sibling modules are the copy's own.
  const edit = (t: string) =>
    t
      .replace(/data\.azuread_client_config\.client_config\.tenant_id/g, JSON.stringify(STAND_IN_TENANT))
      .replace(/data\.azuread_client_config\.client_config\.object_id/g, JSON.stringify(STAND_IN_CALLER))
      // The first appliers' records, as the first apply by that identity leaves them.
      .replace(
        /\bterraform_data\.first_applier\b/g,
        `{ for id in keys(local.integrations) : id => { input = { object_id = ${JSON.stringify(STAND_IN_CALLER)} } } }`,
      )
      .replace('"../catalog"', '"./modules/catalog"');
  copyModule(from, dir, edit, ['variables.tf', 'locals.tf', 'main.tf']);
  copyModule(CATALOG_MODULE_PATH, join(dir, 'modules/catalog'));
  const preflight = join(dir, 'modules/preflight-inputs');
  copyModule(PREFLIGHT_MODULE_PATH, preflight, undefined, ['variables.tf', 'locals.tf']);
  writeFileSync(join(preflight, 'outputs.tf'), 'output "requested_apis" {\n  value = local.requested_apis\n}\n');
  const requester = module === 'main' ? 'integration' : 'Kindo SaaS integration';
  writeFileSync(
    join(dir, 'preflight.tf'),
    `module "tenant_preflight_inputs" {\n  source                = "./modules/preflight-inputs"\n  requested_permissions = module.catalog.requested_permissions\n  requester             = "${requester}"\n}\n`,
  );
  // An ephemeral input cannot reach a resource; its validation runs all the same.
  const declared = (module === 'main' ? built().main : built().saas).declarations.variable;
  const input = Object.fromEntries(
    Object.entries(declared)
      .filter(([, v]) => !v.ephemeral)
      .map(([name]) => [name, `\${var.${name}}`]),
  );
  writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ resource: { terraform_data: { inputs: { input } } } }));
  const init = await terraform(dir, ['init', '-input=false']);
  expect(init.status, init.output).toBe(0);
  return dir;
}

/** An expression of the preflight module as the inputs directory evaluates it. */
export const inPreflight = (expression: string) =>
  expression.replace(/\blocal\.requested_apis\b/g, 'module.tenant_preflight_inputs.requested_apis');

/** Copies a whole directory (the registration script's, say) into a test directory. */
export const copyInto = (from: string, to: string) => cpSync(join(ROOT, from), to);
