import { ModuleGeneratorError } from './generator-error';

// HCL expressions as a small syntax tree: what scripts/module/hcl-expression.ts prints, and
// scripts/module/names.ts renames. Only what the constructs and the module's generator write:
// no heredocs and no template directives.

/** One node of an expression. */
export type Node =
  | { readonly t: 'raw'; readonly s: string }
  | { readonly t: 'tpl'; readonly parts: readonly (string | Node)[] }
  | { readonly t: 'call'; readonly name: string; readonly args: readonly Node[]; readonly expand: boolean }
  | { readonly t: 'paren'; readonly e: Node }
  | { readonly t: 'tuple'; readonly items: readonly Node[] }
  | { readonly t: 'object'; readonly items: readonly { readonly key: Node; readonly value: Node }[] }
  | {
      readonly t: 'for';
      readonly open: '[' | '{';
      readonly vars: string;
      readonly coll: Node;
      readonly key?: Node;
      readonly value: Node;
      readonly group: boolean;
      readonly cond?: Node;
    }
  | { readonly t: 'cond'; readonly c: Node; readonly a: Node; readonly b: Node }
  | { readonly t: 'bin'; readonly operands: readonly Node[]; readonly ops: readonly string[] }
  | { readonly t: 'unary'; readonly op: string; readonly e: Node }
  | { readonly t: 'postfix'; readonly base: Node; readonly parts: readonly string[] | readonly (string | Node)[] };

type Token = { readonly k: 'id' | 'num' | 'str' | 'punct'; readonly v: string; readonly parts?: (string | Node)[] };

const PUNCT = ['...', '=>', '==', '!=', '<=', '>=', '&&', '||', '(', ')', '[', ']', '{', '}', ','];
const SINGLE = ':?=!<>+-*/%.';
const LEVELS = [['||'], ['&&'], ['==', '!='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%']];

/** The tokens of an expression's source; quoted templates are one token each, their parts parsed. */
function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) i++;
    else if (c === '"') {
      const { parts, end } = templateAt(source, i + 1);
      tokens.push({ k: 'str', v: source.slice(i, end + 1), parts });
      i = end + 1;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(source.slice(i))![0];
      tokens.push({ k: 'num', v: m });
      i += m.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(source.slice(i))![0];
      tokens.push({ k: 'id', v: m });
      i += m.length;
    } else {
      const p = PUNCT.find((x) => source.startsWith(x, i)) ?? (SINGLE.includes(c) ? c : undefined);
      if (!p) throw unparsable(source, `unexpected ${JSON.stringify(c)} at ${i}`);
      tokens.push({ k: 'punct', v: p });
      i += p.length;
    }
  }
  return tokens;
}

/** A quoted template's parts from `start` (after its opening quote): literal source text and parsed interpolations. */
function templateAt(source: string, start: number): { parts: (string | Node)[]; end: number } {
  const parts: (string | Node)[] = [];
  let literal = '';
  for (let i = start; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      literal += c + source[i + 1];
      i++;
    } else if (c === '$' && source.startsWith('$${', i)) {
      literal += '$${';
      i += 2;
    } else if (c === '$' && source[i + 1] === '{') {
      const end = interpolationEnd(source, i + 2);
      if (literal) parts.push(literal);
      literal = '';
      parts.push(parse(source.slice(i + 2, end)));
      i = end;
    } else if (c === '"') {
      if (literal) parts.push(literal);
      return { parts, end: i };
    } else literal += c;
  }
  throw unparsable(source, 'unterminated string');
}

/** Index of the `}` that closes an interpolation whose expression starts at `start`. */
function interpolationEnd(source: string, start: number): number {
  let depth = 0;
  for (let i = start; i < source.length; i++) {
    const c = source[i];
    if (c === '"') i = templateAt(source, i + 1).end;
    else if (c === '{') depth++;
    else if (c === '}' && depth === 0) return i;
    else if (c === '}') depth--;
  }
  throw unparsable(source, 'unterminated interpolation');
}

/** A recursive-descent parser of HCL's expression syntax, over the tokens of one expression. */
class Parser {
  private at = 0;
  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {}

  /** The whole source as one expression. */
  all(): Node {
    const node = this.expression();
    if (this.at !== this.tokens.length)
      throw unparsable(this.source, `unexpected ${this.tokens[this.at].v} at token ${this.at}`);
    return node;
  }

  private peek(v: string): boolean {
    return this.tokens[this.at]?.v === v;
  }
  private next(): Token {
    const token = this.tokens[this.at++];
    if (!token) throw unparsable(this.source, 'unexpected end');
    return token;
  }
  private expect(v: string): void {
    if (!this.peek(v)) throw unparsable(this.source, `expected ${v} at token ${this.at}`);
    this.at++;
  }

  private expression(): Node {
    const c = this.binary();
    if (!this.peek('?')) return c;
    this.next();
    const a = this.expression();
    this.expect(':');
    return { t: 'cond', c, a, b: this.expression() };
  }
  // Operators from the loosest binding to the tightest, as HCL's specification orders them.
  private binary(level = 0): Node {
    if (level === LEVELS.length) return this.unary();
    const operands = [this.binary(level + 1)];
    const ops: string[] = [];
    while (this.tokens[this.at]?.k === 'punct' && LEVELS[level].includes(this.tokens[this.at].v)) {
      ops.push(this.next().v);
      operands.push(this.binary(level + 1));
    }
    return ops.length === 0 ? operands[0] : { t: 'bin', operands, ops };
  }
  private unary(): Node {
    return this.peek('!') || this.peek('-') ? { t: 'unary', op: this.next().v, e: this.unary() } : this.postfix();
  }
  private postfix(): Node {
    const base = this.primary();
    const parts: (string | Node)[] = [];
    for (;;) {
      const [first, second, third] = [0, 1, 2].map((i) => this.tokens[this.at + i]?.v);
      if (first === '.' && second === '*') {
        this.at += 2;
        parts.push('.*');
      } else if (first === '.') {
        this.next();
        parts.push(`.${this.next().v}`);
      } else if (first === '[' && second === '*' && third === ']') {
        this.at += 3;
        parts.push('[*]');
      } else if (first === '[') {
        this.next();
        parts.push(this.expression());
        this.expect(']');
      } else return parts.length === 0 ? base : { t: 'postfix', base, parts };
    }
  }
  private primary(): Node {
    const token = this.next();
    if (token.k === 'str') return { t: 'tpl', parts: token.parts! };
    if (token.k === 'num') return { t: 'raw', s: token.v };
    if (token.k === 'id') return this.peek('(') ? this.call(token.v) : { t: 'raw', s: token.v };
    if (token.v === '(') {
      const e = this.expression();
      this.expect(')');
      return { t: 'paren', e };
    }
    if (token.v === '[') return this.peek('for') ? this.forExpression('[') : this.tuple();
    if (token.v === '{') return this.peek('for') ? this.forExpression('{') : this.object();
    throw unparsable(this.source, `unexpected ${token.v}`);
  }
  private call(name: string): Node {
    this.next();
    const args: Node[] = [];
    let expand = false;
    while (!this.peek(')')) {
      args.push(this.expression());
      if (this.peek('...')) {
        this.next();
        expand = true;
      }
      if (!this.peek(')')) this.expect(',');
    }
    this.next();
    return { t: 'call', name, args, expand };
  }
  private tuple(): Node {
    const items: Node[] = [];
    while (!this.peek(']')) {
      items.push(this.expression());
      if (!this.peek(']')) this.expect(',');
    }
    this.next();
    return { t: 'tuple', items };
  }
  private object(): Node {
    const items: { key: Node; value: Node }[] = [];
    while (!this.peek('}')) {
      const key = this.expression();
      if (!this.peek('=') && !this.peek(':')) throw unparsable(this.source, `expected = at token ${this.at}`);
      this.next();
      items.push({ key, value: this.expression() });
      if (this.peek(',')) this.next();
    }
    this.next();
    return { t: 'object', items };
  }
  private forExpression(open: '[' | '{'): Node {
    this.next();
    const names = [this.next().v];
    if (this.peek(',')) {
      this.next();
      names.push(this.next().v);
    }
    this.expect('in');
    const coll = this.expression();
    this.expect(':');
    const first = this.expression();
    const grouped = open === '{' ? this.groupedValue() : undefined;
    let cond: Node | undefined;
    if (this.peek('if')) {
      this.next();
      cond = this.expression();
    }
    this.expect(open === '[' ? ']' : '}');
    const result = grouped
      ? { key: first, value: grouped.value, group: grouped.group }
      : { value: first, group: false };
    return { t: 'for', open, vars: names.join(', '), coll, cond, ...result };
  }
  /** An object for expression's `=> value`, and whether `...` groups it. */
  private groupedValue(): { value: Node; group: boolean } {
    this.expect('=>');
    const value = this.expression();
    const group = this.peek('...');
    if (group) this.next();
    return { value, group };
  }
}

/** Parses an HCL expression (no heredocs or template directives, which the constructs never write). */
export function parse(source: string): Node {
  return new Parser(source, tokenize(source)).all();
}

/** An expression the printer cannot read. Raised only by `npm run module`. */
function unparsable(source: string, why: string): ModuleGeneratorError {
  return new ModuleGeneratorError(
    'MODULE_EXPRESSION_UNPARSABLE',
    `cannot lay out the HCL expression ${JSON.stringify(source.slice(0, 200))}: ${why}; expected HCL's expression syntax without heredocs or template directives`,
  );
}
