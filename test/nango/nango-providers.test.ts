import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getProviders } from '@nangohq/providers';
import { NANGO_PROVIDER_FACTS, renderNangoProviderFacts } from '../../scripts/generate-nango-providers';
import { checkNangoProvider, takesCustomSettings } from '../../src/nango/nango-providers';
import { expectKindoError } from '../support/errors';

describe('Nango provider facts', () => {
  test('take custom settings exactly where @nangohq/providers has no integration_config schema', () => {
    for (const [key, p] of Object.entries(getProviders()!))
      expect(takesCustomSettings(key)).toBe(!p.integration_config);
    expect(takesCustomSettings('stripe-app-sandbox')).toBe(false);
  });

  // Loading the package parses its 1 MB YAML catalog, which cost more than the rest of a synth.
  test('are all a synth reads: the default stack synthesizes without loading @nangohq/providers', () => {
    const program = `
      const { App } = require('cdktf');
      const { KindoMicrosoftIntegrationsStack } = require('./src');
      const app = new App({ outdir: process.env.CDKTF_OUTDIR });
      new KindoMicrosoftIntegrationsStack(app, 'stack');
      app.synth();
      console.log(JSON.stringify(Object.keys(require.cache).filter((m) => m.includes('@nangohq'))));`;
    const root = join(__dirname, '..', '..');
    const outdir = mkdtempSync(join(tmpdir(), 'kindo-providers-'));
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--eval', program], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CDKTF_OUTDIR: outdir },
    });
    rmSync(outdir, { recursive: true, force: true });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout.trim().split('\n').pop()!)).toEqual([]);
  }, 60_000);

  test('are up to date with @nangohq/providers (run `npm run nango:providers` when this fails)', () => {
    expect(readFileSync(NANGO_PROVIDER_FACTS, 'utf8')).toBe(renderNangoProviderFacts());
  });

  test('accept every OAUTH2 provider of @nangohq/providers and refuse every other', () => {
    const providers = getProviders()!;
    for (const [key, p] of Object.entries(providers)) {
      if (p.auth_mode === 'OAUTH2') expect(() => checkNangoProvider('nangoProvider', key), key).not.toThrow();
      else
        expectKindoError(() => checkNangoProvider('nangoProvider', key), 'NANGO_PROVIDER_NOT_OAUTH2', [
          `'${key}'`,
          p.auth_mode,
        ]);
    }
  });

  test('fails for a key that is not a provider, including names of Object.prototype', () => {
    for (const key of ['microsoft-graph', 'constructor', '__proto__']) {
      expectKindoError(() => checkNangoProvider('nangoProvider', key), 'UNKNOWN_NANGO_PROVIDER', [
        '`nangoProvider`',
        `'${key}'`,
      ]);
    }
  });
});
