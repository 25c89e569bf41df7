import {
  type IResolvable,
  type IResolveContext,
  TerraformDataSource,
  type TerraformElement,
  TerraformStack,
  type TerraformVariable,
  Token,
  Tokenization,
  ref,
} from 'cdktf';

// The Terraform expressions this package composes itself: references to its own resources and
// variables, and the functions it calls on them (merge, lookup, jsonencode, sensitive, trimsuffix…).
// cdktf's own tokens capture and format a full stack trace each when created, and its Fn calls
// resolve their arguments anew at every use, twice per synth: written that way, the default stack
// cost twice the azuread bindings alone (docs/benchmark.md). An Expression is a cdktf token without
// a stack trace whose text is written when the stack is synthesized, from the addresses of the
// resources as they are then (an overrideLogicalId() after construction is followed). Values from
// callers stay cdktf's: where they hold a token of their own, the call goes through cdktf's Fn.

/** The HCL text of an expression, without `${…}`, as it is when `context` resolves it. */
type Render = (context: IResolveContext) => string;

/** A Terraform expression of this package: a cdktf token written at synth, without a captured stack trace. */
export class Expression implements IResolvable {
  /** Empty: no stack trace is captured (cdktf shows it only when a token fails to resolve). */
  public readonly creationStack: string[] = [];

  constructor(private readonly render: Render) {}

  /** The expression's text, without `${…}`, for an expression that holds it. */
  public text(context: IResolveContext): string {
    return bare(context, () => this.render(context));
  }

  public resolve(context: IResolveContext): string {
    const text = this.text(context);
    return context.suppressBraces ? text : `\${${text}}`;
  }

  public toString(): string {
    return Token.asString(this);
  }
}

/** Runs `fn` with `context` writing tokens without `${…}`, as inside an expression. */
function bare<T>(context: IResolveContext, fn: () => T): T {
  const outside = context.suppressBraces;
  context.suppressBraces = true;
  try {
    return fn();
  } finally {
    context.suppressBraces = outside;
  }
}

/**
 * An address in the stack that defines it; resolved in another stack, cdktf's own reference, which
 * makes the cross-stack output and remote state.
 */
function reference(origin: TerraformStack, identifier: () => string): Expression {
  let crossStack: IResolvable | undefined;
  return new Expression((context) => {
    if (TerraformStack.of(context.scope) === origin) return identifier();
    crossStack ??= ref(identifier(), origin);
    return String(context.resolve(crossStack));
  });
}

/** A resource or data source, as Terraform addresses it. */
type Addressable = TerraformElement & { readonly terraformResourceType: string };

/** `type.name` of a resource, `data.type.name` of a data source, as it is at synth. */
export function address(element: Addressable): string {
  return `${element instanceof TerraformDataSource ? 'data.' : ''}${element.terraformResourceType}.${element.friendlyUniqueId}`;
}

/** A resource's address as `depends_on` takes it: bare, never as `${…}`; written at synth, like {@link Expression}. */
class Dependency implements IResolvable {
  public readonly creationStack: string[] = [];
  constructor(private readonly element: Addressable) {}
  public resolve(): string {
    return address(this.element);
  }
  public toString(): string {
    return Token.asString(this);
  }
}

/** An entry of `depends_on` naming a resource of this package. */
export const dependency = (element: Addressable): string => new Dependency(element).toString();

/**
 * A reference to an attribute of a resource or data source of this package, e.g. `client_id`, or
 * `[0].object_id` of one with `count`.
 */
export function attribute(element: Addressable, path: string): string {
  const separator = path.startsWith('[') ? '' : '.';
  return reference(TerraformStack.of(element), () => `${address(element)}${separator}${path}`).toString();
}

/** A reference to a variable of this package's stack (`var.<name>`), as a resolvable for Token.asAny and the like. */
export function variableExpression(variable: TerraformVariable): Expression {
  return reference(TerraformStack.of(variable), () => `var.${variable.friendlyUniqueId}`);
}

/** A reference to a variable of this package's stack, as a string. */
export const variableValue = (variable: TerraformVariable): string => variableExpression(variable).toString();

/** The token a string is exactly, if it is one. */
function soleToken(value: string): IResolvable | undefined {
  const fragments = Tokenization.reverseString(value);
  return fragments.length === 1 ? fragments.firstToken : undefined;
}

/** The Expression a value stands for, if it is exactly one: a string, list, map or number token of one. */
function expressionOf(value: unknown): Expression | undefined {
  let token: IResolvable | undefined;
  if (typeof value === 'string') token = soleToken(value);
  else if (typeof value === 'number') token = Tokenization.reverseNumber(value);
  else if (Array.isArray(value)) token = Tokenization.reverseList(value);
  else if (value !== null && typeof value === 'object')
    token = Tokenization.isResolvable(value) ? value : Tokenization.reverseMap(value as Record<string, unknown>);
  return token instanceof Expression ? token : undefined;
}

/**
 * True when every token in `value` is an Expression of this package, and no string mixes a token
 * with literal text; such a value can be written as an argument of {@link call} as cdktf would.
 */
export function composable(value: unknown): boolean {
  if (!Token.isUnresolved(value)) {
    if (Array.isArray(value)) return value.every(composable);
    if (value !== null && typeof value === 'object') return Object.values(value).every(composable);
    return true;
  }
  return expressionOf(value) !== undefined;
}

/**
 * `name(args…)`, when every argument is {@link composable}; undefined otherwise, so that the caller
 * takes cdktf's Fn, which writes the same text for them.
 */
export function call(name: string, ...args: unknown[]): Expression | undefined {
  if (!args.every(composable)) return undefined;
  return new Expression((context) => `${name}(${args.map((a) => hcl(a, context)).join(', ')})`);
}

/**
 * An expression from HCL text and values, as a tagged template: the text is HCL as written, each
 * value is written as {@link hcl} writes it, e.g. expression`contains(${list}, ${id}) ? 1 : 0`.
 */
export function expression(text: TemplateStringsArray, ...values: unknown[]): Expression {
  return new Expression((context) => text.reduce((all, part, i) => `${all}${hcl(values[i - 1], context)}${part}`));
}

const HCL_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/**
 * A quoted HCL string that evaluates to `value`, holding no template sequence and no brace: cdktf,
 * resolving a string, reads `${` and `}` in literal text beside a token (src/nango/terraform-json.ts).
 */
export function hclString(value: string): string {
  const escaped = value.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are among those escaped
    /[\\"{}\u0000-\u001f]/g,
    (c) => HCL_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `"${escaped}"`;
}

/** A token's expression text: an Expression's own, any other token as cdktf resolves it inside an expression. */
function tokenText(token: IResolvable, context: IResolveContext): string {
  return token instanceof Expression ? token.text(context) : bare(context, () => String(context.resolve(token)));
}

/** The literal text and the tokens (each as its string form) of a string, in order. */
export function pieces(value: string): string[] {
  const joined: unknown = Tokenization.reverseString(value).join({
    join: (left: unknown, right: unknown) => [...(Array.isArray(left) ? left : [left]), right],
  });
  return Array.isArray(joined) ? joined : [joined as string];
}

/** A string holding tokens: the token itself, or the join of its literal parts and tokens. */
function stringText(value: string, context: IResolveContext): string {
  const one = soleToken(value);
  if (one) return tokenText(one, context);
  const texts = pieces(value).map((p) => {
    const token = Token.isUnresolved(p) ? soleToken(p) : undefined;
    return token ? tokenText(token, context) : hclString(p);
  });
  return `join("", [${texts.join(', ')}])`;
}

/**
 * `value` written as an HCL expression: literal strings as {@link hclString}s, maps and lists in
 * HCL's syntax, tokens as their expressions, so that nothing literal is ever evaluated.
 */
export function hcl(value: unknown, context: IResolveContext): string {
  if (typeof value === 'string') return Token.isUnresolved(value) ? stringText(value, context) : hclString(value);
  if (value === null || typeof value !== 'object') {
    const token = typeof value === 'number' ? Tokenization.reverseNumber(value) : undefined;
    return token ? tokenText(token, context) : JSON.stringify(value);
  }
  const token = Tokenization.isResolvable(value)
    ? value
    : Array.isArray(value)
      ? Tokenization.reverseList(value)
      : Tokenization.reverseMap(value as Record<string, unknown>);
  if (token) return tokenText(token, context);
  if (Array.isArray(value)) return `[${value.map((v) => hcl(v, context)).join(', ')}]`;
  const members = Object.entries(value as Record<string, unknown>);
  return `{${members.map(([k, v]) => `${hclString(k)} = ${hcl(v, context)}`).join(', ')}}`;
}
