import { readFileSync } from 'node:fs';
import { getProviders } from '@nangohq/providers';
import { NANGO_PROVIDER_FACTS, renderNangoProviderFacts } from '../../scripts/generate-nango-providers';
import { checkNangoProvider } from '../../src/nango/nango-providers';

describe('Nango provider facts', () => {
  test('are up to date with @nangohq/providers (run `npm run nango:providers` when this fails)', () => {
    expect(readFileSync(NANGO_PROVIDER_FACTS, 'utf8')).toBe(renderNangoProviderFacts());
  });

  test('accept every OAUTH2 provider of @nangohq/providers and refuse every other', () => {
    const providers = getProviders()!;
    const refused = (key: string) => {
      try {
        checkNangoProvider('nangoProvider', key);
        return undefined;
      } catch (e) {
        return (e as Error).message;
      }
    };
    for (const [key, p] of Object.entries(providers)) {
      if (p.auth_mode === 'OAUTH2') expect(refused(key)).toBeUndefined();
      else expect(refused(key)).toContain(`whose Nango auth mode is ${p.auth_mode}`);
    }
  });

  test('fails for a key that is not a provider, including names of Object.prototype', () => {
    for (const key of ['microsoft-graph', 'constructor', '__proto__']) {
      expect(() => checkNangoProvider('nangoProvider', key)).toThrow(`\`nangoProvider\` is '${key}', which is not a provider in Nango's catalog (@nangohq/providers)`);
    }
  });
});
