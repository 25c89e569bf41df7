import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformDataSource, TerraformResource, type TerraformStack } from 'cdktf';
import { TerraformCheck } from '../../src/core/terraform-check';
import type { Synthesized } from './elements';
import type { BodySchema } from './hcl';

// A module's stack synthesized by cdktf, with what its JSON alone does not say: each check's construct
// path, and which arguments are nested blocks (`web`) rather than maps (`triggers_replace`).

type Body = Record<string, unknown>;

/** A synthesized stack and its files (the registration script among them). */
export interface Synthesis {
  readonly config: Synthesized;
  readonly checkPaths: Map<string, string[]>;
  readonly schema: BodySchema;
  /** Reads a file the synth wrote, by its path relative to the stack's directory. */
  readonly read: (path: string) => string;
}

const STACK_ID = 'module';
// Blocks of Terraform's language itself; the providers' blocks come from their cdktf bindings.
const LANGUAGE_BLOCKS = new Set([
  'validation',
  'lifecycle',
  'assert',
  'precondition',
  'postcondition',
  'connection',
  'required_providers',
]);

/** Paths (`azuread_application.web`) of the nested blocks in cdktf's HCL form of a body. */
function collectBlocks(path: string, attributes: Body, into: Set<string>): void {
  for (const [name, attribute] of Object.entries(attributes)) {
    const a = attribute as { isBlock?: boolean; value?: unknown } | undefined;
    if (!a?.isBlock) continue;
    into.add(`${path}.${name}`);
    for (const item of Array.isArray(a.value) ? a.value : [a.value])
      if (item && typeof item === 'object') collectBlocks(`${path}.${name}`, item as Body, into);
  }
}

/** Synthesizes the stack `build` makes in a directory of its own, removed before returning. */
export function synthesize(build: (app: App, id: string) => TerraformStack): Synthesis {
  const outdir = mkdtempSync(join(tmpdir(), 'kindo-module-'));
  try {
    const app = new App({ outdir, skipValidation: false });
    const stack = build(app, STACK_ID);
    app.synth();
    const checkPaths = new Map<string, string[]>();
    const blocks = new Set<string>();
    for (const node of stack.node.findAll()) {
      if (node instanceof TerraformCheck) checkPaths.set(node.friendlyUniqueId, node.node.path.split('/').slice(1));
      if (node instanceof TerraformResource || node instanceof TerraformDataSource) {
        const kind = node instanceof TerraformResource ? 'resource' : 'data';
        const synthesized = node.toHclTerraform()[kind][node.terraformResourceType][node.friendlyUniqueId] as Body;
        collectBlocks(node.terraformResourceType, synthesized, blocks);
      }
    }
    const dir = join(outdir, 'stacks', STACK_ID);
    const files = new Map<string, string>();
    const read = (path: string) => {
      if (!files.has(path)) files.set(path, readFileSync(join(dir, path), 'utf8'));
      return files.get(path)!;
    };
    const config = JSON.parse(read('cdk.tf.json')) as Synthesized;
    // The assets the stack references are read now, while its directory exists.
    for (const [, path] of JSON.stringify(config).matchAll(/\$\{path\.module\}\/(assets\/[^"\\\s]+)/g)) read(path);
    const schema = { isBlock: (p: string) => blocks.has(p) || LANGUAGE_BLOCKS.has(p.split('.').pop()!) };
    return { config, checkPaths, schema, read };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
