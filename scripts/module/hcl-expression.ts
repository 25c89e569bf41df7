import { ModuleGeneratorError } from './generator-error';

// HCL expressions as a small syntax tree, printed the way a person lays them out: on one line while
// that fits, else broken at their structure (arguments, items, a for expression's clauses, the
// branches of a conditional), with the indentation `terraform fmt` keeps. The constructs' bodies
// arrive as one-line expressions (cdktf's JSON syntax); scripts/module/hcl.ts prints them with this.

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
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYWORDS = new Set(['for', 'in', 'if', 'true', 'false', 'null']);

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

/** An object key as written: a bare name where HCL reads one as a literal key. */
function keyText(key: Node): string {
  if (key.t === 'tpl' && key.parts.length === 1 && typeof key.parts[0] === 'string') {
    const name = key.parts[0];
    if (IDENTIFIER.test(name) && !KEYWORDS.has(name)) return name;
  }
  return inline(key);
}

/** The expression on one line, spaced as `terraform fmt` leaves it. */
export function inline(n: Node): string {
  switch (n.t) {
    case 'raw':
      return n.s;
    case 'tpl':
      return `"${n.parts.map((p) => (typeof p === 'string' ? p : `\${${inline(p)}}`)).join('')}"`;
    case 'call':
      return `${n.name}(${n.args.map(inline).join(', ')}${n.expand ? '...' : ''})`;
    case 'paren':
      return `(${inline(n.e)})`;
    case 'tuple':
      return `[${n.items.map(inline).join(', ')}]`;
    case 'object':
      return n.items.length === 0
        ? '{}'
        : `{ ${n.items.map((i) => `${keyText(i.key)} = ${inline(i.value)}`).join(', ')} }`;
    case 'for': {
      const body = n.key ? `${inline(n.key)} => ${inline(n.value)}${n.group ? '...' : ''}` : inline(n.value);
      const condition = n.cond ? inline(n.cond) : '';
      const cond = n.cond ? ` if${condition.startsWith('(') ? '' : ' '}${condition}` : '';
      const head = `for ${n.vars} in ${inline(n.coll)} : ${body}${cond}`;
      return n.open === '[' ? `[${head}]` : `{ ${head} }`;
    }
    case 'cond':
      return `${inline(n.c)} ? ${inline(n.a)} : ${inline(n.b)}`;
    case 'bin':
      return n.operands.map((o, i) => (i === 0 ? inline(o) : ` ${n.ops[i - 1]} ${inline(o)}`)).join('');
    case 'unary':
      return `${n.op}${inline(n.e)}`;
    case 'postfix':
      return `${inline(n.base)}${n.parts.map((p) => (typeof p === 'string' ? p : `[${inline(p)}]`)).join('')}`;
  }
}

/** Lines are kept to this many columns where the expression's structure allows. */
export const WIDTH = 100;
const INDENT = '  ';

/** Whether a node holds a for expression. */
function holdsFor(n: Node): boolean {
  switch (n.t) {
    case 'for':
      return true;
    case 'tpl':
      return n.parts.some((p) => typeof p !== 'string' && holdsFor(p));
    case 'call':
      return n.args.some(holdsFor);
    case 'paren':
    case 'unary':
      return holdsFor(n.e);
    case 'tuple':
      return n.items.some(holdsFor);
    case 'object':
      return n.items.some((i) => holdsFor(i.key) || holdsFor(i.value));
    case 'cond':
      return [n.c, n.a, n.b].some(holdsFor);
    case 'bin':
      return n.operands.some(holdsFor);
    case 'postfix':
      return holdsFor(n.base) || n.parts.some((p) => typeof p !== 'string' && holdsFor(p));
    default:
      return false;
  }
}

/** Whether a for expression reads better broken whatever its length: it filters, or holds another. */
const mustBreak = (n: Node): boolean =>
  n.t === 'for' && (n.cond !== undefined || holdsFor(n.value) || (n.key !== undefined && holdsFor(n.key)));

/**
 * The expression laid out from column `col` of a line indented by `indent`: on that line when it fits,
 * else broken, each further line indented as `terraform fmt` indents it.
 */
export function print(n: Node, indent = '', col = indent.length): string {
  const flat = inline(n);
  if (col + flat.length <= WIDTH && !mustBreak(n)) return flat;
  const inner = indent + INDENT;
  switch (n.t) {
    case 'call':
      return printCall(flattenJoin(n, indent), indent, col) ?? flat;
    case 'tuple':
      return n.items.length === 0
        ? flat
        : `[\n${n.items.map((i) => `${inner}${print(i, inner)},\n`).join('')}${indent}]`;
    case 'object':
      return n.items.length === 0 ? flat : `{\n${objectItems(n.items, inner)}${indent}}`;
    case 'for':
      return printFor(n, indent);
    case 'bin':
      return ['||', '&&'].includes(n.ops[0])
        ? `(\n${inner}${broken(n, inner)}\n${indent})`
        : printOperands(n, indent, col);
    case 'cond':
      return `(\n${inner}${broken(n, inner)}\n${indent})`;
    case 'paren':
      return n.e.t === 'cond' || n.e.t === 'bin'
        ? `(\n${inner}${broken(n.e, inner)}\n${indent})`
        : `(${print(n.e, indent, col + 1)})`;
    case 'unary':
      return `${n.op}${print(n.e, indent, col + n.op.length)}`;
    case 'postfix':
      return n.parts.every((p) => typeof p === 'string') ? `${print(n.base, indent, col)}${n.parts.join('')}` : flat;
    case 'tpl':
      return printTemplate(n, indent);
    default:
      return flat;
  }
}

/** A conditional or an operator chain inside parentheses: one branch or operand per line. */
function broken(n: Node, indent: string): string {
  if (n.t === 'cond') {
    const at = indent.length + 2;
    return `${print(n.c, indent)}\n${indent}? ${print(n.a, indent, at)}\n${indent}: ${print(n.b, indent, at)}`;
  }
  if (n.t === 'bin')
    return n.operands
      .map((o, i) => (i === 0 ? print(o, indent) : `${n.ops[i - 1]} ${print(o, indent, indent.length + 3)}`))
      .join(`\n${indent}`);
  return print(n, indent);
}

/** A comparison or arithmetic on one line, its operands breaking inside themselves: `timecmp(` … `) > 0`. */
function printOperands(n: Extract<Node, { t: 'bin' }>, indent: string, col: number): string {
  let out = '';
  n.operands.forEach((o, i) => {
    if (i > 0) out += ` ${n.ops[i - 1]} `;
    const lineStart = out.lastIndexOf('\n');
    out += print(o, indent, lineStart < 0 ? col + out.length : out.length - lineStart - 1);
  });
  return out;
}

const breakable = (n: Node) =>
  ['call', 'tuple', 'object', 'for'].includes(n.t) || (n.t === 'tpl' && n.parts.length > 0);

/**
 * A call broken after its opening parenthesis, one argument per line; or, when only its last
 * argument is long and can break itself, with that argument hugged: `alltrue([` … `])`.
 */
function printCall(n: Extract<Node, { t: 'call' }>, indent: string, col: number): string | undefined {
  if (n.args.length === 0) return undefined;
  const last = n.args[n.args.length - 1];
  const lead = `${n.name}(${n.args
    .slice(0, -1)
    .map((a) => `${inline(a)}, `)
    .join('')}`;
  const end = `${n.expand ? '...' : ''})`;
  const short = n.args.slice(0, -1).every((a) => inline(a).length <= 12);
  if (breakable(last) && last.t !== 'tpl' && short && col + lead.length <= WIDTH - 10) {
    const hugged = print(last, indent, col + lead.length);
    if (hugged.includes('\n')) return `${lead}${hugged}${end}`;
  }
  const inner = indent + INDENT;
  const args = n.args.map((a, i) => `${inner}${print(a, inner)}${i === n.args.length - 1 && n.expand ? '...' : ','}\n`);
  return `${n.name}(\n${args.join('')}${indent})`;
}

/** A for expression with its clauses on lines of their own: `for … :` and its result, then `if …`. */
function printFor(n: Extract<Node, { t: 'for' }>, indent: string): string {
  const inner = indent + INDENT;
  const head = `for ${n.vars} in ${print(n.coll, inner, inner.length + `for ${n.vars} in `.length)} :`;
  const headEnd = inner.length + head.length - head.lastIndexOf('\n') - 1;
  const result = (col: number) =>
    n.key
      ? `${inline(n.key)} => ${print(n.value, inner, col + inline(n.key).length + 4)}${n.group ? '...' : ''}`
      : print(n.value, inner, col);
  const sameLine = `${head} ${result(headEnd + 1)}`;
  // After a collection that spans lines, `} : [` would open and close on one line, which `terraform fmt`
  // indents as a line inside the braces: the result goes on a line of its own.
  const fits =
    !head.includes('\n') && !sameLine.split('\n').some((l, i) => (i === 0 ? inner.length : 0) + l.length > WIDTH);
  const lines = [fits ? sameLine : `${head}\n${inner}${result(inner.length)}`];
  if (n.cond) {
    const cond = print(n.cond, inner, inner.length + 3);
    // `terraform fmt` writes a parenthesized condition as it writes a call: `if(`.
    lines.push(`if${cond.startsWith('(') ? '' : ' '}${cond}`);
  }
  const [open, close] = n.open === '[' ? ['[', ']'] : ['{', '}'];
  return `${open}\n${lines.map((l) => `${inner}${l}\n`).join('')}${indent}${close}`;
}

/** Object items, one per line, their `=` aligned in runs of one-line values as `terraform fmt` aligns them. */
export function objectItems(items: readonly { key: Node; value: Node }[], indent: string): string {
  const lines = items.map((i) => ({ name: keyText(i.key), value: (col: number) => print(i.value, indent, col) }));
  return aligned(lines, indent);
}

/** `name = value` lines, aligned in runs; a value spanning lines stands alone. */
export function aligned(lines: readonly { name: string; value: (col: number) => string }[], indent: string): string {
  const printed = lines.map((l) => ({ name: l.name, value: l.value(indent.length + l.name.length + 3) }));
  let out = '';
  let run: { name: string; value: string }[] = [];
  const flush = () => {
    const width = Math.max(...run.map((l) => l.name.length));
    for (const l of run) out += `${indent}${l.name.padEnd(width)} = ${l.value}\n`;
    run = [];
  };
  for (const line of printed) {
    // A heredoc's opening line is aligned with its neighbours', as `terraform fmt` aligns it.
    if (line.value.includes('\n') && !line.value.startsWith('<<')) {
      if (run.length > 0) flush();
      run.push(line);
      flush();
    } else run.push(line);
  }
  if (run.length > 0) flush();
  return out;
}

/** A template's words: runs of literal text and interpolations up to and with the spaces that follow. */
function templateWords(n: Extract<Node, { t: 'tpl' }>): (string | Node)[][] {
  const words: (string | Node)[][] = [[]];
  for (const part of n.parts) {
    const last = words[words.length - 1];
    const afterSpace = typeof last.at(-1) === 'string' && (last.at(-1) as string).endsWith(' ');
    if (typeof part !== 'string') {
      if (afterSpace) words.push([part]);
      else last.push(part);
      continue;
    }
    for (const [i, chunk] of (part.match(/[^ ]+ *| +/g) ?? []).entries()) {
      const word = words[words.length - 1];
      const endsWithSpace = word.length > 0 && typeof word.at(-1) === 'string' && (word.at(-1) as string).endsWith(' ');
      if (i > 0 || endsWithSpace) words.push([chunk]);
      else word.push(chunk);
    }
  }
  return words.filter((w) => w.length > 0);
}

/**
 * A template as pieces split between words, each short enough for a line indented by `indent`; an
 * interpolation too long for a line of its own becomes an item of its own, its expression unquoted.
 */
function templatePieces(n: Extract<Node, { t: 'tpl' }>, indent: string): Node[] {
  const room = Math.max(40, WIDTH - indent.length - 3);
  const size = (p: string | Node) => (typeof p === 'string' ? p.length : inline(p).length + 3);
  const pieces: Node[] = [];
  let current: (string | Node)[] = [];
  let length = 0;
  const flush = () => {
    if (current.length > 0) pieces.push({ t: 'tpl', parts: mergeLiterals(current) });
    current = [];
    length = 0;
  };
  for (const word of templateWords(n)) {
    const at = word.findIndex((p) => typeof p !== 'string' && size(p) > room);
    if (at >= 0) {
      const lead = word.slice(0, at);
      if (length > 0 && length + lead.reduce<number>((sum, p) => sum + size(p), 0) > room) flush();
      current.push(...lead);
      flush();
      pieces.push(word[at] as Node);
      current.push(...word.slice(at + 1));
      length = current.reduce<number>((sum, p) => sum + size(p), 0);
      continue;
    }
    const wordSize = word.reduce((sum, p) => sum + size(p), 0);
    if (length > 0 && length + wordSize > room) flush();
    current.push(...word);
    length += wordSize;
  }
  flush();
  return pieces;
}

/** A template too long for its line, as `join("", [...])` of its pieces. */
function printTemplate(n: Extract<Node, { t: 'tpl' }>, indent: string): string {
  const inner = indent + INDENT;
  const pieces = templatePieces(n, inner);
  if (pieces.length === 1 && pieces[0].t === 'tpl') return inline(n);
  return `join("", [\n${pieces.map((p) => `${inner}${print(p, inner)},\n`).join('')}${indent}])`;
}

/** `join("", [...])` with its long templates split into items of its own list rather than nested joins. */
function flattenJoin(n: Extract<Node, { t: 'call' }>, indent: string): Extract<Node, { t: 'call' }> {
  const [separator, list] = n.args;
  const empty = separator?.t === 'tpl' && separator.parts.length === 0;
  if (n.name !== 'join' || n.args.length !== 2 || !empty || list.t !== 'tuple') return n;
  const items = list.items.flatMap((i) => (i.t === 'tpl' ? templatePieces(i, indent + INDENT) : [i]));
  return { ...n, args: [separator, { t: 'tuple', items }] };
}

const mergeLiterals = (parts: readonly (string | Node)[]) =>
  parts.reduce<(string | Node)[]>((out, p) => {
    const last = out[out.length - 1];
    if (typeof p === 'string' && typeof last === 'string') out[out.length - 1] = last + p;
    else out.push(p);
    return out;
  }, []);

/** An expression the printer cannot read. Raised only by `npm run module`. */
function unparsable(source: string, why: string): ModuleGeneratorError {
  return new ModuleGeneratorError(
    'MODULE_EXPRESSION_UNPARSABLE',
    `cannot lay out the HCL expression ${JSON.stringify(source.slice(0, 200))}: ${why}; expected HCL's expression syntax without heredocs or template directives`,
  );
}
