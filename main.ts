import { App } from 'cdktf';
import { INTEGRATIONS_ENV, KindoMicrosoftIntegrationsStack, integrationsFromEnvironment } from './src';

// The default app: one stack with the integrations named in KINDO_INTEGRATIONS (e.g.
// "teams,outlook"; unset or "all" for all 14). `npx cdktf synth` needs no edits; the Nango secret
// key is asked for at plan time (TF_VAR_nango_secret_key).
const app = new App();
new KindoMicrosoftIntegrationsStack(app, 'kindo-microsoft-integrations', { integrations: integrationsFromEnvironment(process.env[INTEGRATIONS_ENV]) });
app.synth();
