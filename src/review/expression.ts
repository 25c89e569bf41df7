/** A Terraform variable as far as the report may use it. */
export type VariableDefaults = ReadonlyMap<string, { readonly sensitive: boolean; readonly default: unknown }>;

// The string functions the constructs use around operator-supplied URLs; anything else stays unresolved.
const FUNCTIONS: Record<string, (args: string[]) => string | undefined> = {
  trimsuffix: ([s, suffix]) =>
    s !== undefined && suffix !== undefined
      ? s.endsWith(suffix)
        ? s.slice(0, s.length - suffix.length)
        : s
      : undefined,
  trimprefix: ([s, prefix]) =>
    s !== undefined && prefix !== undefined ? (s.startsWith(prefix) ? s.slice(prefix.length) : s) : undefined,
  lower: ([s]) => s?.toLowerCase(),
  upper: ([s]) => s?.toUpperCase(),
};

class Unresolvable extends Error {}

/**
 * Evaluates a synthesized string such as `${trimsuffix(var.nango_server_url, "/")}/oauth/callback`
 * with the variables' defaults, so that a reviewer sees the URL rather than the expression. Returns
 * undefined when the value depends on anything else (a resource, a variable without default) and
 * always for sensitive variables, whose defaults must never reach the report.
 */
export function resolveExpression(text: string, variables: VariableDefaults): string | undefined {
  let pos = 0;
  const fail = (): never => {
    throw new Unresolvable();
  };
  const skipSpace = () => {
    while (/\s/.test(text[pos] ?? '')) pos++;
  };
  const expect = (c: string) => {
    skipSpace();
    if (text[pos] !== c) fail();
    pos++;
  };

  // Template text up to `end` (a closing quote, or the end of input at the top level).
  const template = (end: string | undefined): string => {
    let out = '';
    while (pos < text.length && text[pos] !== end) {
      if (text.startsWith('${', pos)) {
        pos += 2;
        out += expression();
        expect('}');
      } else if (end !== undefined && text[pos] === '\\') {
        const escaped = text[pos + 1];
        out += escaped === 'n' ? '\n' : escaped === 't' ? '\t' : (escaped ?? fail());
        pos += 2;
      } else {
        out += text[pos++];
      }
    }
    if (end !== undefined && text[pos] !== end) fail();
    return out;
  };

  const expression = (): string => {
    skipSpace();
    if (text[pos] === '"') {
      pos++;
      const s = template('"');
      pos++;
      return s;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_.-]*/.exec(text.slice(pos))?.[0] ?? fail();
    pos += ident.length;
    if (ident.startsWith('var.')) {
      const variable = variables.get(ident.slice(4));
      if (!variable || variable.sensitive || typeof variable.default !== 'string') fail();
      return variable!.default as string;
    }
    const fn = FUNCTIONS[ident] ?? fail();
    expect('(');
    const args: string[] = [];
    skipSpace();
    while (text[pos] !== ')') {
      if (args.length > 0) expect(',');
      args.push(expression());
      skipSpace();
    }
    pos++;
    return fn(args) ?? fail();
  };

  try {
    return template(undefined);
  } catch (e) {
    if (e instanceof Unresolvable) return undefined;
    throw e;
  }
}
