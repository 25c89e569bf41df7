import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { KindoMicrosoftIntegrations } from '../../src/constructs/kindo-microsoft-integrations';
import { KindoSaasConsent } from '../../src/constructs/kindo-saas-consent';
import type { Synth } from './integration-app';

/** Made-up client IDs standing in for the ones Kindo publishes. */
export const KINDO_CLIENT_IDS = {
  outlook: '5b4c3d2e-7f6a-4b80-8c9d-2e1f3a4b5c6d',
  defender: '4a3b2c1d-6e5f-4a70-9b8c-1d0e2f3a4b5c',
} as const;

/**
 * Both modes in one stack, synthesized: self-managed teams and fabric (`Kindo`), and Kindo SaaS
 * outlook and defender (`Saas`), with the same owners.
 */
export function synthBothModes(owners?: readonly string[]): Synth {
  const stack = new TerraformStack(Testing.app(), 'test');
  const secretKey = new TerraformVariable(stack, 'k', { type: 'string', sensitive: true }).stringValue;
  new KindoMicrosoftIntegrations(stack, 'Kindo', { integrations: ['teams', 'fabric'], nango: { secretKey }, owners });
  new KindoSaasConsent(stack, 'Saas', { clientIds: KINDO_CLIENT_IDS, owners });
  return JSON.parse(Testing.synth(stack));
}
