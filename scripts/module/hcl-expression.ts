import type { Node } from './hcl-parse';

// HCL expressions (scripts/module/hcl-parse.ts) printed the way a person lays them out: on one line while
// that fits, else broken at their structure (arguments, items, a for expression's clauses, the
// branches of a conditional), with the indentation `terraform fmt` keeps. The constructs' bodies
// arrive as one-line expressions (cdktf's JSON syntax); scripts/module/hcl.ts prints them with this.

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYWORDS = new Set(['for', 'in', 'if', 'true', 'false', 'null']);

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
