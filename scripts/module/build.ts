import type { App, TerraformStack } from 'cdktf';
import { type Element, elementsOf } from './elements';
import { fold } from './fold';
import { type BodySchema, mapStrings } from './hcl';
import type { Declarations } from './declarations';
import { namesOf, withNames } from './names';
import { preflightOverrides, PREFLIGHT_TYPES } from './preflight';
import { GROUP_ASSIGNMENT, groupAssignments } from './saas';
import { synthesize } from './synthesis';
import { withModuleWording } from './wording';
import { ModuleGeneratorError } from './generator-error';

// One path for both modules: a stack of the constructs synthesized, folded into for_each blocks,
// written with the module's own names, and checked against what its hand-written files declare.

type Body = Record<string, unknown>;
export type Blocks = Record<string, Record<string, Body>>;

/** What differs between the main module and the Kindo SaaS submodule. */
export interface ModuleSpec {
  /** The module's directory, relative to the repository root. */
  readonly dir: string;
  /** Builds the constructs from references to the module's inputs and locals. */
  readonly stack: (app: App, id: string) => TerraformStack;
  /** Construct id of the integrations' construct in the stack. */
  readonly constructId: string;
  /** Per element, a body to fold instead of the synthesized one. */
  readonly overrides: (elements: readonly Element[]) => Map<Element, Body>;
}

/** A module's blocks folded from the constructs. */
export interface FoldedModule {
  readonly resource: Blocks;
  readonly data: Blocks;
  readonly check: Record<string, Body>;
  /** The tenant preflight's lookups, which modules/tenant-preflight holds for both modules. */
  readonly preflight: Blocks;
  readonly providers: Record<string, { source: string; version: string }>;
  /** Files the blocks run, by name (the Nango registration script), copied beside them. */
  readonly assets: Record<string, string>;
  readonly schema: BodySchema;
  /** The synthesized elements, and per element its instance address in the module. */
  readonly elements: readonly Element[];
  readonly instances: Map<Element, string>;
}

// Resources the constructs create only when a synth-time prop says so; with a reference in its place
// they are always synthesized, so the module gates them on that input instead.
const GATES: Readonly<Record<string, string>> = {
  azuread_service_principal_delegated_permission_grant: 'var.admin_consent',
};
/** What the folded blocks read of the preflight's lookups, and the module output that gives it. */
const PREFLIGHT_EXPORTS: readonly [RegExp, string][] = [
  [
    /data\.azuread_service_principal\.api(\[[^\]]+\])\.object_id/g,
    'module.tenant_preflight.service_principal_object_ids$1',
  ],
];

/** The providers the stack requires, each pinned to its minor version. */
function providersOf(config: {
  terraform: { required_providers: Record<string, { source: string; version: string }> };
}) {
  return Object.fromEntries(
    Object.entries(config.terraform.required_providers).map(([name, p]) => [
      name,
      { source: p.source, version: `~> ${p.version.split('.').slice(0, 2).join('.')}` },
    ]),
  );
}

/** The registration script sits beside the module's files: `${path.module}/assets/…/x.sh` → `${path.module}/x.sh`. */
function localized(value: Blocks, assets: Set<string>): Blocks {
  return mapStrings(value, (s) =>
    s.replace(/\$\{path\.module\}\/(assets\/[^"\s]+\/([^/"\s]+))/g, (_, path: string, file: string) => {
      assets.add(path);
      return `\${path.module}/${file}`;
    }),
  ) as Blocks;
}

/** Synthesizes and folds a module's constructs. */
export function foldModule(spec: ModuleSpec): FoldedModule {
  const { config, checkPaths, schema, read } = synthesize(spec.stack);
  // The per-integration for_each of the group assignments is not the fold's; they become one block of their own.
  const { [GROUP_ASSIGNMENT]: assignments = {}, ...otherResources } = config.resource;
  const elements = elementsOf({ ...config, resource: otherResources }, spec.constructId);
  const bodies = new Map([...spec.overrides(elements), ...preflightOverrides(elements)]);
  const folded = fold(
    config,
    elements,
    { constructId: spec.constructId, checkPaths, bodies, gates: GATES },
    schema.isBlock,
  );
  const preflight: Blocks = {};
  const data: Blocks = {};
  for (const [type, byName] of Object.entries(folded.data))
    (PREFLIGHT_TYPES.includes(type) ? preflight : data)[type] = byName;
  const resource: Blocks = { ...folded.resource };
  const synthesizedAssignments = Object.values(assignments);
  if (synthesizedAssignments.length > 0)
    resource[GROUP_ASSIGNMENT] = {
      allowed_groups: groupAssignments(synthesizedAssignments, 'azuread_service_principal.this'),
    };
  const paths = new Set<string>();
  const exported = (blocks: Blocks) =>
    mapStrings(localized(blocks, paths), (s) =>
      PREFLIGHT_EXPORTS.reduce((t, [from, to]) => t.replace(from, to), s),
    ) as Blocks;
  const module = {
    resource: exported(resource),
    data: exported(data),
    check: withModuleWording(folded.check),
    preflight: withModuleWording(preflight),
    providers: providersOf(config),
    schema,
    elements,
    instances: folded.instances,
  };
  const assets = Object.fromEntries([...paths].map((p) => [p.split('/').pop()!, read(p)]));
  return { ...module, resource: withModuleWording(module.resource), assets };
}

/** The folded blocks with the module's names for its locals' expressions. */
export function named<T>(blocks: T, declarations: Declarations): T {
  return withNames(blocks, namesOf(declarations.locals));
}

/**
 * Checks that everything the folded blocks read is declared: variables and locals by the hand-written
 * files, module outputs by the called module's outputs, blocks by the folded ones or the hand-written.
 */
export function checkReferences(
  dir: string,
  blocks: Record<string, unknown>,
  declared: Declarations,
  calledOutputs: Readonly<Record<string, ReadonlySet<string>>>,
  folded: ReadonlySet<string>,
): void {
  const text = JSON.stringify(blocks);
  const missing = new Set<string>();
  for (const [, name] of text.matchAll(/(?<![\w.])var\.(\w+)/g))
    if (!(name in declared.variable)) missing.add(`var.${name}`);
  for (const [, name] of text.matchAll(/(?<![\w.])local\.(\w+)/g))
    if (!(name in declared.locals)) missing.add(`local.${name}`);
  for (const [, call, output] of text.matchAll(/(?<![\w.])module\.(\w+)\.(\w+)/g))
    if (!calledOutputs[call]?.has(output)) missing.add(`module.${call}.${output}`);
  for (const [address] of text.matchAll(/(?<![\w.])(data\.)?azuread_\w+\.[\w-]+/g))
    if (!folded.has(address) && !declared.blocks.has(address)) missing.add(address);
  if (missing.size > 0) throw moduleReferenceUndeclared(dir, [...missing].sort());
}

/** A folded block reads a name the module's files do not declare. Raised only by `npm run module`. */
function moduleReferenceUndeclared(dir: string, names: readonly string[]): ModuleGeneratorError {
  return new ModuleGeneratorError(
    'MODULE_REFERENCE_UNDECLARED',
    `the blocks folded into ${dir} read ${names.join(', ')}, which its files do not declare; expected each in its hand-written files (variables.tf, locals.tf, the called module's outputs.tf)`,
  );
}
