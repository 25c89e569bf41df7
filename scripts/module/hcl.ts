import { aligned, inline as inlineNode, print } from './hcl-expression';
import { type Node, parse } from './hcl-parse';

// Writes Terraform's JSON configuration syntax (what cdktf synthesizes) as native HCL, laid out as
// `terraform fmt` lays it out (test/module/module.e2e.test.ts runs `terraform fmt -check` on the result),
// long expressions broken over lines by scripts/module/hcl-expression.ts. cdktf's own HCL output
// (App({ hclOutput: true })) is not used: it writes every nested block as a list attribute, and every
// expression on one line.

/** A string of Terraform's JSON syntax split into literal text and `${…}` interpolations. */
export type TemplatePart = { readonly literal: string } | { readonly expression: string };

/**
 * Splits a template into its parts. `escaped` is for the raw text between the quotes of an HCL
 * string, where `\` escapes the next character; JSON strings arrive unescaped.
 */
export function templateParts(template: string, escaped = false): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (escaped && c === '\\') {
      literal += c + (template[i + 1] ?? '');
      i++;
    } else if (c === '$' && template[i + 1] === '{') {
      const end = expressionEnd(template, i + 2);
      if (literal) parts.push({ literal });
      literal = '';
      parts.push({ expression: template.slice(i + 2, end) });
      i = end;
    } else {
      literal += c;
    }
  }
  if (literal) parts.push({ literal });
  return parts;
}

/** Index of the `}` that closes an interpolation whose expression starts at `start`. */
function expressionEnd(text: string, start: number): number {
  let braces = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = quotedEnd(text, i + 1);
    else if (c === '{') braces++;
    else if (c === '}' && braces === 0) return i;
    else if (c === '}') braces--;
  }
  throw new Error(`unterminated interpolation in ${JSON.stringify(text)}`);
}

/** Index of the `"` that closes a quoted string whose content starts at `start`. */
function quotedEnd(text: string, start: number): number {
  for (let i = start; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
    else if (text[i] === '$' && text[i + 1] === '{') i = expressionEnd(text, i + 2);
  }
  throw new Error(`unterminated string in ${JSON.stringify(text)}`);
}

/**
 * Rewrites every quoted string of an HCL expression, innermost templates included: `quoted`
 * receives the raw content between the quotes and returns the replacement for the whole string,
 * quotes included.
 */
export function mapQuotedStrings(expression: string, quoted: (content: string) => string): string {
  let out = '';
  for (let i = 0; i < expression.length; i++) {
    if (expression[i] === '"') {
      const end = quotedEnd(expression, i + 1);
      out += quoted(expression.slice(i + 1, end));
      i = end;
    } else {
      out += expression[i];
    }
  }
  return out;
}

/** The expression of a template that is one interpolation and nothing else, e.g. `${a.b}` → `a.b`. */
export function soleExpression(template: string): string | undefined {
  const parts = templateParts(template);
  return parts.length === 1 && 'expression' in parts[0] ? parts[0].expression : undefined;
}

const escapeLiteral = (s: string) =>
  s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');

/** A JSON-syntax string as an HCL quoted template. */
export function quote(template: string): string {
  return `"${templateParts(template)
    .map((p) => ('literal' in p ? escapeLiteral(p.literal) : `\${${p.expression}}`))
    .join('')}"`;
}

/** A JSON-syntax value as an expression tree: a string is a template, `${…}` alone an expression. */
export function toNode(value: unknown): Node {
  if (typeof value === 'string') {
    const sole = soleExpression(value);
    if (sole !== undefined) return parse(sole);
    return {
      t: 'tpl',
      parts: templateParts(value).map((p) => ('literal' in p ? escapeLiteral(p.literal) : parse(p.expression))),
    };
  }
  if (Array.isArray(value)) return { t: 'tuple', items: value.map(toNode) };
  if (value !== null && typeof value === 'object')
    return {
      t: 'object',
      items: Object.entries(value).map(([k, v]) => ({
        key: { t: 'tpl', parts: [escapeLiteral(k)] },
        value: toNode(v),
      })),
    };
  return { t: 'raw', s: JSON.stringify(value) };
}

/** A JSON-syntax value as an HCL expression on one line. */
export function inline(value: unknown): string {
  return inlineNode(toNode(value));
}

const INDENT = '  ';

/**
 * A JSON-syntax value as an HCL expression starting at column `col` of a line indented by `indent`.
 * An object value is written one attribute per line, as a map argument reads best.
 */
export function expression(value: unknown, indent = '', col = indent.length): string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const inner = indent + INDENT;
    const lines = entries.map(([k, v]) => ({
      name: IDENTIFIER.test(k) ? k : JSON.stringify(k),
      value: (at: number) => expression(v, inner, at),
    }));
    return `{\n${aligned(lines, inner)}${indent}}`;
  }
  return print(toNode(value), indent, col);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** How to write a block's body: which of its keys are nested blocks, and which values are bare. */
export interface BodySchema {
  /** Whether `path` (keys from the block's type, e.g. `azuread_application.web`) is a nested block. */
  readonly isBlock: (path: string) => boolean;
}

/** Arguments Terraform reads as references, keywords or types rather than strings, by the block they are in. */
const BARE: Readonly<Record<string, readonly string[]>> = {
  variable: ['type'],
  moved: ['from', 'to'],
  provisioner: ['when'],
};
const ANYWHERE_BARE = ['depends_on', 'ignore_changes', 'replace_triggered_by'];
const isBare = (path: string, key: string) =>
  ANYWHERE_BARE.includes(key) || (BARE[path.split('.').pop()!] ?? []).includes(key);
/** Meta-arguments, written first, as Terraform's style guide asks. */
const LEADING = ['count', 'for_each', 'provider'];
/** Meta-arguments and blocks written last. */
const TRAILING = ['depends_on', 'lifecycle', 'provisioner'];

const bare = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(bare).join(', ')}]`
    : typeof value === 'string'
      ? (soleExpression(value) ?? value)
      : JSON.stringify(value);

/** The body of a block, indented by `indent`; `path` names the block for the schema. */
export function body(value: Record<string, unknown>, path: string, schema: BodySchema, indent = INDENT): string {
  // Arguments, then nested blocks (`timeouts`), as `terraform fmt`'s users write them; meta-arguments around them.
  const order = (k: string) =>
    LEADING.includes(k)
      ? -1
      : TRAILING.includes(k)
        ? 2 + TRAILING.indexOf(k)
        : k === 'dynamic' || schema.isBlock(`${path}.${k}`)
          ? 1
          : 0;
  const keys = Object.keys(value).sort((a, b) => order(a) - order(b));
  const sections: string[] = [];
  let attributes: { name: string; value: (col: number) => string }[] = [];
  const flush = () => {
    if (attributes.length > 0) sections.push(aligned(attributes, indent));
    attributes = [];
  };
  for (const key of keys) {
    const v = value[key];
    const childPath = `${path}.${key}`;
    if (key === 'dynamic') {
      flush();
      for (const [label, dyn] of Object.entries(v as Record<string, Record<string, unknown>>)) {
        const { content, ...meta } = dyn;
        const inner =
          body(meta, `${path}.dynamic`, schema, indent + INDENT) +
          '\n' +
          block('content', [], content as Record<string, unknown>, `${path}.${label}`, schema, indent + INDENT);
        sections.push(`${indent}dynamic ${JSON.stringify(label)} {\n${inner}${indent}}\n`);
      }
    } else if (key === 'provisioner') {
      flush();
      for (const p of v as Record<string, Record<string, unknown>>[]) {
        for (const [type, config] of Object.entries(p))
          sections.push(block('provisioner', [type], config, childPath, schema, indent));
      }
    } else if (schema.isBlock(childPath)) {
      flush();
      for (const item of Array.isArray(v) ? v : [v])
        sections.push(block(key, [], item as Record<string, unknown>, childPath, schema, indent));
    } else if (key === 'description' && typeof v === 'string' && !v.includes('${') && v.length > 80) {
      // Terraform reads a description as a literal: a long one is a heredoc, never an expression.
      attributes.push({ name: key, value: () => heredoc(v, indent) });
    } else {
      attributes.push({
        name: key,
        value: (col: number) => (isBare(path, key) ? bare(v) : expression(v, indent, col)),
      });
    }
  }
  flush();
  return sections.join('\n');
}

/** Text as an indented heredoc, its lines wrapped between words. */
function heredoc(text: string, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > 100 - indent.length - 2) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return `<<-EOT\n${lines.map((l) => `${indent}${INDENT}${l.replace(/\$\{/g, '$${').replace(/%\{/g, '%%{')}\n`).join('')}${indent}EOT`;
}

/** A block: `type "label" … { body }`. */
export function block(
  type: string,
  labels: readonly string[],
  value: Record<string, unknown>,
  path: string,
  schema: BodySchema,
  indent = '',
): string {
  const head = [type, ...labels.map((l) => JSON.stringify(l))].join(' ');
  if (Object.keys(value).length === 0) return `${indent}${head} {}\n`;
  return `${indent}${head} {\n${body(value, path, schema, indent + INDENT)}${indent}}\n`;
}

/** Maps a JSON value through `f` at every string. */
export function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)]));
  return value;
}
