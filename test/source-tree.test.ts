import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = join(__dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Relative imports of a file, resolved to files, type-only imports included (they still couple modules). */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)].map((m) => {
    const target = resolve(dirname(file), m[1]);
    return /\.(ts|json)$/.test(target) ? target : `${target}.ts`;
  });
}

describe('source tree', () => {
  const files = sourceFiles(SRC);
  const graph = new Map(files.map((f) => [f, imports(f)]));

  test('every relative import names a file that exists', () => {
    const missing = [...graph].flatMap(([f, deps]) =>
      deps
        .filter((d) => !graph.has(d) && !(d.endsWith('.json') && existsSync(d)))
        .map((d) => `${relative(SRC, f)} -> ${relative(SRC, d)}`),
    );
    expect(missing).toEqual([]);
  });

  test('has no import circles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const dep of graph.get(file) ?? []) visit(dep, [...path, file]);
      state.set(file, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });

  test('index.ts only re-exports names of other modules', () => {
    const code = readFileSync(join(SRC, 'index.ts'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
    const statements = code.split(';').filter((s) => s.trim() !== '');
    expect(statements.filter((s) => !/^\s*export (type )?(\* |\{[\w\s,]+\} )from '\.\/[a-z/-]+'$/.test(s))).toEqual([]);
  });

  test('files are kebab-case', () => {
    expect(
      files.map((f) => relative(SRC, f)).filter((f) => !/^([a-z]+(-[a-z]+)*\/)*[a-z]+(-[a-z]+)*\.ts$/.test(f)),
    ).toEqual([]);
  });
});
