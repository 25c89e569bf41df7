import { Tokenization } from 'cdktf';
import { KindoConfigError, show } from './errors';

// Run-time checks of the kinds of values construct props hold. TypeScript checks them for a typed
// caller; a JavaScript caller, or props read from a JSON file, can pass anything, and a wrong kind
// would otherwise surface as a TypeError deep in a validator, naming neither the prop nor the value.

/** The kind of value a prop holds; a Terraform token of any kind passes, since its value is Terraform's. */
export type Shape =
  | 'string'
  | 'number'
  | 'boolean'
  | { readonly list: Shape }
  | { readonly map: Shape }
  | { readonly object: Readonly<Record<string, Shape>> }
  | { readonly either: readonly Shape[] };

/** The shape in words, for the message. */
function describe(shape: Shape): string {
  if (typeof shape === 'string') return `a ${shape}`;
  if ('list' in shape) return `a list of ${plural(shape.list)}`;
  if ('map' in shape) return `a map (object) of ${plural(shape.map)}`;
  if ('object' in shape) return `an object with ${Object.keys(shape.object).join(', ')}`;
  return shape.either.map(describe).join(' or ');
}
function plural(shape: Shape): string {
  if (typeof shape === 'string') return `${shape}s`;
  if ('list' in shape) return `lists of ${plural(shape.list)}`;
  if ('map' in shape) return `maps (objects) of ${plural(shape.map)}`;
  if ('object' in shape) return `objects with ${Object.keys(shape.object).join(', ')}`;
  return shape.either.map(plural).join(' or ');
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The first path in `value` that does not have `shape`'s kind, or undefined when all do. */
function mismatch(field: string, value: unknown, shape: Shape): { field: string; value: unknown } | undefined {
  if (Tokenization.isResolvable(value)) return undefined;
  if (typeof shape === 'string') return typeof value === shape ? undefined : { field, value };
  if ('either' in shape)
    return shape.either.some((s) => mismatch(field, value, s) === undefined) ? undefined : { field, value };
  if ('list' in shape) {
    if (!Array.isArray(value)) return { field, value };
    for (const [i, item] of value.entries()) {
      const bad = mismatch(`${field}[${i}]`, item, shape.list);
      if (bad) return bad;
    }
    return undefined;
  }
  if (!isRecord(value)) return { field, value };
  const entries = 'map' in shape ? Object.entries(value) : Object.entries(value).filter(([k]) => k in shape.object);
  for (const [key, item] of entries) {
    const itemShape = 'map' in shape ? shape.map : shape.object[key];
    // An optional setting left undefined is absent.
    const bad = item === undefined ? undefined : mismatch(`${field}.${key}`, item, itemShape);
    if (bad) return bad;
  }
  return undefined;
}

/**
 * Checks each prop named in `shapes` that `props` sets (undefined is absent; null is not).
 * @throws KindoConfigError WRONG_TYPE naming the first prop path of another kind, its value and the kind expected
 */
export function checkShapes(props: object, shapes: Readonly<Record<string, Shape>>): void {
  for (const [name, shape] of Object.entries(shapes)) {
    const value = (props as Record<string, unknown>)[name];
    if (value === undefined) continue;
    const bad = mismatch(name, value, shape);
    if (bad) throw wrongType(bad.field, bad.value, describe(shapeAt(shape, bad.field, name)));
  }
}

/** The shape expected at `path` (a path `mismatch` returned) inside `shape`, found at `root`. */
function shapeAt(shape: Shape, path: string, root: string): Shape {
  let current = shape;
  for (const step of path.slice(root.length).match(/\[\d+\]|\.[^.[]+/g) ?? []) {
    if (typeof current === 'string' || 'either' in current) break;
    if ('list' in current) current = current.list;
    else if ('map' in current) current = current.map;
    else current = current.object[step.slice(1)];
  }
  return current;
}

/** A prop, or a part of one, of another kind than expected. */
export function wrongType(field: string, value: unknown, expected: string): KindoConfigError {
  const type = typeof value;
  const kind = value === null ? 'null' : Array.isArray(value) ? 'a list' : `${type === 'object' ? 'an' : 'a'} ${type}`;
  return new KindoConfigError('WRONG_TYPE', `\`${field}\` is ${show(value)} (${kind}); expected ${expected}`);
}
