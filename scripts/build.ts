import { Extractor, ExtractorConfig, type ExtractorMessage } from '@microsoft/api-extractor';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

// npm run build: compiles src/ into lib/ (tsconfig.build.json; the declarations go to build/types),
// then API Extractor (api-extractor.json) rolls the declarations up into lib/index.d.ts, the one
// declaration file the package ships, and compares the public surface (src/index.ts) with the API
// report, api/kindo-microsoft-integrations.api.md, so that any change to it is a visible diff.
//
//   tsx scripts/build.ts               npm run build (and prepare): a report that no longer matches is only noted
//   tsx scripts/build.ts --update-api  npm run api: the report rewritten to match; commit it with the change
//   tsx scripts/build.ts --check-api   the test: fails, printing the difference, while the report does not match
//
// A build never fails on the report, so that an install from git (`prepare`) works whatever its state.
// lib/ is emptied first: a file left from an earlier build (a deleted module) must not be packed.

const mode = process.argv[2] ?? '--build';
if (!['--build', '--update-api', '--check-api'].includes(mode)) {
  process.stderr.write(`unknown option: '${mode}'; expected --update-api, --check-api or nothing\n`);
  process.exit(2);
}
const root = join(__dirname, '..');
for (const dir of ['lib', join('build', 'types')]) rmSync(join(root, dir), { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const config = ExtractorConfig.loadFileAndPrepare(join(root, 'api-extractor.json'));
const REPORT_CHANGED = new Set(['console-api-report-not-copied', 'console-api-report-copied']);
let stale = false;
const result = Extractor.invoke(config, {
  localBuild: mode === '--update-api',
  printApiReportDiff: mode === '--check-api',
  // The project's own compiler, not the newer one API Extractor bundles.
  typescriptCompilerFolder: dirname(require.resolve('typescript/package.json')),
  messageCallback: (message: ExtractorMessage) => {
    if (REPORT_CHANGED.has(message.messageId)) {
      stale = true;
      // Said once, below; --check-api prints the difference as well.
      message.handled = mode !== '--check-api';
    }
    // Progress notes (which configuration, which compiler) say nothing a build log needs.
    if (message.logLevel === 'info' || message.logLevel === 'verbose') message.handled = true;
  },
});

const report = config.reportConfigs.map((r) => join('api', r.fileName)).join(', ');
if (mode === '--build' && stale) process.stderr.write(`The public API differs from ${report}: run \`npm run api\`\n`);
if (mode === '--update-api' && stale) process.stderr.write(`Updated ${report}: commit it with the change\n`);
process.exitCode = result.errorCount > 0 || (mode === '--check-api' && stale) ? 1 : 0;
