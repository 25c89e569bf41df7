import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import type { IntegrationId } from '../../src/catalog/catalog';
import {
  MicrosoftIntegrationApp,
  type MicrosoftIntegrationAppProps,
  type NangoOptions,
} from '../../src/constructs/microsoft-integration-app';

export type Synth = Record<string, any>;

/** Props under test; `nango` settings get the secret key from a sensitive variable, and `nango: undefined` leaves them out. */
export type TestProps = Omit<Partial<MicrosoftIntegrationAppProps>, 'nango'> & {
  integration: IntegrationId;
  nango?: Partial<NangoOptions>;
};

/** One MicrosoftIntegrationApp, alone in a stack, synthesized. */
export function synthApp(props: TestProps): { app: MicrosoftIntegrationApp; json: string; tf: Synth; full: Synth } {
  const stack = new TerraformStack(Testing.app(), 'test');
  const secretKey = new TerraformVariable(stack, 'nango_secret_key', { type: 'string', sensitive: true }).stringValue;
  const nango = 'nango' in props && props.nango === undefined ? undefined : { secretKey, ...props.nango };
  const app = new MicrosoftIntegrationApp(stack, 'App', { ...props, nango });
  const json = Testing.synth(stack);
  // Testing.synth strips "//" metadata; `full` keeps it, as `cdktf synth` does.
  return { app, json, tf: JSON.parse(json), full: stack.toTerraform() };
}

/** The one resource of a type in a synth. */
export const only = (tf: Synth, type: string): any => {
  const all = Object.values(tf.resource?.[type] ?? {});
  expect(all, type).toHaveLength(1);
  return all[0];
};

/** defender (Graph, Threat Protection, WindowsDefenderATP) and outlook (Graph) in one stack, with what `build` adds. */
export function synthDefenderAndOutlook(build?: (stack: TerraformStack) => void): Synth {
  const stack = new TerraformStack(Testing.app(), 'test');
  const secretKey = new TerraformVariable(stack, 'nango_secret_key', { type: 'string', sensitive: true }).stringValue;
  for (const integration of ['defender', 'outlook'] as const)
    new MicrosoftIntegrationApp(stack, integration, { integration, nango: { secretKey } });
  build?.(stack);
  return JSON.parse(Testing.synth(stack));
}
