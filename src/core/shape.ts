import { Tokenization } from 'cdktf';
import { KindoConfigError, show } from './errors';

// Run-time checks of the kinds of values construct props hold. TypeScript checks them for a typed
// caller; a JavaScript caller, or props read from a JSON file, can pass anything, and a wrong kind
// would otherwise surface as a TypeError deep in a validator, naming neither the prop nor the value.

/**
 * The kind of value a prop holds; a Terraform token of any kind passes, since its value is Terraform's.
 * `secret` is a string that no message shows, nor any value that holds one.
 */
export type Shape =
  | 'string'
  | 'number'
  | 'boolean'
  | 'secret'
  | { readonly list: Shape }
  | { readonly map: Shape }
  | { readonly object: Readonly<Record<string, Shape>> }
  | { readonly either: readonly Shape[] };

/** The shape of every property of `T`, so that a prop added to `T` without its shape does not compile. */
export type ShapesOf<T> = { readonly [K in keyof Required<T>]: Shape };

/** The shape in words, for the message. */
function describe(shape: Shape): string {
  if (shape === 'secret') return 'a string (a Terraform variable)';
  if (typeof shape === 'string') return `a ${shape}`;
  if ('list' in shape) return `a list of ${plural(shape.list)}`;
  if ('map' in shape) return `a map (object) of ${plural(shape.map)}`;
  if ('object' in shape) return `an object with ${Object.keys(shape.object).join(', ')}`;
  return shape.either.map(describe).join(' or ');
}

function plural(shape: Shape): string {
  if (shape === 'secret') return 'strings';
  if (typeof shape === 'string') return `${shape}s`;
  if ('list' in shape) return `lists of ${plural(shape.list)}`;
  if ('map' in shape) return `maps (objects) of ${plural(shape.map)}`;
  if ('object' in shape) return `objects with ${Object.keys(shape.object).join(', ')}`;
  return shape.either.map(plural).join(' or ');
}

/** True when a value of this shape may hold a secret. */
function holdsSecret(shape: Shape): boolean {
  if (typeof shape === 'string') return shape === 'secret';
  if ('list' in shape) return holdsSecret(shape.list);
  if ('map' in shape) return holdsSecret(shape.map);
  if ('object' in shape) return Object.values(shape.object).some(holdsSecret);
  return shape.either.some(holdsSecret);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

interface Mismatch {
  readonly field: string;
  readonly value: unknown;
  readonly shape: Shape;
}

/** The first path in `value` that does not have `shape`'s kind, with the shape expected there; undefined when all do. */
function mismatch(field: string, value: unknown, shape: Shape): Mismatch | undefined {
  if (Tokenization.isResolvable(value)) return undefined;
  const here = { field, value, shape };
  if (typeof shape === 'string') return typeof value === (shape === 'secret' ? 'string' : shape) ? undefined : here;
  if ('either' in shape) return shape.either.some((s) => !mismatch(field, value, s)) ? undefined : here;
  if ('list' in shape) {
    if (!Array.isArray(value)) return here;
    for (const [i, item] of value.entries()) {
      const bad = mismatch(`${field}[${i}]`, item, shape.list);
      if (bad) return bad;
    }
    return undefined;
  }
  if (!isRecord(value)) return here;
  for (const [key, item] of Object.entries(value)) {
    const itemShape = 'map' in shape ? shape.map : shape.object[key];
    // An optional setting left undefined is absent; a key the object does not know is not its kind's concern.
    const bad =
      item === undefined || itemShape === undefined ? undefined : mismatch(`${field}.${key}`, item, itemShape);
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
    const bad = value === undefined ? undefined : mismatch(name, value, shape);
    if (bad) throw wrongType(bad.field, bad.value, bad.shape);
  }
}

/** A prop, or a part of one, of another kind than expected; a value that may hold a secret is not shown. */
export function wrongType(field: string, value: unknown, expected: Shape): KindoConfigError {
  const type = typeof value;
  const kind = value === null ? 'null' : Array.isArray(value) ? 'a list' : `${type === 'object' ? 'an' : 'a'} ${type}`;
  const shown = holdsSecret(expected) ? `${kind}, its value not shown` : `${show(value)} (${kind})`;
  return new KindoConfigError('WRONG_TYPE', `\`${field}\` is ${shown}; expected ${describe(expected)}`);
}
