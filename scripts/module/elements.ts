import { INTEGRATION_IDS, catalog, type IntegrationId } from '../../src/catalog/catalog';
import { ModuleGeneratorError } from './generator-error';

// The synthesized stack's resources and data sources, each placed under its integration and API by its
// construct path: what scripts/module/fold.ts folds.

type Body = Record<string, unknown>;
type Blocks = Record<string, Record<string, Body>>;

/** The parts of a stack's synthesized JSON the module is made of. */
export interface Synthesized {
  readonly resource: Blocks;
  readonly data: Blocks;
  readonly check?: Record<string, Body>;
  readonly variable: Record<string, Body>;
  readonly output: Record<string, Body>;
  readonly terraform: { required_providers: Record<string, { source: string; version: string }> };
}

/** One synthesized resource or data source, placed by its construct path. */
export interface Element {
  readonly kind: 'resource' | 'data';
  readonly type: string;
  readonly uniqueId: string;
  /** Construct ids below the integration's construct, or below the stack for shared lookups. */
  readonly segments: readonly string[];
  /** The integration it belongs to; undefined for lookups that integrations share. */
  readonly integration?: IntegrationId;
  /** The catalog's API it is for, when its construct id ends with the API's name (per-API grants and lookups). */
  readonly api?: string;
  /** Whether the constructs gave it `count` (a shared lookup read only when needed); references index it with `[0]`. */
  readonly counted: boolean;
  readonly body: Body;
}

/** API names as construct ids carry them, e.g. `WindowsDefenderATP`. */
const API_IDS = new Map(
  Object.values(catalog()).flatMap((d) => d.apis.map((a) => [a.name.replace(/[^A-Za-z0-9]/g, ''), a.name] as const)),
);
/** The synthesized resources and data sources, each placed under its integration and API. */
export function elementsOf(config: Synthesized, constructId: string): Element[] {
  for (const key of Object.keys(config)) {
    if (!['//', 'resource', 'data', 'check', 'variable', 'output', 'provider', 'terraform'].includes(key))
      throw moduleBlockUnsupported(`${key} block`);
  }
  const elements: Element[] = [];
  for (const kind of ['resource', 'data'] as const) {
    for (const [type, blocks] of Object.entries(config[kind] ?? {})) {
      for (const [uniqueId, { '//': meta, ...body }] of Object.entries(blocks)) {
        const address = `${kind === 'data' ? 'data.' : ''}${type}.${uniqueId}`;
        const path = (meta as { metadata: { path: string } }).metadata.path.split('/').slice(1);
        const inIntegration = path[0] === constructId && (INTEGRATION_IDS as readonly string[]).includes(path[1]);
        if (!inIntegration && path.length !== 1) throw moduleElementOutsideIntegration(address, path.join('/'));
        // A shared lookup may be counted (read only when needed); the module gives it its own for_each.
        const counted = !inIntegration && 'count' in body;
        for (const argument of ['count', 'for_each'])
          if (argument in body && !(counted && argument === 'count'))
            throw moduleElementHasMetaArgument(address, argument);
        const segments = inIntegration ? path.slice(2) : path;
        const last = segments[segments.length - 1];
        const apiId = [...API_IDS.keys()].find((a) => last.endsWith(a) && last.length > a.length);
        elements.push({
          kind,
          type,
          uniqueId,
          segments,
          integration: inIntegration ? (path[1] as IntegrationId) : undefined,
          api: apiId && API_IDS.get(apiId),
          counted,
          body,
        });
      }
    }
  }
  return elements;
}

/** The synthesized configuration has a top-level block the Terraform module generator cannot key by integration. */
export function moduleBlockUnsupported(block: string): ModuleGeneratorError {
  return new ModuleGeneratorError(
    'MODULE_BLOCK_UNSUPPORTED',
    `the constructs synthesized a \`${block}\`, which the Terraform module cannot switch per integration; expected only resource, data, check (without a data source, which cannot take for_each), variable and output blocks`,
  );
}

/** A synthesized resource that belongs to no integration, so the module cannot key it by integration id. */
export function moduleElementOutsideIntegration(address: string, path: string): ModuleGeneratorError {
  return new ModuleGeneratorError(
    'MODULE_ELEMENT_OUTSIDE_INTEGRATION',
    `${address} (construct path ${path}) belongs to no integration; expected every resource under one integration's MicrosoftIntegrationApp, and only data sources shared at the stack's root`,
  );
}

/** A synthesized resource that already has count or for_each, which the module generator sets itself. */
export function moduleElementHasMetaArgument(address: string, argument: string): ModuleGeneratorError {
  return new ModuleGeneratorError(
    'MODULE_ELEMENT_HAS_META_ARGUMENT',
    `${address} already has \`${argument}\`; expected no count or for_each, since the Terraform module keys each resource by its integration id`,
  );
}
