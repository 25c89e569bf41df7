import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { type Blocks, checkReferences, type FoldedModule, foldModule, type ModuleSpec, named } from './module/build';
import { type Declarations, declarationsOf, GENERATED_HEADER, tfFiles } from './module/declarations';
import { ModuleGeneratorError } from './module/generator-error';
import { type BodySchema, block } from './module/hcl';
import { CONSTRUCT_ID, moduleStack } from './module/module-stack';
import { migrations, RELEASE } from './module/moved';
import { catalogLocals, permissionOverrides } from './module/permissions';
import { type ModuleDoc, renderAdoptExample, renderExample } from './module/readme';
import { renderInternalReadme, renderReadme, renderSaasExample, renderSaasReadme } from './module/readmes';
import { rulesLocals, withFieldsRules } from './module/rules';
import { SAAS_CONSTRUCT_ID, SAAS_MODULE_PATH, saasModuleStack, saasNotesOverrides } from './module/saas';

// The Terraform modules under module/ are written by hand (their inputs, locals, outputs and module
// calls) around blocks folded from the cdktf constructs: each construct's fourteen copies, one per
// integration, become one block with for_each (scripts/module/fold.ts), written as HCL
// (scripts/module/hcl.ts, hcl-expression.ts). This script writes only the folded blocks, the catalog
// and the rules as data, moved.tf, the READMEs and the examples; it checks the folded blocks against
// what the hand-written files declare.

const ROOT = join(__dirname, '..');
/** The committed module; `source = "git::<repo>//module?ref=<tag>"`. */
export const MODULE_DIR = join(ROOT, 'module');
/** Root configurations that use the module by relative path. */
export const EXAMPLE_DIR = join(ROOT, 'examples', 'basic');
/** The root configuration that adopts app registrations set up by hand (import blocks live only in a root module). */
export const ADOPT_EXAMPLE_DIR = join(ROOT, 'examples', 'adopt');
/** The Kindo SaaS example, which uses the submodule module/modules/kindo-saas-consent. */
export const SAAS_EXAMPLE_DIR = join(ROOT, 'examples', 'saas');
export const CATALOG_MODULE_PATH = 'module/modules/catalog';
export const PREFLIGHT_MODULE_PATH = 'module/modules/tenant-preflight';

// The ephemeral Nango secret key needs Terraform 1.10 (validation conditions that refer to other variables, 1.9).
const REQUIRED_TERRAFORM = '>= 1.10';

const MAIN: ModuleSpec = {
  dir: 'module',
  stack: moduleStack,
  constructId: CONSTRUCT_ID,
  overrides: permissionOverrides,
};
const SAAS: ModuleSpec = {
  dir: SAAS_MODULE_PATH,
  stack: saasModuleStack,
  constructId: SAAS_CONSTRUCT_ID,
  overrides: (elements) => new Map([...permissionOverrides(elements), ...saasNotesOverrides(elements)]),
};

/** A module as built: its folded blocks, and what all its files declare. */
export interface BuiltModule {
  readonly resource: Blocks;
  readonly data: Blocks;
  readonly check: Record<string, Record<string, unknown>>;
  readonly declarations: Declarations;
  readonly terraform: { required_version: string; required_providers?: FoldedModule['providers'] };
}

/** Every generated file by path relative to the repository root, and each module as built. */
export interface ModuleBuild {
  readonly files: Record<string, string>;
  readonly main: BuiltModule;
  readonly saas: BuiltModule;
  readonly catalog: BuiltModule;
  readonly preflight: BuiltModule;
  readonly migrations: ReturnType<typeof migrations>;
}

const file = (...parts: string[]) => `${GENERATED_HEADER}\n${parts.join('\n')}`;
const blocksOf = (kind: 'resource' | 'data', byType: Blocks, schema: BodySchema) =>
  Object.entries(byType).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, body]) => block(kind, [type, name], body, type, schema)),
  );
const terraformBlock = (providers?: FoldedModule['providers']) => ({
  required_version: REQUIRED_TERRAFORM,
  ...(providers ? { required_providers: providers } : {}),
});
/** versions.tf, saying what the module uses its providers for. */
const versionsFile = (purpose: string, providers: FoldedModule['providers'], schema: BodySchema) =>
  file(`# ${purpose}\n${block('terraform', [], terraformBlock(providers), 'terraform', schema)}`);

/** The hand-written `.tf` files of a module directory (those without the generated header). */
function handWritten(dir: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(tfFiles(join(ROOT, dir))).filter(([, c]) => !c.startsWith(GENERATED_HEADER)),
  );
}

/** The repository's git URL, as package.json's `repository` gives it (`git+https://…/x.git`). */
const REPOSITORY = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { repository: { url: string } }
).repository.url.replace(/^git\+/, '');

/** Where users source a module of this repository from, at the release this layout ships in. */
function moduleSource(path: string): string {
  return `git::${REPOSITORY}//${path}?ref=v${RELEASE}`;
}

/** Whether a folded resource is Nango's (main.nango.tf): the registration's records, named `nango_*` after their constructs. */
const isNango = (type: string, name: string) => type === 'terraform_data' && name.startsWith('nango_');

/** The blocks of the main or the Kindo SaaS module, as files: Entra ID's (with the owners' record), Nango's and the checks. */
function foldedFiles(
  dir: string,
  m: { resource: Blocks; data: Blocks; check: BuiltModule['check'] },
  schema: BodySchema,
) {
  const part = (nango: boolean): Blocks =>
    Object.fromEntries(
      Object.entries(m.resource)
        .map(([type, byName]) => [
          type,
          Object.fromEntries(Object.entries(byName).filter(([name]) => isNango(type, name) === nango)),
        ])
        .filter(([, byName]) => Object.keys(byName).length > 0),
    );
  const [entra, nango] = [part(false), part(true)];
  for (const type of Object.keys(entra))
    if (!type.startsWith('azuread_') && type !== 'terraform_data') throw moduleBlockWithoutFile(dir, type);
  const files: Record<string, string> = {
    [`${dir}/main.entra.tf`]: file(...blocksOf('data', m.data, schema), ...blocksOf('resource', entra, schema)),
  };
  if (Object.keys(nango).length > 0) files[`${dir}/main.nango.tf`] = file(...blocksOf('resource', nango, schema));
  const checks = Object.entries(m.check).map(([name, body]) => block('check', [name], body, 'check', schema));
  if (checks.length > 0) files[`${dir}/checks.tf`] = file(...checks);
  return files;
}

/** moved.tf: each release's moves under a banner saying what they upgrade from. */
function movedFile(all: ReturnType<typeof migrations>, schema: BodySchema): string {
  const rule = `#${'#'.repeat(79)}`;
  const groups = all.map((m) =>
    [
      `${rule}\n# Migrations: v${m.from} -> v${RELEASE}\n${m.why.map((l) => `# ${l}\n`).join('')}${rule}\n`,
      ...m.moves.map((move) => block('moved', [], move, 'moved', schema)),
    ].join('\n'),
  );
  const pre = [
    '# From the unreleased layout between v0.1.0 and v0.2.0 (one block per kind, no submodules) nothing',
    "# moves: its resources' addresses are v0.2.0's, and the tenant lookups that moved into",
    '# modules/tenant-preflight are data sources, read again at every plan.',
  ];
  return file(`${pre.join('\n')}\n`, ...groups);
}

/** The generated files of the shared submodules: the catalog and the rules as data, the preflight's lookups. */
function sharedFiles(main: FoldedModule, schema: BodySchema): Record<string, string> {
  const locals = (body: Record<string, unknown>) => block('locals', [], body, 'locals', schema);
  return {
    [`${CATALOG_MODULE_PATH}/catalog.tf`]: file(
      `# Kindo's guide lists of delegated permissions, from permissions/.\n${locals(catalogLocals())}`,
    ),
    [`${CATALOG_MODULE_PATH}/rules.tf`]: file(
      `# The constructs' rules for inputs, and the Nango providers they accept per sign-in audience.\n${locals(rulesLocals())}`,
    ),
    [`${PREFLIGHT_MODULE_PATH}/main.tf`]: file(...blocksOf('data', main.preflight, schema)),
    [`${PREFLIGHT_MODULE_PATH}/versions.tf`]: versionsFile(
      "azuread reads the tenant's Microsoft API service principals.",
      main.providers,
      schema,
    ),
  };
}

/** The called modules' outputs, by call name, as a module's blocks may read them. */
async function calledOutputs(): Promise<Record<string, Set<string>>> {
  const outputs = async (dir: string) => new Set(Object.keys((await declarationsOf(handWritten(dir))).output));
  return {
    catalog: await outputs(CATALOG_MODULE_PATH),
    tenant_preflight: await outputs(PREFLIGHT_MODULE_PATH),
  };
}

/** A module's folded blocks with its own names, checked against its hand-written files. */
async function finish(spec: ModuleSpec, m: FoldedModule, called: Record<string, Set<string>>) {
  const declared = await declarationsOf(handWritten(spec.dir));
  const blocks = named({ resource: m.resource, data: m.data, check: m.check }, declared);
  const folded = new Set([
    ...Object.entries(blocks.resource).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`)),
    ...Object.entries(blocks.data).flatMap(([type, byName]) => Object.keys(byName).map((n) => `data.${type}.${n}`)),
  ]);
  checkReferences(spec.dir, blocks, declared, called, folded);
  return blocks;
}

/** What a module's README documents, from all its files. */
function docOf(built: BuiltModule): ModuleDoc {
  const resources = [...built.declarations.blocks].map((address) => {
    const [kind, type, name] = address.startsWith('data.') ? address.split('.') : ['resource', ...address.split('.')];
    return { kind: kind as 'resource' | 'data', type, name };
  });
  return {
    requiredVersion: REQUIRED_TERRAFORM,
    providers: built.terraform.required_providers ?? {},
    modules: Object.fromEntries(Object.entries(built.declarations.module).map(([n, b]) => [n, String(b.source)])),
    resources,
    variables: built.declarations.variable,
    outputs: built.declarations.output,
  };
}

/** A module as its files now declare it: the hand-written ones on disk, the generated ones as built. */
async function builtModule(
  dir: string,
  files: Record<string, string>,
  blocks: Partial<BuiltModule>,
  providers?: FoldedModule['providers'],
): Promise<BuiltModule> {
  const generated = Object.fromEntries(
    Object.entries(files)
      .filter(([path]) => dirname(path) === dir && path.endsWith('.tf'))
      .map(([path, content]) => [path.slice(dir.length + 1), content]),
  );
  const declarations = await declarationsOf({ ...handWritten(dir), ...generated });
  return { resource: {}, data: {}, check: {}, ...blocks, declarations, terraform: terraformBlock(providers) };
}

/** The READMEs and examples, from the modules as built. */
function documentation(built: Pick<ModuleBuild, 'main' | 'saas' | 'catalog' | 'preflight'>): Record<string, string> {
  const [main, saas] = [docOf(built.main), docOf(built.saas)];
  return {
    'module/README.md': renderReadme(main, moduleSource('module')),
    [`${SAAS_MODULE_PATH}/README.md`]: renderSaasReadme(saas, moduleSource(SAAS_MODULE_PATH)),
    [`${CATALOG_MODULE_PATH}/README.md`]: renderInternalReadme(
      'Catalog: Terraform module',
      "Kindo's guide lists of delegated permissions and what each integration's `remove_permissions` and `add_permissions` make of them, with the constructs' rules for inputs: called by the main module and the Kindo SaaS module, never by a root configuration. `catalog.tf` and `rules.tf` are generated; the other files are written by hand.",
      docOf(built.catalog),
    ),
    [`${PREFLIGHT_MODULE_PATH}/README.md`]: renderInternalReadme(
      'Tenant preflight: Terraform module',
      "The constructs' tenant preflight: the plan stops, before any change, when a Microsoft API the enabled integrations request has no service principal in the tenant, or publishes a requested scope under another ID, naming the integrations that request it. Called by the main module and the Kindo SaaS module. `main.tf` is folded from the constructs by `npm run module`; the other files are written by hand.",
      docOf(built.preflight),
    ),
    'examples/basic/main.tf': renderExample(main),
    'examples/adopt/main.tf': renderAdoptExample(main),
    'examples/saas/main.tf': renderSaasExample(saas, `../../${SAAS_MODULE_PATH}`),
  };
}

/** Builds every generated file and each module's blocks and declarations. */
export async function buildModule(): Promise<ModuleBuild> {
  const main = foldModule(MAIN);
  const saas = foldModule(SAAS);
  if (JSON.stringify(main.preflight) !== JSON.stringify(saas.preflight)) throw modulePreflightsDiffer();
  const { schema } = main;
  const called = await calledOutputs();
  const [mainBlocks, saasBlocks] = [await finish(MAIN, main, called), await finish(SAAS, saas, called)];
  const moves = migrations(main.elements, main.instances);
  const files: Record<string, string> = {
    ...sharedFiles(main, schema),
    'module/variables.tf': withFieldsRules(readFileSync(join(MODULE_DIR, 'variables.tf'), 'utf8'), schema),
    ...foldedFiles('module', mainBlocks, schema),
    'module/versions.tf': versionsFile(
      'azuread for the apps; terraform_data (built in) calls Nango.',
      main.providers,
      schema,
    ),
    'module/moved.tf': movedFile(moves, schema),
    ...Object.fromEntries(Object.entries(main.assets).map(([name, content]) => [`module/${name}`, content])),
    // Each module's blocks are written by its own synthesis: which arguments are nested blocks (`timeouts`)
    // is known only for the resources its constructs set them on.
    ...foldedFiles(SAAS_MODULE_PATH, saasBlocks, saas.schema),
    [`${SAAS_MODULE_PATH}/versions.tf`]: versionsFile(
      "azuread for Kindo's service principals, their grants and assignments.",
      saas.providers,
      saas.schema,
    ),
  };
  const built = {
    main: await builtModule('module', files, mainBlocks, main.providers),
    saas: await builtModule(SAAS_MODULE_PATH, files, saasBlocks, saas.providers),
    catalog: await builtModule(CATALOG_MODULE_PATH, files, {}),
    preflight: await builtModule(PREFLIGHT_MODULE_PATH, files, { data: main.preflight }, main.providers),
  };
  return { files: { ...files, ...documentation(built) }, ...built, migrations: moves };
}

/** Files under the module and example directories that the generator wrote, whether it still writes them or not. */
function generatedOnDisk(): string[] {
  const dirs = [MODULE_DIR, EXAMPLE_DIR, ADOPT_EXAMPLE_DIR, SAAS_EXAMPLE_DIR];
  return dirs.flatMap((dir) =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name))
      .filter(
        (path) =>
          /Generated by `npm run module`/.test(readFileSync(path, 'utf8').split('\n').slice(0, 3).join('\n')) ||
          path.endsWith('.sh'),
      )
      .map((path) => relative(ROOT, path)),
  );
}

if (require.main === module) {
  buildModule().then(({ files }) => {
    for (const path of generatedOnDisk()) if (!(path in files)) rmSync(join(ROOT, path));
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(ROOT, path)), { recursive: true });
      writeFileSync(join(ROOT, path), content);
      console.log(`wrote ${path}`);
    }
  });
}

/** The two modules' constructs ask the tenant preflight for different lookups. */
function modulePreflightsDiffer(): ModuleGeneratorError {
  return new ModuleGeneratorError(
    'MODULE_PREFLIGHTS_DIFFER',
    'the main module and the Kindo SaaS module fold to different tenant lookups; expected the same, since both call modules/tenant-preflight (src/constructs/stack-lookups.ts writes them for both)',
  );
}

/** A folded resource of a type the module has no file for. */
function moduleBlockWithoutFile(dir: string, type: string): ModuleGeneratorError {
  return new ModuleGeneratorError(
    'MODULE_BLOCK_WITHOUT_FILE',
    `the constructs folded into ${dir} a ${type}, which belongs to neither main.entra.tf (azuread_*, terraform_data records) nor main.nango.tf (terraform_data.nango_*); expected a file for it in scripts/generate-module.ts`,
  );
}
