#!/usr/bin/env node
'use strict';
// Installed, the package runs its compiled lib/ (`npm run build`). A clean clone has no lib/ but
// has tsx among its devDependencies, so the sources run through it instead.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const compiled = join(__dirname, '..', 'lib', 'cli', 'main.js');
let cli;
if (existsSync(compiled)) {
  cli = require(compiled);
} else {
  require('tsx/cjs');
  cli = require('../src/cli/main.ts');
}
// A command that asks a server (verify) returns a promise of its exit status.
void Promise.resolve(cli.main(process.argv.slice(2))).then((status) => (process.exitCode = status));
