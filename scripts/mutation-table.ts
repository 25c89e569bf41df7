// Prints the per-file mutation score table from Stryker JSON reports (mutation-testing-report-schema),
// excluding the mutants scripts/mutation-equivalent.json records as equivalent. Used by
// scripts/mutation.sh; `npx tsx scripts/mutation-table.ts <report.json>...`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Mutant {
  readonly mutatorName: string;
  readonly replacement?: string;
  readonly status: string;
  readonly location: { readonly start: { readonly line: number; readonly column: number } };
}
interface Report {
  readonly files: Record<string, { readonly mutants: readonly Mutant[] }>;
}
/** An equivalent mutant: no behaviour of the program tells it from the original. */
interface Equivalent {
  readonly line: number;
  /** Only where one line holds two mutants of the same mutator and replacement, as Stryker counts columns (from 1). */
  readonly column?: number;
  readonly mutator: string;
  readonly replacement: string;
  readonly reason: string;
}

const equivalents = JSON.parse(readFileSync(join(__dirname, 'mutation-equivalent.json'), 'utf8')) as Record<
  string,
  readonly Equivalent[]
>;

const isEquivalent = (file: string, m: Mutant): boolean =>
  (equivalents[file] ?? []).some(
    (e) =>
      e.line === m.location.start.line &&
      (e.column === undefined || e.column === m.location.start.column) &&
      e.mutator === m.mutatorName &&
      e.replacement === m.replacement,
  );

const rows: string[] = [];
const survivors: string[] = [];
for (const path of process.argv.slice(2)) {
  const report = JSON.parse(readFileSync(path, 'utf8')) as Report;
  for (const [file, { mutants }] of Object.entries(report.files)) {
    if (mutants.length === 0) continue;
    const counted = mutants.filter((m) => !isEquivalent(file, m));
    const count = (...statuses: string[]) => counted.filter((m) => statuses.includes(m.status)).length;
    const detected = count('Killed', 'Timeout');
    const undetected = count('Survived', 'NoCoverage');
    const score = detected + undetected === 0 ? 100 : (100 * detected) / (detected + undetected);
    rows.push(
      `| ${file} | ${mutants.length} | ${mutants.length - counted.length} | ${detected} | ${count('Survived')} | ${count('NoCoverage')} | ${count('CompileError', 'RuntimeError', 'Ignored')} | ${score.toFixed(1)}% |`,
    );
    for (const m of counted.filter((x) => x.status === 'Survived' || x.status === 'NoCoverage')) {
      survivors.push(
        `${file}:${m.location.start.line}:${m.location.start.column} ${m.status} ${m.mutatorName} → ${JSON.stringify(m.replacement)}`,
      );
    }
  }
}
console.log('| File | Mutants | Equivalent | Killed | Survived | No coverage | Invalid | Score |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const row of rows) console.log(row);
if (survivors.length > 0) console.log(`\nUndetected mutants:\n${survivors.join('\n')}`);
