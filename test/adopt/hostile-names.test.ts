import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import ts from 'typescript';
import { adoptionFromFile } from '../../src/adopt/adoption-file';
import { firstInvisible } from '../../src/core/visible';
import { INTEGRATION_IDS } from '../../src/catalog/catalog';
import { main } from '../../src/cli/main';
import { captureOutput } from '../support/output';
import { HOSTILE_NAMES, HOSTILE_PICKS, hostileAzOutput, idsOf } from './hostile';

// Every hostile name reaches each output of `adopt` three times: as an app's display name (comments
// and the terminal), as its secret's description (a string value) and in its redirect URI (a note).
// Each output must hold exactly what the generator meant, every value the name byte for byte.

const SRC = join(__dirname, '..', '..', 'src');
const picks = Object.entries(HOSTILE_PICKS).flatMap(([id, client]) => ['--app', `${id}=${client}`]);

/** HCL's value of a string hcl2json gives in JSON syntax, where templates are escaped as in HCL. */
const templateLiteral = (s: string) => s.replace(/([$%])\1\{/g, '$1{');
/** What HCL can carry of a name: a lone surrogate is not text, and is written as U+FFFD. */
const asHcl = (s: string) => s.replace(/[\ud800-\udfff]/g, '\ufffd');

describe('adopt on apps with hostile display names', () => {
  const io = captureOutput();
  let dir: string;
  let input: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kindo-hostile-'));
    input = join(dir, 'az.json');
    writeFileSync(input, hostileAzOutput());
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const adopt = (format: string) => {
    expect(main(['adopt', '--input', input, ...picks, '--format', format])).toBe(0);
    return io.out;
  };

  test('the terminal gets no escape sequence, line break or bidi mark from a name', () => {
    adopt('json');
    for (const line of io.err.split('\n')) expect(firstInvisible(line), JSON.stringify(line)).toBeUndefined();
    expect(io.err).toContain('\\u{1B}[31mred');
    expect(io.err).toContain(
      "Not matched to any integration (adopt one with --app <integration id>=<client ID>): '\\u{1B}",
    );
  });

  test('the TypeScript compiles under tsc as the props object it means, with each value the name', () => {
    const printed = adopt('ts');
    const file = join(dir, 'props.ts');
    // Typed with the construct's own ExistingApp (a file without imports), so that tsc checks it quickly.
    writeFileSync(
      file,
      `import type { ExistingApp } from '${join(SRC, 'constructs', 'existing-app')}';\n` +
        `export const props: { adoptExistingNangoIntegrations: string[]; existingApps: Record<string, ExistingApp> } = {\n${printed}\n};\n`,
    );
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      target: ts.ScriptTarget.ES2022,
      types: [],
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
    // Two statements (the import and the constant), two props, one entry per integration, nothing else.
    const source = program.getSourceFile(file)!;
    expect(source.statements).toHaveLength(2);
    expect(ts.isImportDeclaration(source.statements[0])).toBe(true);
    expect(ts.isVariableStatement(source.statements[1])).toBe(true);
    const evaluated = new Function(`return ({${printed}});`)();
    expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
    expect(Object.keys(evaluated)).toEqual(['adoptExistingNangoIntegrations', 'existingApps']);
    expect(Object.keys(evaluated.existingApps)).toEqual([...INTEGRATION_IDS]);
    INTEGRATION_IDS.forEach((id, i) => {
      expect(evaluated.existingApps[id]).toEqual({
        applicationObjectId: idsOf(i).objectId,
        clientSecrets: [{ keyId: idsOf(i).keyId, expires: '2027-04-18T09:12:44.518Z', description: HOSTILE_NAMES[i] }],
      });
    });
  }, 60_000);

  test('the HCL parses to exactly the locals, the module block and the three import blocks, each value the name', async () => {
    const config = await parse('main.tf', adopt('hcl'));
    expect(Object.keys(config).sort()).toEqual(['import', 'locals', 'module']);
    expect(config.import).toHaveLength(3);
    expect(Object.keys(config.module)).toEqual(['kindo']);
    expect(Object.keys(config.module.kindo[0])).toEqual(['integrations']);
    expect(Object.keys(config.module.kindo[0].integrations).sort()).toEqual([...INTEGRATION_IDS].sort());
    expect(config.locals).toHaveLength(1);
    const apps = config.locals[0].kindo_existing_apps;
    expect(Object.keys(apps).sort()).toEqual([...INTEGRATION_IDS].sort());
    INTEGRATION_IDS.forEach((id, i) => {
      expect(Object.keys(apps[id])).toEqual(['application_object_id', 'client_secrets']);
      const description: string = apps[id].client_secrets[0].description;
      // No template left: every `${` and `%{` of the name is escaped.
      expect(description.replace(/([$%])\1\{/g, '')).not.toMatch(/[$%]\{/);
      expect(templateLiteral(description)).toBe(asHcl(HOSTILE_NAMES[i]));
    });
  });

  test('the JSON is the adoption file the stack reads back, each description the name', () => {
    writeFileSync(join(dir, 'adoption.json'), adopt('json'));
    const adoption = adoptionFromFile(join(dir, 'adoption.json'));
    INTEGRATION_IDS.forEach((id, i) => {
      expect(adoption.existingApps?.[id]?.clientSecrets?.[0].description).toBe(HOSTILE_NAMES[i]);
    });
    expect(firstInvisible(io.out.replace(/\n/g, ' '))).toBeUndefined();
  });
});
