import { App } from 'cdktf';
import { KindoConfigError } from './src/core/errors';
// From the stack's own module, not the package index: a synth needs neither the review nor the verify code.
import {
  EXISTING_APPS_ENV,
  INTEGRATIONS_ENV,
  KindoMicrosoftIntegrationsStack,
  adoptionFromFile,
  integrationsFromEnvironment,
} from './src/constructs/kindo-microsoft-integrations-stack';

// The default app: one stack with the integrations named in KINDO_INTEGRATIONS (e.g.
// "teams,outlook"; unset or "all" for all 14). `npm run synth` (or `npx cdktf synth`) needs no edits;
// the Nango secret key is asked for at plan time (TF_VAR_nango_secret_key). KINDO_EXISTING_APPS names
// the file that `adopt --format json` writes, to take over apps set up by hand (docs/adopting.md).
// tsx turns on source maps, and cdktf captures a full stack trace for every token and nested block
// a binding makes (about 780 for the 14 integrations): mapping each frame costs a third of the synth
// (docs/benchmark.md). Errors keep their messages; their stacks show the transpiled positions.
process.setSourceMapsEnabled(false);
try {
  // Inputs first: cdktf's App makes its output directory, which a refused input should not leave behind.
  const integrations = integrationsFromEnvironment(process.env[INTEGRATIONS_ENV]);
  const adoption = adoptionFromFile(process.env[EXISTING_APPS_ENV]);
  const app = new App();
  new KindoMicrosoftIntegrationsStack(app, 'kindo-microsoft-integrations', { integrations, adoption });
  app.synth();
} catch (e) {
  // Bad input is the operator's to fix, and its message names the input, the value and the fix: that
  // line alone, once. Anything else is a fault, with its stack; KINDO_DEBUG=1 shows the stack of both.
  if (!(e instanceof KindoConfigError) || process.env.KINDO_DEBUG) throw e;
  process.stderr.write(`Error [${e.code}]: ${e.message}\n`);
  process.exitCode = 1;
}
