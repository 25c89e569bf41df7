import type { ErrorObject } from 'ajv';
import { show } from '../core/errors';

// Reading the JSON a user hands the package (the adoption file, the `az` output): where a value sits,
// how to name it, and what a schema (precompiled, so that Ajv is not loaded) says about it.

/** Where a value sits in a JSON document: property names and array indices from the top. */
export type JsonPath = readonly (string | number)[];

/** Keys that name Object.prototype's properties: refused, so that no input can reach a prototype. */
export const PROTOTYPE_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** `existingApps.teams.clientSecrets[0].keyId`; names that are not identifiers quoted, as `['sharepoint-online']`. */
export function formatPath(path: JsonPath): string {
  return path
    .map((p, i) => {
      if (typeof p === 'number') return `[${p}]`;
      if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(p)) return i === 0 ? p : `.${p}`;
      return `[${show(p)}]`;
    })
    .join('');
}

/** The path of the first key named like a prototype property, depth first; undefined when there is none. */
export function prototypeKeyPath(value: unknown, path: JsonPath = []): JsonPath | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  // JSON.parse makes `__proto__` an own property; Object.keys lists it without touching the prototype.
  for (const key of Object.keys(value)) {
    const at = [...path, Array.isArray(value) ? Number(key) : key];
    if (!Array.isArray(value) && PROTOTYPE_KEYS.includes(key)) return at;
    const inner = prototypeKeyPath((value as Record<string, unknown>)[key], at);
    if (inner) return inner;
  }
  return undefined;
}

/** The value at `path`, read through own properties only. */
export function valueAt(doc: unknown, path: JsonPath): unknown {
  let value = doc;
  for (const p of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, p)) return undefined;
    value = (value as Record<string | number, unknown>)[p];
  }
  return value;
}

/** What a schema error is about, in the words of a message: where, the value found and what is expected. */
export interface SchemaProblem {
  readonly path: JsonPath;
  readonly value: unknown;
  readonly expected: string;
}

type Described = { description?: string; properties?: Record<string, { description?: string }> };

const pathOf = (pointer: string): (string | number)[] =>
  pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
        .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));

/**
 * The first error of a validator compiled with `verbose: true`. The schemas' `description`s say what
 * is expected in a message's words, so that messages and schema cannot drift apart.
 */
export function schemaProblem(errors: readonly ErrorObject[], doc: unknown): SchemaProblem {
  // propertyNames reports the inner error (carrying propertyName) before its own.
  const error = errors[0];
  const path = pathOf(error.instancePath);
  const parent = (error.parentSchema ?? {}) as Described;
  const named = (error as ErrorObject & { propertyName?: string }).propertyName;
  if (named !== undefined)
    return { path: [...path, named], value: named, expected: `a key that is ${parent.description ?? 'allowed here'}` };
  if (error.keyword === 'additionalProperties') {
    const field = String(error.params.additionalProperty);
    const known = Object.keys(parent.properties ?? {}).join(', ');
    return {
      path: [...path, field],
      value: valueAt(doc, [...path, field]),
      expected: `no such field (known: ${known})`,
    };
  }
  if (error.keyword === 'required') {
    const field = String(error.params.missingProperty);
    const description = parent.properties?.[field]?.description;
    return { path: [...path, field], value: undefined, expected: description ?? 'a value (the field is required)' };
  }
  if (error.keyword === 'uniqueItems') {
    // Ajv names the two equal items; the later one is the repetition.
    const at = [...path, Math.max(Number(error.params.i), Number(error.params.j))];
    return { path: at, value: valueAt(doc, at), expected: 'each value once' };
  }
  return { path, value: valueAt(doc, path), expected: parent.description ?? `a value that ${error.message}` };
}
