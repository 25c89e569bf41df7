import type { Construct } from 'constructs';
import { checkPattern, isToken } from '../core/validate';
import { TerraformData } from '../core/terraform-data';
import { NANGO_ENVIRONMENT_PATTERN } from './nango-variables';
import { templateOf } from './terraform-json';

const DOCS = 'docs/nango-registration.md';

/**
 * `Environment`: the environment name in `input`, which `ignore_changes` keeps as first applied, so
 * that at plan `self.output` is the recorded name and the postcondition compares it with the one
 * given. Replaced (without a request) only when a name is given where none was, or the reverse.
 */
export function recordEnvironment(scope: Construct, environment: string, integrationId: string): TerraformData {
  checkPattern(
    'nango.environment',
    environment,
    NANGO_ENVIRONMENT_PATTERN,
    "a Nango environment name: 1 to 255 lower-case letters, digits, _ or -, e.g. 'prod'",
  );
  const given = isToken(environment) ? environment : JSON.stringify(environment);
  const shown = (expression: string) => `\${coalesce(${expression}, "none")}`;
  const record = new TerraformData(scope, 'Environment', {
    input: { name: environment },
    // The integration names the record in plans and reviews; it never changes.
    triggersReplace: {
      integration: templateOf(integrationId),
      recorded: isToken(environment) ? `\${${given} != null}` : true,
    },
  });
  const address = `${record.terraformResourceType}.${record.friendlyUniqueId}`;
  record.lifecycle = {
    ignoreChanges: ['input'],
    postcondition: [
      {
        condition: isToken(environment)
          ? `\${self.output.name == null || ${given} == null || self.output.name == ${given}}`
          : `\${self.output.name == null || self.output.name == ${given}}`,
        // Names the record's own address, so it is set once the record exists. A null cannot be
        // interpolated, and Terraform may evaluate the message whatever the condition.
        errorMessage: nangoEnvironmentSwitchedMessage(
          `Kindo integration '${templateOf(integrationId)}'`,
          shown('self.output.name'),
          isToken(environment) ? shown(environment) : environment,
          address,
        ),
      },
    ],
  };
  return record;
}

/**
 * The plan names another Nango environment than the one the state registered the integration in
 * (a `postcondition` of NangoRegistration's `Environment`). The arguments are HCL expressions or
 * literal text: the message is evaluated by Terraform, at plan.
 */
export function nangoEnvironmentSwitchedMessage(who: string, recorded: string, given: string, address: string): string {
  return (
    `${who}: this state registered its Nango integration in environment '${recorded}', and this plan names '${given}'; nothing was changed. ` +
    `Keep '${recorded}' with its secret key, or move: with that key, terraform destroy -target='${address}' (module.<name>. prefixed in a module), ` +
    `then apply with '${given}' and its key (${DOCS}#moving-to-another-environment).`
  );
}
