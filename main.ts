import { App } from 'cdktf';
import { KindoMicrosoftIntegrationsStack } from './src';

// The default app: one stack with all 14 integrations. `npx cdktf synth` needs no edits;
// the Nango secret key is asked for at plan time (TF_VAR_nango_secret_key).
const app = new App();
new KindoMicrosoftIntegrationsStack(app, 'kindo-microsoft-integrations');
app.synth();
